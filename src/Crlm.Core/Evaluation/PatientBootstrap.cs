using System.Globalization;

namespace Crlm.Core.Evaluation;

/// <summary>How threshold metrics pick their threshold inside each bootstrap resample.</summary>
public enum BootstrapThreshold
{
    /// <summary>The full-sample Youden threshold in every resample (the reported operating point's uncertainty).</summary>
    Fixed,

    /// <summary>Youden re-optimised in every resample (includes the threshold's own variability); resamples with a
    /// single class keep the full-sample threshold.</summary>
    Refit,
}

/// <param name="Resamples">B, the number of resamples.</param>
/// <param name="Seed">Seeds <see cref="BootstrapIndices.Draw"/>.</param>
/// <param name="Level">Two-sided confidence level; the CI is the (1−Level)/2 and (1+Level)/2 percentiles.</param>
/// <param name="Parallel">Computes resamples in parallel; the result is identical either way (indices are drawn first,
/// sequentially, and every resample writes only its own slot).</param>
public sealed record BootstrapOptions(
    int Resamples = 1000,
    long Seed = 0,
    double Level = 0.95,
    BootstrapThreshold Threshold = BootstrapThreshold.Fixed,
    bool Parallel = true);

/// <summary>Percentile interval of one metric; Lower/Upper are null when no resample had the metric defined.</summary>
/// <param name="ValidResamples">Resamples where the metric was defined (the others are skipped for this metric).</param>
public sealed record ConfidenceInterval(double? Lower, double? Upper, int ValidResamples);

/// <param name="Method">In words, for reports: "percentile bootstrap over patients, B=1000, seed 0, threshold fixed".</param>
/// <param name="Seed">Null when the resamples were supplied rather than drawn.</param>
/// <param name="SkippedSingleClass">Resamples holding one class only (no AUC there).</param>
public sealed record BootstrapResult(
    string Method,
    int Resamples,
    long? Seed,
    double Level,
    BootstrapThreshold Threshold,
    double FullSampleThreshold,
    int SkippedSingleClass,
    ConfidenceInterval Auc,
    ConfidenceInterval Sensitivity,
    ConfidenceInterval Specificity,
    ConfidenceInterval BalancedAccuracy,
    ConfidenceInterval Precision,
    ConfidenceInterval F1,
    ConfidenceInterval Brier);

/// <summary>
/// Percentile bootstrap confidence intervals over patients, as ../shared/peers/metrics.py computes them: resample
/// patient rows with replacement, compute every metric per resample, drop a resample for a metric where that metric is
/// undefined, and take numpy-style (type 7) percentiles of what remains.
/// </summary>
public static class PatientBootstrap
{
    /// <summary>Draws <see cref="BootstrapOptions.Resamples"/> resamples from <see cref="BootstrapOptions.Seed"/>.</summary>
    /// <param name="fullSampleThreshold">Usually the Youden threshold of the same data; a threshold carried from
    /// development data works too.</param>
    public static BootstrapResult Run(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, double fullSampleThreshold, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Inputs.Check(positive, probabilities);
        if (positive.IsEmpty)
        {
            throw new ArgumentException("cannot bootstrap an empty set", nameof(positive));
        }

        int[][] indices = BootstrapIndices.Draw(positive.Length, options.Resamples, options.Seed);
        string method = string.Create(
            CultureInfo.InvariantCulture,
            $"percentile bootstrap over patients, B={options.Resamples}, seed {options.Seed}, threshold {Name(options.Threshold)}");
        return Evaluate(positive, probabilities, fullSampleThreshold, indices, options, method, options.Seed);
    }

