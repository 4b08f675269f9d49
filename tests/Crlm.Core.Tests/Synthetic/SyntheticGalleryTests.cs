using Crlm.Core.Cohort;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// The axial-slice gallery (liver window W300/L60, radiological display, framed on the body) of
/// every site, class and phase, committed under docs/gallery. Regenerate it with
/// <c>CRLM_GALLERY_DIR=docs/gallery dotnet test tests/Crlm.Core.Tests/Crlm.Core.Tests.csproj -c Release --filter FullyQualifiedName~SyntheticGalleryTests</c>;
/// without the variable one strip is rendered to a temporary folder and checked, to keep the
/// suite fast. Generation timing: bench/synthetic/run.sh.
/// </summary>
public class SyntheticGalleryTests
{
    private static readonly ContrastPhase[] Phases = [ContrastPhase.Arterial, ContrastPhase.PortalVenous, ContrastPhase.Delayed];

    private static double Probability(SyntheticPhaseMix mix, ContrastPhase phase) => phase switch
    {
        ContrastPhase.Arterial => mix.Arterial,
        ContrastPhase.Delayed => mix.Delayed,
        _ => 1,
    };

    [Fact]
    public void Png_writer_round_trips_every_pixel_whatever_filter_each_row_takes()
    {
        // Rows of noise, ramps, flats and steps make every filter win somewhere; a wrong predictor
        // would corrupt the committed gallery without failing its size and signature checks.
        const int width = 67, height = 40;
        var pixels = new byte[width * height];
        var r = new SynthRandom(3);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                pixels[y * width + x] = (y % 4) switch
                {
                    0 => (byte)r.NextInt(256),
                    1 => (byte)(x * 3 + y),
                    2 => (byte)(200 - y),
                    _ => (byte)(x < width / 2 ? 10 : 250),
                };
            }
        }

        string path = Path.Combine(Path.GetTempPath(), "crlm-png-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            PngGrayWriter.Write(path, pixels, width, height);
            var (decoded, filters) = DecodeGray(File.ReadAllBytes(path), width, height);
            Assert.Equal(pixels, decoded);
            Assert.True(filters.Count >= 3, $"only filters {string.Join(",", filters)} were used");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Independent PNG reader for the round trip: concatenated IDAT, inflate, unfilter.</summary>
    private static (byte[] Pixels, HashSet<int> Filters) DecodeGray(byte[] png, int width, int height)
    {
        using var idat = new MemoryStream();
        for (int pos = 8; pos < png.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (System.Text.Encoding.ASCII.GetString(png, pos + 4, 4) == "IDAT")
            {
                idat.Write(png, pos + 8, length);
            }

            pos += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        Assert.Equal((width + 1) * height, raw.Length);
        var output = new byte[width * height];
        var filters = new HashSet<int>();
        for (int y = 0; y < height; y++)
        {
            int type = raw[y * (width + 1)];
            filters.Add(type);
            for (int x = 0; x < width; x++)
            {
                int a = x > 0 ? output[y * width + x - 1] : 0;
                int b = y > 0 ? output[(y - 1) * width + x] : 0;
                int c = x > 0 && y > 0 ? output[(y - 1) * width + x - 1] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int predictor = type switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                    _ => throw new InvalidDataException($"filter {type}"),
                };
                output[y * width + x] = (byte)(raw[y * (width + 1) + 1 + x] + predictor);
            }
        }

        return (output, filters);
    }

    [Fact]
    public void Gallery_strips_are_valid_png_files()
    {
        string? requested = Environment.GetEnvironmentVariable("CRLM_GALLERY_DIR");
        string dir = requested ?? Path.Combine(Path.GetTempPath(), "crlm-gallery-" + Guid.NewGuid().ToString("N"));
        var options = SyntheticCohortOptions.Default(120, 7);
        var written = new List<string>();
        try
        {
            var sites = requested is null ? [options.Sites[1]] : options.Sites;
            foreach (var site in sites)
            {
                foreach (var label in new[] { CohortLabel.Crlm, CohortLabel.NonCrlm, CohortLabel.Negative })
                {
                    if (!CohortPlanner.Plan(options).Any(p => p.Site.Name == site.Name && p.Label == label))
                    {
                        continue;
                    }

                    var phantom = SyntheticGallery.Phantom(options, site.Name, label);
                    var levels = SyntheticGallery.LiverLevels(phantom, 4);
                    var phases = requested is null ? [ContrastPhase.PortalVenous] : Phases.Where(p => Probability(site.Phases, p) > 0).ToArray();
                    foreach (var phase in phases)
                    {
                        string path = Path.Combine(dir, $"{site.Name}_{label.Name()}_{phase.Name()}.png");
                        SyntheticGallery.WriteStrip(path, SyntheticGallery.Image(phantom, phase), levels, 256);
                        written.Add(path);
                    }

                    if (requested is null)
                    {
                        break;
                    }
                }
            }

            Assert.NotEmpty(written);
            foreach (string path in written)
            {
                var bytes = File.ReadAllBytes(path);
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
                Assert.True(bytes.Length > 2000, $"{path} is suspiciously small ({bytes.Length} bytes)");
            }
        }
        finally
        {
            if (requested is null && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
