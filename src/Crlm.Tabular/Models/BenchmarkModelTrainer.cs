using System.Collections.Immutable;
using Crlm.Core.Randomness;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Crlm.Tabular.Models;

/// <summary>
/// Fits the study's per-encoder model on arrays: ML.NET's scaler on the real rows, SMOTE on the scaled
/// rows, exact PCA and ML.NET's logistic regression on the resampled rows. One trainer (one MLContext)
/// serves every fold and trial.
/// </summary>
public sealed class BenchmarkModelTrainer(MLContext ml)
{
    private readonly MLContext _ml = ml ?? throw new ArgumentNullException(nameof(ml));

    /// <param name="features">Row-major, <paramref name="count"/> × <paramref name="dimension"/>.</param>
    /// <param name="seed">Seeds SMOTE's draws (the only random step).</param>
    public BenchmarkModel Fit(ReadOnlySpan<float> features, int count, int dimension, ReadOnlySpan<bool> labels, BenchmarkModelConfig config, long seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (features.Length != count * dimension || labels.Length != count)
        {
            throw new ArgumentException($"expected {count} rows of {dimension} features and {count} labels, got {features.Length} values and {labels.Length} labels");
        }

        // sklearn's StandardScaler subtracts the mean and divides by the population sd (ddof = 0);
        // ML.NET's NormalizeMeanVariance does the same only with fixZero: false (fixZero keeps zero at zero, no centring).
        var scaler = _ml.Transforms.NormalizeMeanVariance(ModelColumns.Features, fixZero: false)
            .Fit(ModelColumns.ToDataView(_ml, features, count, dimension, labels, []));
        var affine = (NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)scaler.GetNormalizerModelParameters(0);
        float[] offset = affine.Offset.IsDefaultOrEmpty ? new float[dimension] : [.. affine.Offset];
        float[] scale = [.. affine.Scale];

        // In float, as ML.NET's transform computes it, so training rows equal what prediction sees.
        var scaled = Standardisation.Apply(features, count, dimension, offset, scale);
        var resampled = Smote.Resample(scaled, labels, count, dimension, BenchmarkModelConfig.SmoteNeighbors, SplitMix64.Derive(seed, "smote"));
        return FitResampled(resampled, config, scaler, offset, scale);
    }

    /// <summary>
    /// The cross-validation's fit: the same steps as <see cref="Fit"/>, but the scaler is fitted on arrays
    /// (<see cref="Standardisation"/>, the same offset and scale as ML.NET's) and the result is a plain
    /// <see cref="FoldModel"/> that only predicts from arrays, so no ML.NET normaliser is fitted per fold.
    /// </summary>
    internal static FoldModel FitFold(ReadOnlySpan<float> features, int count, int dimension, ReadOnlySpan<bool> labels, BenchmarkModelConfig config, long seed)
    {
        config.Validate();
        if (features.Length != count * dimension || labels.Length != count)
        {
            throw new ArgumentException($"expected {count} rows of {dimension} features and {count} labels, got {features.Length} values and {labels.Length} labels");
        }

        var (offset, scale) = Standardisation.Fit(features, count, dimension);
        var scaled = Standardisation.Apply(features, count, dimension, offset, scale);
        var resampled = Smote.Resample(scaled, labels, count, dimension, BenchmarkModelConfig.SmoteNeighbors, SplitMix64.Derive(seed, "smote"));
        var (pca, scores) = FitPca(resampled, config);
        float[] weights = config.BalancedClassWeight ? LogisticFit.BalancedWeights(resampled.Labels) : [];
        var (coefficients, bias) = ArrayLogisticRegression.Fit(scores, resampled.Count, config.PcaComponents, resampled.Labels, weights, config);
        return new FoldModel(offset, scale, pca, coefficients, bias);
    }

    /// <summary>PCA and logistic regression on rows that are already scaled and resampled (the peer's, in parity tests).</summary>
    internal BenchmarkModel FitResampled(ResampledRows resampled, BenchmarkModelConfig config, ITransformer scaler, float[] offset, float[] scale)
    {
        var (pca, logistic) = FitPcaAndClassifier(resampled, config);
        return new BenchmarkModel(_ml, config, scaler, offset, scale, pca, logistic, resampled.SyntheticCount);
    }

    private (PrincipalComponents Pca, LogisticModel Logistic) FitPcaAndClassifier(ResampledRows resampled, BenchmarkModelConfig config)
    {
        var (pca, scores) = FitPca(resampled, config);

        // After SMOTE the classes are balanced, so 'balanced' weights are all 1 (the peer's README notes
        // the no-op); they are still applied, which keeps the mapping honest if the sampler changes.
        float[] weights = config.BalancedClassWeight ? LogisticFit.BalancedWeights(resampled.Labels) : [];
        var logistic = LogisticFit.Fit(_ml, scores, resampled.Count, config.PcaComponents, resampled.Labels, weights, config);
        return (pca, logistic);
    }

    /// <summary>The exact PCA of the resampled rows and their scores, in float as the classifier's input column holds them.</summary>
    private static (PrincipalComponents Pca, float[] Scores) FitPca(ResampledRows resampled, BenchmarkModelConfig config)
    {
        int m = resampled.Count;
        int d = resampled.Dimension;
        int k = config.PcaComponents;
        if (k > Math.Min(m, d))
        {
            throw new ArgumentException($"PcaComponents {k} exceeds min(training rows after SMOTE, features) = min({m}, {d})");
        }

        var pca = PrincipalComponents.Fit(resampled.Features, m, d, k);
        var scores = new float[m * k];
        var buffer = new double[k];
        for (int i = 0; i < m; i++)
        {
            pca.Project(resampled.Features.AsSpan(i * d, d), buffer);
            for (int c = 0; c < k; c++)
            {
                scores[(i * k) + c] = (float)buffer[c];
            }
        }

        return (pca, scores);
    }
}
