using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// IBSI "intensity statistics" (first-order features on the raw intensities of the intensity mask, IBSI 3.3): 18
/// features. Population moments, excess kurtosis, energy without voxel volume or shift (see docs/radiomics.md).
/// </summary>
public static class IntensityStatisticsFeatures
{
    public const string Family = "intensity_statistics";

    /// <summary>Features of the ROI's intensities; <paramref name="range"/> re-segments the ROI first.</summary>
    public static IReadOnlyList<RadiomicsFeature> Compute(Volume<float> image, Volume<byte> mask, ResegmentationRange? range = null) =>
        Compute(RoiIntensities.Extract(image, mask, range));

    /// <summary>Features of ROI intensities already extracted (any order); the array is sorted in place.</summary>
    public static IReadOnlyList<RadiomicsFeature> Compute(double[] intensities)
    {
        ArgumentNullException.ThrowIfNull(intensities);
        if (intensities.Length == 0)
        {
            throw new ArgumentException("the ROI is empty", nameof(intensities));
        }

        Array.Sort(intensities);
        var s = FirstOrderStatistics.FromSorted(intensities);
        return
        [
            new(Family, "Mean intensity", s.Mean),
            new(Family, "Intensity variance", s.Variance),
            new(Family, "Intensity skewness", s.Skewness),
            new(Family, "(Excess) intensity kurtosis", s.ExcessKurtosis),
            new(Family, "Median intensity", s.Median),
            new(Family, "Minimum intensity", s.Minimum),
            new(Family, "10th intensity percentile", s.Percentile10),
            new(Family, "90th intensity percentile", s.Percentile90),
            new(Family, "Maximum intensity", s.Maximum),
            new(Family, "Intensity interquartile range", s.InterquartileRange),
            new(Family, "Intensity range", s.Range),
            new(Family, "Intensity-based mean absolute deviation", s.MeanAbsoluteDeviation),
            new(Family, "Intensity-based robust mean absolute deviation", s.RobustMeanAbsoluteDeviation),
            new(Family, "Intensity-based median absolute deviation", s.MedianAbsoluteDeviation),
            new(Family, "Intensity-based coefficient of variation", s.CoefficientOfVariation),
            new(Family, "Intensity-based quartile coefficient of dispersion", s.QuartileCoefficientOfDispersion),
            new(Family, "Intensity-based energy", s.Energy),
            new(Family, "Root mean square intensity", Math.Sqrt(s.Energy / intensities.Length)),
        ];
    }
}