    /// <summary>Replays given resamples (e.g. the peer's --indices-out file); <see cref="BootstrapOptions.Resamples"/>
    /// and <see cref="BootstrapOptions.Seed"/> are ignored.</summary>
    public static BootstrapResult Replay(
        ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, double fullSampleThreshold, IReadOnlyList<int[]> resamples, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resamples);
        Inputs.Check(positive, probabilities);
        int n = positive.Length;
        for (int r = 0; r < resamples.Count; r++)
        {
            if (resamples[r].Length != n || resamples[r].Any(i => i < 0 || i >= n))
            {
                throw new ArgumentException($"resample {r} must hold {n} indices in [0, {n})", nameof(resamples));
            }
        }

        string method = string.Create(
            CultureInfo.InvariantCulture,
            $"percentile bootstrap over patients, B={resamples.Count}, supplied resamples, threshold {Name(options.Threshold)}");
        return Evaluate(positive, probabilities, fullSampleThreshold, resamples, options, method, null);
    }

    private static string Name(BootstrapThreshold mode) => mode == BootstrapThreshold.Fixed ? "fixed" : "refit";

    private static BootstrapResult Evaluate(
        ReadOnlySpan<bool> positive,
        ReadOnlySpan<double> probabilities,
        double fullSampleThreshold,
        IReadOnlyList<int[]> resamples,
        BootstrapOptions options,
        string method,
        long? seed)
    {
        if (options.Level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Level, "Level must be in (0, 1)");
        }

        bool[] y = positive.ToArray();
        double[] p = probabilities.ToArray();
        int b = resamples.Count;
        // One slot per resample and metric; NaN marks "undefined here" and is dropped before the percentiles.
        var values = new double[MetricCount][];
        for (int m = 0; m < MetricCount; m++)
        {
            values[m] = new double[b];
        }

        var singleClass = new bool[b];
        void One(int r)
        {
            int[] idx = resamples[r];
            var yy = new bool[idx.Length];
            var pp = new double[idx.Length];
            for (int i = 0; i < idx.Length; i++)
            {
                yy[i] = y[idx[i]];
                pp[i] = p[idx[i]];
            }

            var ranked = RankedScores.From(yy, pp);
            singleClass[r] = !ranked.HasBothClasses;
            double threshold = fullSampleThreshold;
            if (options.Threshold == BootstrapThreshold.Refit && ranked.Youden() is { } refit)
            {
                threshold = refit.Threshold;
            }

            var op = OperatingPoint.FromConfusion(ConfusionMatrix.Count(yy, pp, threshold), threshold);
            values[0][r] = ranked.Auc() ?? double.NaN;
            values[1][r] = op.Sensitivity ?? double.NaN;
            values[2][r] = op.Specificity ?? double.NaN;
            values[3][r] = op.BalancedAccuracy ?? double.NaN;
            values[4][r] = op.Precision ?? double.NaN;
            values[5][r] = op.F1 ?? double.NaN;
            values[6][r] = BrierScore.Mean(yy, pp);
        }

        if (options.Parallel)
        {
            System.Threading.Tasks.Parallel.For(0, b, One);
        }
        else
        {
            for (int r = 0; r < b; r++)
            {
                One(r);
            }
        }

        // The same arithmetic as metrics.py: 100·(1 − level)/2 and 100·(1 + level)/2, passed to a percentile in percent.
        double lowPercent = 100 * (1 - options.Level) / 2;
        double highPercent = 100 * (1 + options.Level) / 2;
        ConfidenceInterval Interval(double[] v)
        {
            double[] valid = v.Where(double.IsFinite).ToArray();
            if (valid.Length == 0)
            {
                return new ConfidenceInterval(null, null, 0);
            }

            Array.Sort(valid);
            return new ConfidenceInterval(Percentile.OfSorted(valid, lowPercent), Percentile.OfSorted(valid, highPercent), valid.Length);
        }

        return new BootstrapResult(
            method,
            b,
            seed,
            options.Level,
            options.Threshold,
            fullSampleThreshold,
            singleClass.Count(s => s),
            Interval(values[0]),
            Interval(values[1]),
            Interval(values[2]),
            Interval(values[3]),
            Interval(values[4]),
            Interval(values[5]),
            Interval(values[6]));
    }

    private const int MetricCount = 7;
}
