using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;
using static Crlm.Core.Tests.IO.Nifti.NiftiTestFiles;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>
/// Seeded mutations of real headers (the committed nibabel fixtures, and the real samples when ../shared is there): the reader must either succeed or throw
/// <see cref="NiftiFormatException"/> - never another exception, never a huge allocation.
/// </summary>
public sealed class NiftiFuzzTests
{
    private const int Iterations = 3000;

    // The fixtures are a few KB: any legitimate read allocates well under this. A hostile header that
    // slipped past the size checks would allocate its declared (up to 2 GiB) buffer instead.
    private const long AllocationCeilingBytes = 32L << 20;

    private static readonly string[] Seeds =
    [
        "be_int16.nii", "nifti2_float32.nii.gz", "qform_only_qfac_neg.nii", "scaled_int16.nii.gz", "ext_uint8.nii",
        "be_4d_singleton_float32.nii", "no_xform_int32.nii", "float64.nii",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Mutated_headers_succeed_or_throw_NiftiFormatException_only(int seed)
    {
        var rng = new Random(seed);
        var originals = Seeds.Select(FixtureBytes).ToArray();
        int succeeded = 0, refused = 0;
        for (int n = 0; n < Iterations; n++)
        {
            byte[] bytes = Mutate(originals[rng.Next(originals.Length)], rng);
            bool gzip = rng.Next(8) == 0;
            if (gzip)
            {
                bytes = Gzip(bytes);
                if (rng.Next(2) == 0)
                {
                    bytes = bytes[..rng.Next(bytes.Length)];
                }
            }

            string name = $"fuzz-{seed}-{n}" + (gzip ? ".nii.gz" : ".nii");
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                NiftiReader.Read<float>(new MemoryStream(bytes), name);
                if (n % 4 == 0)
                {
                    NiftiInspection.Inspect(new MemoryStream(bytes), name);
                }

                succeeded++;
            }
            catch (NiftiFormatException e)
            {
                Assert.Contains(name, e.Message, StringComparison.Ordinal);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {n} (seed {seed}, {name}): {e.GetType().Name} escaped: {e}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationCeilingBytes, $"iteration {n} ({name}) allocated {allocated} bytes");
        }

        // Both outcomes must occur, or the mutations are too mild (or too destructive) to test anything.
        Assert.InRange(succeeded, Iterations / 20, Iterations);
        Assert.InRange(refused, Iterations / 20, Iterations);
    }

    /// <summary>
    /// The real TotalSegmentator headers of ../shared/data/real (as a scanner pipeline wrote them), each with its
    /// extensions and the first 4 KiB of its voxel data: mutated, the header parser must still only succeed or refuse, and no
    /// declared size may be allocated before the file is found too short for it.
    /// </summary>
    [RequiresSharedDataFact]
    public void Mutated_real_headers_are_parsed_or_refused_without_allocating_their_declared_size()
    {
        var originals = Directory.GetFiles(SharedData.Real("totalsegmentator"), "*.nii.gz").Order(StringComparer.Ordinal)
            .Select(f => Gunzip(File.ReadAllBytes(f))).Select(b => b[..((int)BitConverter.ToSingle(b, 108) + 4096)]).ToArray();
        Assert.True(originals.Length >= 5, $"expected the 5 TotalSegmentator files, found {originals.Length}");
        foreach (byte[] original in originals)
        {
            Assert.Equal(1, NiftiReader.ReadHeader(new MemoryStream(original), "real.nii").Version);
        }

        var rng = new Random(3);
        int parsed = 0;
        for (int n = 0; n < Iterations; n++)
        {
            byte[] bytes = Mutate(originals[rng.Next(originals.Length)], rng);
            string name = $"real-fuzz-{n}.nii";
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                NiftiReader.ReadHeader(new MemoryStream(bytes), name);
                parsed++;
                NiftiReader.Read<float>(new MemoryStream(bytes), name);
            }
            catch (NiftiFormatException e)
            {
                Assert.Contains(name, e.Message, StringComparison.Ordinal);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {n} ({name}): {e.GetType().Name} escaped: {e}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationCeilingBytes, $"iteration {n} ({name}) allocated {allocated} bytes");
        }

        Assert.InRange(parsed, Iterations / 20, Iterations);
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        byte[] b = (byte[])original.Clone();
        int region = Math.Min(b.Length, 560); // header, extension flag and any extensions
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(region);
            switch (rng.Next(6))
            {
                case 0:
                    b[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    b[at] = (byte)rng.Next(256);
                    break;
                case 2:
                    // A field-sized write of a value that breaks naive readers.
                    int[] nasty = [0, -1, 1, int.MaxValue, int.MinValue, 0x7FC00000, 0x7F800000, 0x4E6E6B28, 32767, 352];
                    int v = nasty[rng.Next(nasty.Length)];
                    for (int k = 0; k < 4 && at + k < b.Length; k++)
                    {
                        b[at + k] = (byte)(v >> (8 * k));
                    }

                    break;
                case 3:
                    return b[..rng.Next(b.Length)];
                case 4:
                    // Aim at the fields that size buffers: dim[] and vox_offset (NIfTI-1 offsets).
                    int[] hot = [40, 42, 44, 46, 48, 70, 72, 108, 352, 356];
                    int h = hot[rng.Next(hot.Length)];
                    if (h + 1 < b.Length)
                    {
                        b[h + rng.Next(2)] = (byte)rng.Next(256);
                    }

                    break;
                default:
                    break;
            }
        }

        return b;
    }
}
