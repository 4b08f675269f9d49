using Crlm.Core.Cohort;
using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>What the scanner adds on top of the anatomy for one scan.</summary>
/// <param name="NoiseSdHu">Noise SD for this patient (site level, difficulty and body size included).</param>
/// <param name="BlurSigmaMm">Reconstruction kernel blur in-plane, mm.</param>
/// <param name="HuOffset">Calibration offset, HU.</param>
internal sealed record ScannerModel(double NoiseSdHu, double BlurSigmaMm, double HuOffset);

/// <summary>
/// Renders one phase of a patient to HU on the canonical grid: tissue table lookup plus texture,
/// lesion appearance, partial-volume and kernel blur, correlated noise, the reconstruction circle
/// and int16 quantisation, in that order (the order a scanner imposes them in).
/// </summary>
internal static class ScanRenderer
{
    /// <summary>Noise grain: CT noise is correlated over about a pixel (the kernel's noise power spectrum).</summary>
    private const double NoiseGrainPixels = 0.7;

    public static short[] Render(PatientLabels labels, PatientAnatomy anatomy, IReadOnlyList<SyntheticLesion> lesions,
        ContrastPhase phase, ScannerModel scanner, SyntheticDifficulty difficulty, SynthRandom noiseRng)
    {
        var g = labels.Grid;
        int n = g.VoxelCount;
        var hu = new float[n];
        FillTissues(labels, anatomy.EnhancementFactor, phase, hu);
        foreach (var lesion in lesions)
        {
            PaintLesion(labels, lesion, phase, anatomy.EnhancementFactor, difficulty.LesionContrastScale, hu);
        }

        double sxy = Math.Sqrt(scanner.BlurSigmaMm * scanner.BlurSigmaMm + Math.Pow(0.45 * g.Spacing.X, 2));
        GaussianBlur.Blur(hu, g.Size, new Vec3(sxy / g.Spacing.X, sxy / g.Spacing.Y, 0.35));
        AddNoise(hu, g.Size, scanner.NoiseSdHu, ref noiseRng);
        return Quantise(hu, g, scanner.HuOffset);
    }

    private static void FillTissues(PatientLabels labels, double enhancement, ContrastPhase phase, float[] hu)
    {
        int count = (int)Tissue.Lesion + 1;
        var mean = new float[count];
        var textureScale = new float[count];
        for (int t = 0; t < count; t++)
        {
            mean[t] = (float)TissueHu.Mean((Tissue)t, phase, enhancement);
            textureScale[t] = (float)(TissueHu.TextureSd((Tissue)t, phase) / PatientLabels.TextureUnit);
        }

        var map = labels.TissueMap;
        var texture = labels.Texture;
        for (int v = 0; v < hu.Length; v++)
        {
            int t = map[v];
            hu[v] = mean[t] + textureScale[t] * texture[v];
        }
    }

    private static void PaintLesion(PatientLabels labels, SyntheticLesion lesion, ContrastPhase phase, double enhancement,
        double contrastScale, float[] hu)
    {
        var g = labels.Grid;
        double extent = lesion.MaxExtent + 1;
        var half = new Vec3(extent, extent, extent);
        if (!labels.TryRange(lesion.Centre - half, lesion.Centre + half, out var lo, out var hi))
        {
            return;
        }

        for (int k = lo.Z; k <= hi.Z; k++)
        {
            for (int j = lo.Y; j <= hi.Y; j++)
            {
                for (int i = lo.X; i <= hi.X; i++)
                {
                    int v = labels.Index(i, j, k);
                    if (labels.LesionIds[v] != lesion.Id)
                    {
                        continue;
                    }

                    double rho = Math.Min(1, lesion.NormalizedRadius(g.PatientPosition(i, j, k), out var direction));
                    double texture = labels.Texture[v] / PatientLabels.TextureUnit;
                    hu[v] = (float)LesionAppearance.Hu(lesion, phase, rho, direction, texture, enhancement, contrastScale);
                }
            }
        }
    }

    /// <summary>Adds noise slice by slice: white noise, blurred to the noise grain, rescaled to the requested SD.</summary>
    private static void AddNoise(float[] hu, Int3 size, double sd, ref SynthRandom rng)
    {
        if (sd <= 0)
        {
            return;
        }

        var kernel = GaussianBlur.Kernel(NoiseGrainPixels);
        double sumSquares = kernel.Sum(w => (double)w * w);
        // Blurring white noise in x and y scales its SD by sum(w^2) (once per axis, square-rooted twice).
        float gain = (float)(sd / sumSquares);
        int plane = size.X * size.Y;
        var noise = new float[plane];
        var sliceSize = new Int3(size.X, size.Y, 1);
        for (int k = 0; k < size.Z; k++)
        {
            for (int v = 0; v < plane; v++)
            {
                noise[v] = rng.NextNoise();
            }

            GaussianBlur.Blur(noise, sliceSize, new Vec3(NoiseGrainPixels, NoiseGrainPixels, 0));
            GaussianBlur.AddScaled(hu.AsSpan(k * plane, plane), noise, gain);
        }
    }

    /// <summary>Rounds to int16 HU; outside the scanner's reconstruction circle the value is -1024, as scanners write it.</summary>
    private static short[] Quantise(float[] hu, ScanGrid g, double offset)
    {
        var output = new short[hu.Length];
        int nx = g.Size.X, ny = g.Size.Y;
        double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, radius2 = cx * cx;
        for (int k = 0; k < g.Size.Z; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                int row = (k * ny + j) * nx;
                double dy = j - cy;
                for (int i = 0; i < nx; i++)
                {
                    double dx = i - cx;
                    output[row + i] = dx * dx + dy * dy > radius2
                        ? (short)-1024
                        : (short)Math.Clamp(Math.Round(hu[row + i] + offset), -1024, 3071);
                }
            }
        }

        return output;
    }
}
