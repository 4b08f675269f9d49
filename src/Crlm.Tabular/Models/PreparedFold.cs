using Crlm.Core.Randomness;

namespace Crlm.Tabular.Models;

/// <summary>
/// What a cross-validation fold computes before the trial's configuration matters: the scaler of its training
/// rows, the SMOTE-resampled scaled rows (their stream is the fold's seed, never the configuration) and their
/// full PCA basis with scores. A trial then only takes the first k scores and fits the logistic regression
/// (<see cref="Fit"/>), with the same result as <see cref="BenchmarkModelTrainer.FitFold"/> on the fold's rows.
/// </summary>
/// <remarks>
/// Thread-safe: the basis is computed once, on first use, by whichever trial gets there first. Memory is a few
/// copies of the fold's rows: for 300 × 512 about 270 × 512 floats of split rows plus ≈ 360 × 512 doubles of
/// resampled rows and components and 360 × 270 scores, ≈ 4 MB per fold, 40 MB for 10 folds.
/// </remarks>
internal sealed class PreparedFold
{
    private readonly float[] _offset;
    private readonly float[] _scale;
    private readonly ResampledRows _resampled;
    private readonly Lazy<PcaBasis> _eigen;
    private readonly Lazy<PcaBasis> _svd;

    private PreparedFold(FoldSplit split, float[] offset, float[] scale, ResampledRows resampled)
    {
        Split = split;
        _offset = offset;
        _scale = scale;
        _resampled = resampled;
        _eigen = new(() => PcaBasis.Fit(resampled.Features, resampled.Count, resampled.Dimension, PcaSolver.Eigen));
        _svd = new(() => PcaBasis.Fit(resampled.Features, resampled.Count, resampled.Dimension, PcaSolver.Svd));
    }

    public FoldSplit Split { get; }

    /// <param name="seed">The fold's seed; SMOTE draws from its "smote" stream as in <see cref="BenchmarkModelTrainer.FitFold"/>.</param>
    public static PreparedFold Prepare(FoldSplit split, long seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        int n = split.TrainCount;
        int d = split.Dimension;
        var (offset, scale) = Standardisation.Fit(split.TrainRows, n, d);
        var scaled = Standardisation.Apply(split.TrainRows, n, d, offset, scale);
        var resampled = Smote.Resample(scaled, split.TrainLabels, n, d, BenchmarkModelConfig.SmoteNeighbors, SplitMix64.Derive(seed, "smote"));
        return new PreparedFold(split, offset, scale, resampled);
    }

    /// <summary>The trial's fit: the first k components of the cached basis (the SVD's past what the eigen route resolves, as <see cref="PrincipalComponents.Fit(ReadOnlySpan{double}, int, int, int)"/> chooses), then the logistic regression.</summary>
    public FoldModel Fit(BenchmarkModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        int m = _resampled.Count;
        int d = _resampled.Dimension;
        int k = config.PcaComponents;
        if (k > Math.Min(m, d))
        {
            throw new ArgumentException($"PcaComponents {k} exceeds min(training rows after SMOTE, features) = min({m}, {d})");
        }

        var basis = k <= _eigen.Value.Count ? _eigen.Value : _svd.Value;
        var scores = basis.LeadingScores(k);

        // After SMOTE the classes are balanced, so 'balanced' weights are all 1; computed anyway (see FitFold).
        float[] weights = config.BalancedClassWeight ? LogisticFit.BalancedWeights(_resampled.Labels) : [];
        var (coefficients, bias) = ArrayLogisticRegression.Fit(scores, m, k, _resampled.Labels, weights, config);
        return new FoldModel(_offset, _scale, basis.Components.Leading(k), coefficients, bias);
    }
}
