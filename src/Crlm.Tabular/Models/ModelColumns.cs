using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Models;

/// <summary>Column names of the benchmark model's ML.NET data, and conversions between arrays and IDataView.</summary>
public static class ModelColumns
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Weight = "Weight";
    public const string PcaFeatures = "PcaFeatures";

    /// <summary>A training/prediction row: a float feature vector, a bool label and an example weight.</summary>
    internal sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; } = 1;
    }

    /// <summary>An in-memory view of row-major features (Features vector of <paramref name="dimension"/>), labels and weights.</summary>
    internal static IDataView ToDataView(MLContext ml, ReadOnlySpan<float> features, int count, int dimension, ReadOnlySpan<bool> labels, ReadOnlySpan<float> weights)
    {
        var rows = new Row[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new Row
            {
                Features = features.Slice(i * dimension, dimension).ToArray(),
                Label = labels.Length > 0 && labels[i],
                Weight = weights.Length > 0 ? weights[i] : 1,
            };
        }

        return ml.Data.LoadFromEnumerable(rows, RowSchema(dimension));
    }

    internal static SchemaDefinition RowSchema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    /// <summary>Reads the Features vector column (fixed size) into a row-major array.</summary>
    public static float[] ReadFeatures(IDataView data, out int count, out int dimension, string column = Features)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column col = data.Schema.GetColumnOrNull(column)
            ?? throw new ArgumentException($"the data has no '{column}' column");
        if (col.Type is not VectorDataViewType { ItemType: NumberDataViewType n, Size: > 0 } vector || n != NumberDataViewType.Single)
        {
            throw new ArgumentException($"column '{column}' must be a fixed-size vector of Single, got {col.Type}");
        }

        dimension = vector.Size;
        var values = new List<float>();
        count = 0;
        foreach (var row in data.GetColumn<VBuffer<float>>(column))
        {
            var dense = row.DenseValues();
            values.AddRange(dense);
            count++;
        }

        return values.ToArray();
    }

    /// <summary>Reads the Boolean label column.</summary>
    public static bool[] ReadLabels(IDataView data, string column = Label)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column col = data.Schema.GetColumnOrNull(column)
            ?? throw new ArgumentException($"the data has no '{column}' column");
        if (col.Type != BooleanDataViewType.Instance)
        {
            throw new ArgumentException($"column '{column}' must be Boolean, got {col.Type}");
        }

        return data.GetColumn<bool>(column).ToArray();
    }
}
