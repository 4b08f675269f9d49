namespace Crlm.Core.Radiomics;

/// <summary>
/// The statistics that IBSI's intensity statistics and intensity histogram families share, computed from one
/// sorted sample. Moments are population moments (divide by N); percentiles interpolate linearly between order
/// statistics (position p (N - 1) in the sorted sample).
/// </summary>
internal sealed record FirstOrderStatistics(
    double Mean,
    double Variance,
    double Skewness,
    double ExcessKurtosis,
    double Median,
    double Minimum,
    double Percentile10,
    double Percentile90,
    double Maximum,
    double InterquartileRange,
    double Range,
    double MeanAbsoluteDeviation,
    double RobustMeanAbsoluteDeviation,
    double MedianAbsoluteDeviation,
    double CoefficientOfVariation,
    double QuartileCoefficientOfDispersion,
    double Energy)
{
    /// <param name="sorted">The ROI's values in ascending order (at least one).</param>
    public static FirstOrderStatistics FromSorted(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("the ROI is empty", nameof(sorted));
        }

        int n = sorted.Length;
        double sum = 0;
        double energy = 0;
        for (int i = 0; i < n; i++)
        {
            sum += sorted[i];
            energy += sorted[i] * sorted[i];
        }

        double mean = sum / n;
        double m2 = 0, m3 = 0, m4 = 0, absMean = 0;
        for (int i = 0; i < n; i++)
        {
            double d = sorted[i] - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
            absMean += Math.Abs(d);
        }

        m2 /= n;
        m3 /= n;
        m4 /= n;
        double median = Percentile(sorted, 0.5);
        double p10 = Percentile(sorted, 0.10);
        double p90 = Percentile(sorted, 0.90);
        double p25 = Percentile(sorted, 0.25);
        double p75 = Percentile(sorted, 0.75);

        double absMedian = 0;
        double robustSum = 0;
        int robustCount = 0;
        for (int i = 0; i < n; i++)
        {
            absMedian += Math.Abs(sorted[i] - median);
            if (sorted[i] >= p10 && sorted[i] <= p90)
            {
                robustSum += sorted[i];
                robustCount++;
            }
        }

        double robustMean = robustSum / robustCount;
        double robustAbs = 0;
        for (int i = 0; i < n; i++)
        {
            if (sorted[i] >= p10 && sorted[i] <= p90)
            {
                robustAbs += Math.Abs(sorted[i] - robustMean);
            }
        }

        // A constant ROI has no shape: skewness and kurtosis are undefined (NaN), as IBSI leaves them.
        double skewness = m2 > 0 ? m3 / Math.Pow(m2, 1.5) : double.NaN;
        double kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3 : double.NaN;
        return new FirstOrderStatistics(
            Mean: mean,
            Variance: m2,
            Skewness: skewness,
            ExcessKurtosis: kurtosis,
            Median: median,
            Minimum: sorted[0],
            Percentile10: p10,
            Percentile90: p90,
            Maximum: sorted[n - 1],
            InterquartileRange: p75 - p25,
            Range: sorted[n - 1] - sorted[0],
            MeanAbsoluteDeviation: absMean / n,
            RobustMeanAbsoluteDeviation: robustAbs / robustCount,
            MedianAbsoluteDeviation: absMedian / n,
            CoefficientOfVariation: Math.Sqrt(m2) / mean,
            QuartileCoefficientOfDispersion: (p75 - p25) / (p75 + p25),
            Energy: energy);
    }

    /// <summary>Linear interpolation between order statistics at position p (N - 1) (numpy's default).</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        double fraction = position - lower;
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
    }
}
