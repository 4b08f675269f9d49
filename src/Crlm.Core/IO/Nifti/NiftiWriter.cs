using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Crlm.Core.Imaging;
using Crlm.Core.IO;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// Writes a <see cref="Volume{T}"/> as a single-file NIfTI-1 (gzip when the path ends in ".gz"). The grid is
/// stored twice, as nibabel and ITK expect: sform rows and the qform quaternion, both with code 1
/// (scanner), spacing in mm, no scaling (slope 1, intercept 0), data at vox_offset 352, little-endian.
/// </summary>
public static class NiftiWriter
{
    /// <summary>NIfTI xform code 1: NIFTI_XFORM_SCANNER_ANAT.</summary>
    public const short ScannerXformCode = 1;

    /// <summary>xyzt_units value 2: NIFTI_UNITS_MM for space, time unit unset.</summary>
    public const int MillimetreUnits = 2;

    /// <summary>
    /// Writes atomically: the bytes go to a temporary file in the target directory (created if missing),
    /// which then replaces <paramref name="path"/> in one rename, so a crash never leaves a half-written
    /// image behind. <paramref name="compression"/> applies to ".gz" paths; Fastest suits caches, where
    /// writing time matters more than a file ~15% smaller.
    /// </summary>
    public static void Write<T>(string path, Volume<T> volume, CompressionLevel compression = CompressionLevel.Optimal)
        where T : unmanaged, INumber<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(volume);
        var header = HeaderFor(volume);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, file =>
        {
            if (gzip)
            {
                // The default, Optimal, is zlib level 6: CT compresses ~1.7x smaller than Fastest at ~30 MB/s.
                // (nibabel writes level 1, i.e. Fastest.)
                using var compressed = new GZipStream(file, compression, leaveOpen: true);
                WriteContent(compressed, header, volume.Voxels);
            }
            else
            {
                WriteContent(file, header, volume.Voxels);
            }
        });
    }

    /// <summary>The header <see cref="Write{T}"/> stores for <paramref name="volume"/>.</summary>
    public static NiftiHeader HeaderFor<T>(Volume<T> volume) where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        var g = volume.Geometry;
        if (g.Size.X > short.MaxValue || g.Size.Y > short.MaxValue || g.Size.Z > short.MaxValue)
        {
            throw new ArgumentException($"grid {g.Size} exceeds NIfTI-1's 32767 voxels per axis", nameof(volume));
        }

        var type = NiftiDataTypes.ForElementType<T>();
        var affine = g.Affine();
        var (b, c, d, qfac) = NiftiQuaternion.FromDirection(g.Direction);
        return new NiftiHeader
        {
            Version = 1,
            NDim = 3,
            Size = g.Size,
            DataType = type,
            BitPix = 8 * Unsafe.SizeOf<T>(),
            PixDim = [qfac, g.Spacing.X, g.Spacing.Y, g.Spacing.Z, 1, 1, 1, 1],
            VoxOffset = NiftiHeaderCodec.Nifti1MinVoxOffset,
            SclSlope = 1,
            SclInter = 0,
            QformCode = ScannerXformCode,
            SformCode = ScannerXformCode,
            QuaternB = b,
            QuaternC = c,
            QuaternD = d,
            QOffsetX = g.Origin.X,
            QOffsetY = g.Origin.Y,
            QOffsetZ = g.Origin.Z,
            SRowX = [affine[0, 0], affine[0, 1], affine[0, 2], affine[0, 3]],
            SRowY = [affine[1, 0], affine[1, 1], affine[1, 2], affine[1, 3]],
            SRowZ = [affine[2, 0], affine[2, 1], affine[2, 2], affine[2, 3]],
            XyztUnits = MillimetreUnits,
            Description = "Crlm.MLNet",
        };
    }

    private static void WriteContent<T>(Stream output, NiftiHeader header, T[] voxels) where T : unmanaged
    {
        output.Write(NiftiHeaderCodec.EncodeNifti1(header));
        if (BitConverter.IsLittleEndian || Unsafe.SizeOf<T>() == 1)
        {
            output.Write(MemoryMarshal.AsBytes(voxels.AsSpan()));
            return;
        }

        // Big-endian host: NIfTI files from this writer are always little-endian, so swap a chunk at a time.
        var chunk = new byte[1 << 16];
        var all = MemoryMarshal.AsBytes(voxels.AsSpan());
        int size = Unsafe.SizeOf<T>();
        for (int start = 0; start < all.Length; start += chunk.Length)
        {
            var part = chunk.AsSpan(0, Math.Min(chunk.Length, all.Length - start));
            all.Slice(start, part.Length).CopyTo(part);
            for (int n = 0; n < part.Length; n += size)
            {
                part.Slice(n, size).Reverse();
            }

            output.Write(part);
        }
    }
}
