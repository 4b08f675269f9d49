using System.Numerics;

namespace Crlm.Core.Preprocessing;

/// <summary>μ and σ that a z-score used, and over which voxels ("liver", or "all" when the box has no liver).</summary>
public sealed record ZScoreStats(double Mean, double Std, string Over);

/// <summary>Mean, population std, min and max of a float32 array, accumulated in float64 (numpy's definitions).</summary>
public sealed record ValueStats(double Mean, double Std, double Min, double Max)
{
    public static ValueStats Of(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        double sum = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            squares += d * d;
        }

        return new ValueStats(mean, Math.Sqrt(squares / values.Length), min, max);
    }
}

/// <summary>The HU window and the per-scan normalisation, in place over a float32 box (the peer's steps 4 and 5).</summary>
public static class Intensity
{
    /// <summary>np.clip(x, lo, hi) in float32: the window's bounds rounded to float32 once, as numpy does.</summary>
    public static void Clip(Span<float> values, double low, double high)
    {
        float lo = (float)low, hi = (float)high;
        int n = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vlo = new Vector<float>(lo);
            var vhi = new Vector<float>(hi);
            for (; n <= values.Length - Vector<float>.Count; n += Vector<float>.Count)
            {
                Vector.Min(Vector.Max(new Vector<float>(values[n..]), vlo), vhi).CopyTo(values[n..]);
            }
        }

        for (; n < values.Length; n++)
        {
            values[n] = Math.Min(Math.Max(values[n], lo), hi);
        }
    }

    /// <summary>
    /// μ and σ (population) of the values inside <paramref name="mask"/> in float64, two-pass; of all values
    /// when the mask is empty; σ = 0 becomes 1 so a flat box stays finite.
    /// </summary>
    public static ZScoreStats ZScore(ReadOnlySpan<float> values, ReadOnlySpan<byte> mask)
    {
        if (values.Length != mask.Length)
        {
            throw new ArgumentException($"{values.Length} values but a mask of {mask.Length}");
        }

        long count = 0;
        double sum = 0;
        for (int n = 0; n < values.Length; n++)
        {
            if (mask[n] != 0)
            {
                sum += values[n];
                count++;
            }
        }

        if (count == 0)
        {
            var all = ValueStats.Of(values);
            return new ZScoreStats(all.Mean, all.Std > 0 ? all.Std : 1, "all");
        }

        double mean = sum / count;
        double squares = 0;
        for (int n = 0; n < values.Length; n++)
        {
            if (mask[n] != 0)
            {
                double d = values[n] - mean;
                squares += d * d;
            }
        }

        double std = Math.Sqrt(squares / count);
        return new ZScoreStats(mean, std > 0 ? std : 1, "liver");
    }

    /// <summary>x ← (x − <paramref name="offset"/>) / <paramref name="scale"/>, in float64 per voxel, stored as float32 (as the peer).</summary>
    public static void Affine(Span<float> values, double offset, double scale)
    {
        for (int n = 0; n < values.Length; n++)
        {
            values[n] = (float)((values[n] - offset) / scale);
        }
    }
}
