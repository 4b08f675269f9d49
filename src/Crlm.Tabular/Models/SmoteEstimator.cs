using Crlm.Core.Randomness;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Models;

/// <summary>
/// SMOTE as an ML.NET estimator, for pipelines assembled by hand. Fit resamples the Features/Label rows
/// and returns a <see cref="SmoteTransformer"/> that carries them as <see cref="SmoteTransformer.TrainingData"/>
/// for the next estimators' Fit; its Transform is the identity, so predicting never adds or changes rows.
/// </summary>
public sealed class SmoteEstimator(MLContext ml, long seed, int neighbours = BenchmarkModelConfig.SmoteNeighbors) : IEstimator<SmoteTransformer>
{
    private readonly MLContext _ml = ml ?? throw new ArgumentNullException(nameof(ml));

    public SmoteTransformer Fit(IDataView input)
    {
        float[] features = ModelColumns.ReadFeatures(input, out int count, out int dimension);
        bool[] labels = ModelColumns.ReadLabels(input);
        var asDouble = Array.ConvertAll(features, v => (double)v);
        var resampled = Smote.Resample(asDouble, labels, count, dimension, neighbours, SplitMix64.Derive(seed, "smote"));
        var rows = Array.ConvertAll(resampled.Features, v => (float)v);
        return new SmoteTransformer(ModelColumns.ToDataView(_ml, rows, resampled.Count, dimension, resampled.Labels, []), resampled.SyntheticCount);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inputSchema;
}

/// <summary>The identity at prediction time; <see cref="TrainingData"/> is the resampled training set (Features, Label, Weight = 1).</summary>
public sealed class SmoteTransformer : ITransformer
{
    internal SmoteTransformer(IDataView trainingData, int syntheticRows)
    {
        TrainingData = trainingData;
        SyntheticRows = syntheticRows;
    }

    public IDataView TrainingData { get; }

    public int SyntheticRows { get; }

    public bool IsRowToRowMapper => false;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("SMOTE maps no rows: it is the identity after fitting; drop it from prediction pipelines");

    public IDataView Transform(IDataView input) => input;

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("SMOTE has nothing to save: it only shapes training data");
}
