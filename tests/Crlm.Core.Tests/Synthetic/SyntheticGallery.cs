using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.Synthetic;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>Renders in-memory phantoms to PNG strips (liver window) for visual review and the docs gallery.</summary>
internal static class SyntheticGallery
{
    /// <summary>The first planned patient of <paramref name="site"/> with <paramref name="label"/>.</summary>
    public static PatientSynthesis.Phantom Phantom(SyntheticCohortOptions options, string site, CohortLabel label)
    {
        var plan = CohortPlanner.Plan(options).First(p => p.Site.Name == site && p.Label == label);
        return PatientSynthesis.Build(plan, options);
    }

    public static Volume<short> Image(PatientSynthesis.Phantom phantom, ContrastPhase phase, SyntheticDifficulty? difficulty = null)
    {
        var grid = phantom.Labels.Grid;
        var hu = PatientSynthesis.RenderPhase(phantom, phase, difficulty ?? SyntheticDifficulty.Default);
        return new Volume<short>(grid.StoredGeometry(), grid.ToStorage(hu));
    }

    /// <summary>World z levels from the liver dome to its tip (plus a margin), evenly spaced.</summary>
    public static double[] LiverLevels(PatientSynthesis.Phantom phantom, int count)
    {
        var grid = phantom.Labels.Grid;
        var liver = phantom.Labels.Liver;
        int nx = grid.Size.X, ny = grid.Size.Y;
        int kMin = int.MaxValue, kMax = int.MinValue;
        for (int v = 0; v < liver.Length; v++)
        {
            if (liver[v] != 0)
            {
                int k = v / (nx * ny);
                kMin = Math.Min(kMin, k);
                kMax = Math.Max(kMax, k);
            }
        }

        var levels = new double[count];
        for (int n = 0; n < count; n++)
        {
            double k = kMax - (kMax - kMin) * (n + 0.5) / count;
            levels[n] = grid.PatientPosition(0, 0, k).Z + grid.WorldOffset.Z;
        }

        return levels;
    }

    public static void WriteStrip(string path, Volume<short> image, IReadOnlyList<double> worldZ, int pixels = 320)
    {
        var (pngPixels, width, height) = AxialSlicePicture.Strip(image, worldZ, pixels);
        PngGrayWriter.Write(path, pngPixels, width, height);
    }
}
