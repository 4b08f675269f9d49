using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Models;

/// <summary>
/// A fitted benchmark model: ML.NET's mean-variance scaler, the exact PCA and ML.NET's L-BFGS logistic
/// regression. It is an ordinary <see cref="ITransformer"/> (Features in; Score, Probability and
/// PredictedLabel out) and also predicts straight from arrays (<see cref="PredictProbabilities"/>), which
/// is what the cross-validation uses. SMOTE has no part here: it only shaped the training rows.
/// </summary>
public sealed class BenchmarkModel : ITransformer
{
    private const int FormatVersion = 1;
    private const string MetadataEntry = "model.json";
    private const string ScalerEntry = "scaler.mlnet.zip";
    private const string ClassifierEntry = "classifier.mlnet.zip";

    private readonly MLContext _ml;
    private readonly float[] _offset;
    private readonly float[] _scale;
    private readonly double[] _coefficients;
    private readonly Lazy<TransformerChain<ITransformer>> _chain;

    internal BenchmarkModel(MLContext ml, BenchmarkModelConfig config, ITransformer scaler, float[] offset, float[] scale, PrincipalComponents pca, LogisticModel logistic, int syntheticRows)
    {
        _ml = ml;
        Config = config;
        Scaler = scaler;
        _offset = offset;
        _scale = scale;
        Pca = pca;
        Logistic = logistic;
        _coefficients = [.. logistic.Weights.Select(w => (double)w)];
        SyntheticTrainingRows = syntheticRows;
        _chain = new Lazy<TransformerChain<ITransformer>>(() => new TransformerChain<ITransformer>(Scaler, PcaMapping.Create(_ml, Pca), Logistic.Transformer));
    }

    public BenchmarkModelConfig Config { get; }

    public int FeatureCount => _offset.Length;

    /// <summary>ML.NET's NormalizeMeanVariance(fixZero: false): output = (x − Offset)·Scale.</summary>
    public ITransformer Scaler { get; }

    public IReadOnlyList<float> ScalerOffset => _offset;

    public IReadOnlyList<float> ScalerScale => _scale;

    public PrincipalComponents Pca { get; }

    public LogisticModel Logistic { get; }

    /// <summary>How many SMOTE rows the classifier was trained on besides the real ones (0 after loading).</summary>
    public int SyntheticTrainingRows { get; }

    /// <summary>The scaler, PCA and classifier as one ML.NET chain.</summary>
    public TransformerChain<ITransformer> Chain => _chain.Value;

    bool ITransformer.IsRowToRowMapper => true;

    public IDataView Transform(IDataView input) => Chain.Transform(input);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Chain.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)Chain).GetRowToRowMapper(inputSchema);

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("the PCA step has no ML.NET serialiser: save a BenchmarkModel with BenchmarkModel.Save(path)");

    /// <summary>P(label = true) for row-major <paramref name="features"/> (count × FeatureCount), without building IDataViews.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<double> probabilities)
    {
        int d = FeatureCount;
        int count = probabilities.Length;
        if (features.Length != count * d)
        {
            throw new ArgumentException($"expected {count} rows of {d} features, got {features.Length} values", nameof(features));
        }

        Predict(features, _offset, _scale, Pca, _coefficients, Logistic.Bias, probabilities);
    }

    /// <summary>Scale in float (as ML.NET's affine normaliser computes it), project, logistic: shared with <see cref="FoldModel"/>.</summary>
    internal static void Predict(ReadOnlySpan<float> features, float[] offset, float[] scale, PrincipalComponents pca, double[] coefficients, double bias, Span<double> probabilities)
    {
        int d = offset.Length;
        var row = new double[d];
        var scores = new double[pca.ComponentCount];
        for (int i = 0; i < probabilities.Length; i++)
        {
            var x = features.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                row[j] = (x[j] - offset[j]) * scale[j];
            }

            pca.Project(row, scores);
            double z = bias;
            for (int c = 0; c < scores.Length; c++)
            {
                z += coefficients[c] * scores[c];
            }

            probabilities[i] = 1 / (1 + Math.Exp(-z));
        }
    }

    public double[] PredictProbabilities(ReadOnlySpan<float> features)
    {
        var result = new double[features.Length / Math.Max(FeatureCount, 1)];
        PredictProbabilities(features, result);
        return result;
    }

    /// <summary>
    /// Writes a zip archive: model.json (config, scaler parameters, PCA matrix, coefficients) plus the two
    /// ML.NET parts in ML.NET's own model format (scaler.mlnet.zip, classifier.mlnet.zip).
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        var metadata = new Metadata(
            FormatVersion, Config, _offset, _scale, Pca.Dimension, Pca.ComponentCount, [.. Pca.Mean], [.. Pca.Components],
            [.. Pca.ExplainedVariance], [.. Pca.ExplainedVarianceRatio], Logistic.Weights, Logistic.Bias);
        using (var s = zip.CreateEntry(MetadataEntry).Open())
        {
            JsonSerializer.Serialize(s, metadata, JsonOptions);
        }

        using (var s = zip.CreateEntry(ScalerEntry).Open())
        {
            _ml.Model.Save(Scaler, VectorSchema(FeatureCount), s);
        }

        using (var s = zip.CreateEntry(ClassifierEntry).Open())
        {
            _ml.Model.Save(Logistic.Transformer, VectorSchema(Pca.ComponentCount), s);
        }
    }

    public static BenchmarkModel Load(MLContext ml, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        using var zip = ZipFile.OpenRead(path);
        Metadata metadata;
        using (var s = Entry(zip, MetadataEntry, path).Open())
        {
            metadata = JsonSerializer.Deserialize<Metadata>(s, JsonOptions)
                ?? throw new InvalidDataException($"{path}: {MetadataEntry} is empty");
        }

        if (metadata.FormatVersion != FormatVersion)
        {
            throw new InvalidDataException($"{path}: model format {metadata.FormatVersion}, this build reads {FormatVersion}");
        }

        var scaler = LoadMlNet(ml, zip, ScalerEntry, path);
        var classifier = LoadMlNet(ml, zip, ClassifierEntry, path);
        var pca = new PrincipalComponents(metadata.PcaMean, metadata.PcaComponents, metadata.PcaComponentCount, metadata.ExplainedVariance, metadata.ExplainedVarianceRatio);
        var logistic = new LogisticModel(classifier, metadata.Weights, metadata.Bias);
        return new BenchmarkModel(ml, metadata.Config, scaler, metadata.ScalerOffset, metadata.ScalerScale, pca, logistic, 0);
    }

    internal static DataViewSchema VectorSchema(int size)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ModelColumns.Features, new VectorDataViewType(NumberDataViewType.Single, size));
        return builder.ToSchema();
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name, string path) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: not a benchmark model archive (no {name})");

    private static ITransformer LoadMlNet(MLContext ml, ZipArchive zip, string name, string path)
    {
        // ML.NET needs a seekable stream; zip entries are not.
        using var buffer = new MemoryStream();
        using (var s = Entry(zip, name, path).Open())
        {
            s.CopyTo(buffer);
        }

        buffer.Position = 0;
        return ml.Model.Load(buffer, out _);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private sealed record Metadata(
        int FormatVersion,
        BenchmarkModelConfig Config,
        float[] ScalerOffset,
        float[] ScalerScale,
        int PcaDimension,
        int PcaComponentCount,
        double[] PcaMean,
        double[] PcaComponents,
        double[] ExplainedVariance,
        double[] ExplainedVarianceRatio,
        float[] Weights,
        float Bias);
}
