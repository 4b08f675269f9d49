using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// IBSI intensity discretisation of a ROI into grey levels 1..N_g (IBSI chapter 2, "Intensity discretisation").
/// </summary>
public static class Discretiser
{
    /// <summary>
    /// Fixed bin size (IBSI "FBS"): level = floor((x - X_min) / w) + 1, with X_min = <paramref name="lowerBound"/>
    /// (the lower bound of the re-segmentation range) or, when null, the ROI minimum. N_g is the level of the ROI
    /// maximum, so bins above the highest intensity present are not counted.
    /// </summary>
    /// <param name="mask">The intensity mask (non-zero = in the ROI), e.g. from <see cref="RoiIntensities.Resegment"/>.</param>
    public static DiscretisedRoi FixedBinWidth(Volume<float> image, Volume<byte> mask, double binWidth, double? lowerBound = null)
    {
        if (!(binWidth > 0) || !double.IsFinite(binWidth))
        {
            throw new ArgumentOutOfRangeException(nameof(binWidth), binWidth, "bin width must be positive and finite");
        }

        var (min, max) = RoiRange(image, mask);
        double xMin = lowerBound ?? min;
        if (min < xMin)
        {
            throw new ArgumentException($"ROI minimum {min} lies below the lower bound {xMin}: re-segment the ROI first", nameof(lowerBound));
        }

        var levels = new int[mask.Voxels.Length];
        var voxels = image.Voxels;
        var inRoi = mask.Voxels;
        int levelCount = 1;
        for (int n = 0; n < levels.Length; n++)
        {
            if (inRoi[n] != 0)
            {
                int level = FixedBinWidthLevel(voxels[n], xMin, binWidth);
                levels[n] = level;
                levelCount = Math.Max(levelCount, level);
            }
        }

        return new DiscretisedRoi(mask.Size, mask.Geometry.Spacing, levels, levelCount);
    }

    /// <summary>
    /// Fixed bin number (IBSI "FBN"): level = floor(N_g (x - X_min) / (X_max - X_min)) + 1 with the ROI minimum and
    /// maximum, and X_max itself mapped to N_g. A constant ROI gets level 1 everywhere. N_g = <paramref name="binCount"/>.
    /// </summary>
    public static DiscretisedRoi FixedBinCount(Volume<float> image, Volume<byte> mask, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var (min, max) = RoiRange(image, mask);
        var levels = new int[mask.Voxels.Length];
        var voxels = image.Voxels;
        var inRoi = mask.Voxels;
        for (int n = 0; n < levels.Length; n++)
        {
            if (inRoi[n] != 0)
            {
                levels[n] = FixedBinCountLevel(voxels[n], min, max, binCount);
            }
        }

        return new DiscretisedRoi(mask.Size, mask.Geometry.Spacing, levels, binCount);
    }

    /// <summary>The IBSI fixed-bin-size level of one intensity.</summary>
    public static int FixedBinWidthLevel(double x, double xMin, double binWidth) => (int)Math.Floor((x - xMin) / binWidth) + 1;

    /// <summary>The IBSI fixed-bin-number level of one intensity; <paramref name="xMax"/> maps to <paramref name="binCount"/>.</summary>
    public static int FixedBinCountLevel(double x, double xMin, double xMax, int binCount)
    {
        if (!(xMax > xMin))
        {
            return 1;
        }

        int level = (int)Math.Floor(binCount * (x - xMin) / (xMax - xMin)) + 1;
        return Math.Clamp(level, 1, binCount);
    }

    private static (double Min, double Max) RoiRange(Volume<float> image, Volume<byte> mask)
    {
        RoiIntensities.RequireSameGrid(image, mask);
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        var voxels = image.Voxels;
        var inRoi = mask.Voxels;
        for (int n = 0; n < inRoi.Length; n++)
        {
            if (inRoi[n] != 0)
            {
                double x = voxels[n];
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
        }

        if (min > max)
        {
            throw new ArgumentException("the ROI is empty: no mask voxel is non-zero", nameof(mask));
        }

        return (min, max);
    }
}
