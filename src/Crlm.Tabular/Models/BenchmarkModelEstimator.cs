using Microsoft.ML;

namespace Crlm.Tabular.Models;

/// <summary>
/// The study's model as an ML.NET estimator: Fit reads the Features (fixed-size Single vector) and Label
/// (Boolean) columns and returns a <see cref="BenchmarkModel"/>. The fit is done here, not by an
/// EstimatorChain, because SMOTE's rows must reach PCA and the classifier while prediction must not see
/// them: a chain hands each estimator the previous transformer's output, which for SMOTE is the identity.
/// </summary>
public sealed class BenchmarkModelEstimator(MLContext ml, BenchmarkModelConfig config, long seed) : IEstimator<BenchmarkModel>
{
    private readonly MLContext _ml = ml ?? throw new ArgumentNullException(nameof(ml));
    private readonly BenchmarkModelConfig _config = config ?? throw new ArgumentNullException(nameof(config));

    public BenchmarkModel Fit(IDataView input)
    {
        float[] features = ModelColumns.ReadFeatures(input, out int count, out int dimension);
        bool[] labels = ModelColumns.ReadLabels(input);
        return new BenchmarkModelTrainer(_ml).Fit(features, count, dimension, labels, _config, seed);
    }

    /// <summary>The input columns plus Score, Probability and PredictedLabel, as ML.NET's binary trainers add them.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _ml.BinaryClassification.Trainers.LbfgsLogisticRegression(ModelColumns.Label, ModelColumns.Features).GetOutputSchema(inputSchema);
}
