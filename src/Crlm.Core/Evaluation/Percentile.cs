namespace Crlm.Core.Evaluation;

/// <summary>Sample quantiles as numpy.percentile computes them by default.</summary>
public static class Percentile
{
    /// <summary>
    /// Hyndman–Fan type 7 (numpy's "linear"): sort, take position h = (m − 1)·q and interpolate between the values
    /// either side. Arithmetic follows numpy 1.24 step by step (q/100, then (m−1)·q, then its two-sided lerp), so the
    /// results agree with the peer to the last bit or so. Null for an empty sample.
    /// </summary>
    /// <param name="values">Any order; not modified.</param>
    /// <param name="percent">In [0, 100], as numpy takes it.</param>
    public static double? Type7(ReadOnlySpan<double> values, double percent)
    {
        if (percent is < 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "percent must be in [0, 100]");
        }

        if (values.IsEmpty)
        {
            return null;
        }

        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted(sorted, percent);
    }

    internal static double OfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        double q = percent / 100;
        double position = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double gamma = position - below;
        double a = sorted[below], b = sorted[above];
        double diff = b - a;
        // numpy's _lerp: interpolate from whichever end is nearer, so t = 1 returns b exactly.
        return gamma >= 0.5 ? b - (diff * (1 - gamma)) : a + (diff * gamma);
    }
}
