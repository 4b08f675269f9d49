using Crlm.Core.Randomness;

namespace Crlm.Core.Search;

/// <summary>
/// The mixture weights of a Parzen estimator over observations in trial order, plus the prior
/// component last. Optuna's default_weights: all ones up to 25 observations; beyond, the newest
/// 25 weigh 1 and the older ones ramp linearly from 1/n up to 1, so old trials fade.
/// </summary>
internal static class ParzenWeights
{
    public static double[] For(int observations, double priorWeight)
    {
        var w = new double[observations + 1];
        int ramp = Math.Max(0, observations - 25);
        for (int i = 0; i < observations; i++)
        {
            w[i] = i < ramp ? LinearSpace(1.0 / observations, 1.0, ramp, i) : 1.0;
        }

        // With no observations the estimator is the prior alone (Optuna forces the prior on then).
        w[observations] = priorWeight;
        double sum = w.Sum();
        for (int i = 0; i < w.Length; i++)
        {
            w[i] /= sum;
        }

        return w;
    }

    /// <summary>numpy.linspace(start, stop, count)[index].</summary>
    private static double LinearSpace(double start, double stop, int count, int index) =>
        count == 1 ? start : start + ((stop - start) * index / (count - 1));

    /// <summary>Index of the component chosen by one uniform draw.</summary>
    public static int Pick(double[] weights, SplitMix64 rng)
    {
        double u = rng.NextDouble();
        double cumulative = 0;
        for (int i = 0; i < weights.Length - 1; i++)
        {
            cumulative += weights[i];
            if (u < cumulative)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>ln Σ exp(terms), stable.</summary>
    public static double LogSumExp(ReadOnlySpan<double> terms)
    {
        double max = double.NegativeInfinity;
        foreach (double t in terms)
        {
            max = Math.Max(max, t);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double t in terms)
        {
            sum += Math.Exp(t - max);
        }

        return max + Math.Log(sum);
    }
}

/// <summary>
/// Univariate Parzen estimator of a numeric parameter in internal coordinates: a weighted mixture
/// of normals truncated to [low, high], one per observation plus a broad prior (mean at the
/// centre, sigma = high - low). Bandwidths follow Optuna 3.1 (consider_endpoints = false, magic
/// clip on): each component's sigma is the larger gap to its neighbours in sorted order (prior
/// included; the outermost use their inner gap rather than the gap to the bound), clipped to
/// [(high - low) / min(100, 1 + components), high - low].
/// </summary>
internal sealed class NumericParzenEstimator
{
    private readonly NumericDomain _domain;
    private readonly double[] _weights;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logMassInside;

    public NumericParzenEstimator(IReadOnlyList<double> observations, NumericDomain domain, double priorWeight, bool magicClip = true)
    {
        _domain = domain;
        int n = observations.Count;
        double low = domain.Low, high = domain.High, range = high - low;
        _weights = ParzenWeights.For(n, priorWeight);
        _mus = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            _mus[i] = observations[i];
        }

        _mus[n] = 0.5 * (low + high);
        _sigmas = Bandwidths(_mus, low, high);
        double minSigma = magicClip ? range / Math.Min(100.0, 1.0 + _mus.Length) : 1e-12;
        for (int i = 0; i < _sigmas.Length; i++)
        {
            _sigmas[i] = Math.Clamp(_sigmas[i], minSigma, range);
        }

        _sigmas[n] = range;
        _logMassInside = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            _logMassInside[i] = NormalMath.LogMass((low - _mus[i]) / _sigmas[i], (high - _mus[i]) / _sigmas[i]);
        }
    }

    /// <summary>A draw in internal coordinates (before rounding and the inverse log).</summary>
    public double Sample(SplitMix64 rng)
    {
        int k = ParzenWeights.Pick(_weights, rng);
        return NormalMath.NextTruncatedNormal(rng, _mus[k], _sigmas[k], _domain.Low, _domain.High);
    }

    /// <summary>
    /// ln density at internal coordinate <paramref name="x"/>; for uniform ints, the ln probability
    /// of the integer, i.e. the mass of [x - 0.5, x + 0.5] clipped to the bounds.
    /// </summary>
    public double LogPdf(double x)
    {
        Span<double> terms = _mus.Length <= 256 ? stackalloc double[_mus.Length] : new double[_mus.Length];
        for (int i = 0; i < _mus.Length; i++)
        {
            double mu = _mus[i], sigma = _sigmas[i];
            double log;
            if (_domain.Step is double q)
            {
                double upper = Math.Min(x + (q / 2), _domain.High);
                double lower = Math.Max(x - (q / 2), _domain.Low);
                log = NormalMath.LogMass((lower - mu) / sigma, (upper - mu) / sigma);
            }
            else
            {
                log = NormalMath.LogPdf((x - mu) / sigma) - Math.Log(sigma);
            }

            terms[i] = Math.Log(_weights[i]) + log - _logMassInside[i];
        }

        return ParzenWeights.LogSumExp(terms);
    }

    private static double[] Bandwidths(double[] mus, double low, double high)
    {
        int m = mus.Length;
        int[] order = Enumerable.Range(0, m).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        var padded = new double[m + 2];
        padded[0] = low;
        padded[m + 1] = high;
        for (int r = 0; r < m; r++)
        {
            padded[r + 1] = mus[order[r]];
        }

        var sortedSigmas = new double[m];
        for (int r = 0; r < m; r++)
        {
            sortedSigmas[r] = Math.Max(padded[r + 1] - padded[r], padded[r + 2] - padded[r + 1]);
        }

        // consider_endpoints = false: the outermost components ignore the gap to the bound.
        if (m >= 2)
        {
            sortedSigmas[0] = padded[2] - padded[1];
            sortedSigmas[m - 1] = padded[m] - padded[m - 1];
        }

        var sigmas = new double[m];
        for (int r = 0; r < m; r++)
        {
            sigmas[order[r]] = sortedSigmas[r];
        }

        return sigmas;
    }
}

/// <summary>
/// Parzen estimator of a categorical parameter: one component per observation putting mass 1 on
/// the observed choice plus prior_weight / (n + 1) on every choice, renormalised, and a prior
/// component that is uniform (Optuna 3.1's categorical estimator).
/// </summary>
internal sealed class CategoricalParzenEstimator
{
    private readonly double[] _weights;
    private readonly double[][] _rows;

    public CategoricalParzenEstimator(IReadOnlyList<int> observations, int choices, double priorWeight)
    {
        int n = observations.Count;
        _weights = ParzenWeights.For(n, priorWeight);
        _rows = new double[n + 1][];
        double floor = priorWeight / (n + 1);
        for (int i = 0; i <= n; i++)
        {
            var row = new double[choices];
            Array.Fill(row, floor);
            if (i < n)
            {
                row[observations[i]] += 1;
            }

            double sum = row.Sum();
            for (int c = 0; c < choices; c++)
            {
                row[c] /= sum;
            }

            _rows[i] = row;
        }
    }

    public int Sample(SplitMix64 rng)
    {
        double[] row = _rows[ParzenWeights.Pick(_weights, rng)];
        return ParzenWeights.Pick(row, rng);
    }

    public double LogPdf(int choice)
    {
        double p = 0;
        for (int i = 0; i < _rows.Length; i++)
        {
            p += _weights[i] * _rows[i][choice];
        }

        return Math.Log(p);
    }
}
