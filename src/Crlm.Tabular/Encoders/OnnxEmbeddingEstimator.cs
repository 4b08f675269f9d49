using Crlm.Core.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Crlm.Tabular.Encoders;

/// <summary>
/// ML.NET estimator for an ONNX encoder: a column of preprocessed volumes (float vectors of
/// <c>size.X · size.Y · size.Z</c> values, x fastest) in, a column of embeddings (<see cref="OnnxEncoder.Channels"/>
/// values) out, other columns passed through. Built from public ML.NET parts: the inference is ML.NET's
/// OnnxTransformer inside <see cref="OnnxEncoder"/>, the row mapping a CustomMapping estimator.
/// </summary>
/// <remarks>
/// The schema is checked at <see cref="GetOutputSchema"/> and at <see cref="Fit"/> (a missing column, or one
/// that is not a float vector of the volume's size, is refused there, before any data is touched). The fitted
/// transformer is defined by the ONNX file and options, so it is not saved to an ML.NET zip: persist those.
/// </remarks>
public sealed class OnnxEmbeddingEstimator : IEstimator<OnnxEmbeddingTransformer>
{
    private readonly MLContext _ml;
    private readonly OnnxEncoderOptions _options;
    private readonly string _inputColumn;
    private readonly string _outputColumn;
    private readonly Int3 _volumeSize;

    public OnnxEmbeddingEstimator(MLContext ml, OnnxEncoderOptions options, string inputColumn, Int3 volumeSize, string outputColumn = "Embedding")
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(inputColumn);
        ArgumentException.ThrowIfNullOrEmpty(outputColumn);
        options.Validate();
        _ml = ml;
        _options = options;
        _inputColumn = inputColumn;
        _outputColumn = outputColumn;
        _volumeSize = volumeSize;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        if (!inputSchema.Any(c => c.Name == _inputColumn))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"input column '{_inputColumn}' not found");
        }

        var column = inputSchema.First(c => c.Name == _inputColumn);
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"column '{_inputColumn}' must be a known-size vector of float (a volume), not {column.ItemType}");
        }

        using var encoder = new OnnxEncoder(_options);
        return Mapping(encoder).GetOutputSchema(inputSchema);
    }

    public OnnxEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_inputColumn)
            ?? throw new ArgumentOutOfRangeException(nameof(input), $"input column '{_inputColumn}' not found");
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != _volumeSize.Product)
        {
            throw new ArgumentOutOfRangeException(nameof(input),
                $"column '{_inputColumn}' is {column.Type}; it must be a vector of {_volumeSize.Product} floats (a {_volumeSize} volume, x fastest)");
        }

        var encoder = new OnnxEncoder(_options);
        try
        {
            return new OnnxEmbeddingTransformer(encoder, Mapping(encoder).Fit(input));
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    private CustomMappingEstimator<VolumeRow, EmbeddingRow> Mapping(OnnxEncoder encoder)
    {
        var inputs = SchemaDefinition.Create(typeof(VolumeRow));
        inputs[nameof(VolumeRow.Volume)].ColumnName = _inputColumn;
        inputs[_inputColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, checked((int)_volumeSize.Product));
        var outputs = SchemaDefinition.Create(typeof(EmbeddingRow));
        outputs[nameof(EmbeddingRow.Embedding)].ColumnName = _outputColumn;
        outputs[_outputColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, encoder.Channels);
        var size = _volumeSize;
        return _ml.Transforms.CustomMapping<VolumeRow, EmbeddingRow>(
            (row, result) => result.Embedding = encoder.Embed(row.Volume, size),
            contractName: null,
            inputSchemaDefinition: inputs,
            outputSchemaDefinition: outputs);
    }

    internal sealed class VolumeRow
    {
        public float[] Volume { get; set; } = [];
    }

    internal sealed class EmbeddingRow
    {
        public float[] Embedding { get; set; } = [];
    }
}

/// <summary>The fitted <see cref="OnnxEmbeddingEstimator"/>: a row-to-row transformer that owns its ONNX sessions.</summary>
public sealed class OnnxEmbeddingTransformer : ITransformer, IDisposable
{
    private readonly OnnxEncoder _encoder;
    private readonly ITransformer _mapping;

    internal OnnxEmbeddingTransformer(OnnxEncoder encoder, ITransformer mapping)
    {
        _encoder = encoder;
        _mapping = mapping;
    }

    /// <summary>Length of the embedding column.</summary>
    public int Channels => _encoder.Channels;

    /// <summary>What the encoder had to say when it was made (e.g. a CUDA request that fell back to the CPU).</summary>
    public IReadOnlyList<string> Warnings => _encoder.Warnings;

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _mapping.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _mapping.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("an ONNX encoder is defined by its ONNX file and options (the YAML spec); persist those, not an ML.NET model zip");

    public void Dispose() => _encoder.Dispose();
}
