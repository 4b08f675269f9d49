using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Crlm.Tabular.Models;

/// <summary>A fitted binary logistic regression: ML.NET's transformer and its coefficients.</summary>
public sealed record LogisticModel(
    ITransformer Transformer,
    float[] Weights,
    float Bias)
{
    /// <summary>P(label = true) for one row of scores: the logistic of w·z + b, as ML.NET's Probability column.</summary>
    public double Probability(ReadOnlySpan<double> scores)
    {
        double s = Bias;
        for (int j = 0; j < scores.Length; j++)
        {
            s += Weights[j] * scores[j];
        }

        return 1 / (1 + Math.Exp(-s));
    }
}

/// <summary>Fits ML.NET's L-BFGS logistic regression with the study's regularisation (see <see cref="LbfgsRegularization"/>).</summary>
public static class LogisticFit
{
    /// <summary>Relative-improvement tolerance of ML.NET's L-BFGS: tight, so that results depend on the objective, not the stopping rule.</summary>
    public const float OptimizationTolerance = 1e-7f;

    /// <param name="weights">Example weights (empty: all 1).</param>
    public static LogisticModel Fit(MLContext ml, ReadOnlySpan<float> features, int count, int dimension, ReadOnlySpan<bool> labels, ReadOnlySpan<float> weights, BenchmarkModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(config);
        double weightSum = LbfgsRegularization.WeightSum(weights, count);

        var reg = LbfgsRegularization.From(config, count, weightSum);
        // Straight over the arrays: LoadFromEnumerable's reflection and row objects cost more than the fit itself.
        var data = new ArrayDataView(features[..(count * dimension)].ToArray(), count, dimension, labels[..count].ToArray(), weights.ToArray());
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            FeatureColumnName = ModelColumns.Features,
            LabelColumnName = ModelColumns.Label,
            ExampleWeightColumnName = weights.Length > 0 ? ModelColumns.Weight : null,
            L1Regularization = reg.L1Weight,
            L2Regularization = reg.L2Weight,
            OptimizationTolerance = OptimizationTolerance,
            MaximumNumberOfIterations = config.MaxIterations,
            // One thread: the fits are small and the CV already runs many; also makes the sums' order fixed.
            NumberOfThreads = 1,
        });
        var transformer = trainer.Fit(data);
        var linear = transformer.Model.SubModel;
        return new LogisticModel(transformer, linear.Weights.ToArray(), linear.Bias);
    }

    /// <summary>scikit-learn's class_weight='balanced': n / (2·n_c) for a row of class c.</summary>
    public static float[] BalancedWeights(ReadOnlySpan<bool> labels)
    {
        int positives = 0;
        foreach (bool l in labels)
        {
            positives += l ? 1 : 0;
        }

        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new InvalidOperationException($"balanced class weights need both classes, got {positives} positive and {negatives} negative rows");
        }

        float wPos = (float)(labels.Length / (2.0 * positives));
        float wNeg = (float)(labels.Length / (2.0 * negatives));
        var weights = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            weights[i] = labels[i] ? wPos : wNeg;
        }

        return weights;
    }
}
