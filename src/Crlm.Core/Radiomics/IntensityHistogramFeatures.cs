namespace Crlm.Core.Radiomics;

/// <summary>
/// IBSI "intensity histogram" (first-order features on the discretised grey levels, IBSI 3.4): 23 features.
/// The histogram runs over every level 1..N_g, absent levels included (they matter for the gradients).
/// </summary>
public static class IntensityHistogramFeatures
{
    public const string Family = "intensity_histogram";

    public static IReadOnlyList<RadiomicsFeature> Compute(DiscretisedRoi roi)
    {
        ArgumentNullException.ThrowIfNull(roi);
        roi.Validate();
        int levelCount = roi.LevelCount;
        var counts = new long[levelCount + 1];
        foreach (int level in roi.Levels)
        {
            counts[level]++;
        }

        long total = roi.Levels.LongLength - counts[0];
        if (total == 0)
        {
            throw new ArgumentException("the ROI is empty: no voxel has a grey level", nameof(roi));
        }

        // The sorted sample, rebuilt from the histogram (no sort of the voxels needed).
        var sorted = new double[total];
        long next = 0;
        for (int level = 1; level <= levelCount; level++)
        {
            for (long c = 0; c < counts[level]; c++)
            {
                sorted[next++] = level;
            }
        }

        var s = FirstOrderStatistics.FromSorted(sorted);
        double entropy = 0;
        double uniformity = 0;
        for (int level = 1; level <= levelCount; level++)
        {
            if (counts[level] > 0)
            {
                double p = (double)counts[level] / total;
                entropy -= p * Math.Log2(p);
                uniformity += p * p;
            }
        }

        var (maxGradient, maxGradientLevel, minGradient, minGradientLevel) = Gradients(counts, levelCount);
        return
        [
            new(Family, "Mean discretised intensity", s.Mean),
            new(Family, "Discretised intensity variance", s.Variance),
            new(Family, "Discretised intensity skewness", s.Skewness),
            new(Family, "(Excess) discretised intensity kurtosis", s.ExcessKurtosis),
            new(Family, "Median discretised intensity", s.Median),
            new(Family, "Minimum discretised intensity", s.Minimum),
            new(Family, "10th discretised intensity percentile", s.Percentile10),
            new(Family, "90th discretised intensity percentile", s.Percentile90),
            new(Family, "Maximum discretised intensity", s.Maximum),
            new(Family, "Intensity histogram mode", Mode(counts, levelCount, s.Mean)),
            new(Family, "Discretised intensity interquartile range", s.InterquartileRange),
            new(Family, "Discretised intensity range", s.Range),
            new(Family, "Intensity histogram mean absolute deviation", s.MeanAbsoluteDeviation),
            new(Family, "Intensity histogram robust mean absolute deviation", s.RobustMeanAbsoluteDeviation),
            new(Family, "Intensity histogram median absolute deviation", s.MedianAbsoluteDeviation),
            new(Family, "Intensity histogram coefficient of variation", s.CoefficientOfVariation),
            new(Family, "Intensity histogram quartile coefficient of dispersion", s.QuartileCoefficientOfDispersion),
            new(Family, "Discretised intensity entropy", entropy),
            new(Family, "Discretised intensity uniformity", uniformity),
            new(Family, "Maximum histogram gradient", maxGradient),
            new(Family, "Maximum histogram gradient intensity", maxGradientLevel),
            new(Family, "Minimum histogram gradient", minGradient),
            new(Family, "Minimum histogram gradient intensity", minGradientLevel),
        ];
    }

    /// <summary>The most frequent level; on a tie, the one closest to the mean (IBSI), then the lowest.</summary>
    private static int Mode(long[] counts, int levelCount, double mean)
    {
        int mode = 1;
        for (int level = 2; level <= levelCount; level++)
        {
            if (counts[level] > counts[mode] || (counts[level] == counts[mode] && Math.Abs(level - mean) < Math.Abs(mode - mean)))
            {
                mode = level;
            }
        }

        return mode;
    }

    /// <summary>
    /// IBSI histogram gradient: central differences (H(i+1) - H(i-1)) / 2 inside, one-sided differences at levels 1 and
    /// N_g; the first level reaching the extreme is reported. With one level the gradient is 0.
    /// </summary>
    private static (double Max, int MaxLevel, double Min, int MinLevel) Gradients(long[] counts, int levelCount)
    {
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        int maxLevel = 1, minLevel = 1;
        for (int level = 1; level <= levelCount; level++)
        {
            double gradient = levelCount == 1 ? 0
                : level == 1 ? counts[2] - counts[1]
                : level == levelCount ? counts[levelCount] - counts[levelCount - 1]
                : 0.5 * (counts[level + 1] - counts[level - 1]);
            if (gradient > max)
            {
                max = gradient;
                maxLevel = level;
            }

            if (gradient < min)
            {
                min = gradient;
                minLevel = level;
            }
        }

        return (max, maxLevel, min, minLevel);
    }
}
