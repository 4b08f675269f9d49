using Crlm.Core.Cohort;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// The axial-slice gallery (liver window W300/L60, radiological display) of every site, class and
/// phase. Regenerate it with
/// <c>CRLM_GALLERY_DIR=docs/gallery dotnet test tests/Crlm.Core.Tests/Crlm.Core.Tests.csproj --filter FullyQualifiedName~SyntheticGallery</c>;
/// without the variable one strip is rendered to a temporary folder and checked, to keep the
/// suite fast. Generation timing: set CRLM_SYNTH_TIMING to a folder (see docs/synthetic-cohort.md).
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
