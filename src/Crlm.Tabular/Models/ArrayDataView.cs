using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Models;

/// <summary>
/// A read-only IDataView straight over row-major float features, bool labels and optional float weights
/// (columns <see cref="ModelColumns.Features"/>, <see cref="ModelColumns.Label"/>, <see cref="ModelColumns.Weight"/>).
/// </summary>
/// <remarks>
/// Why not <c>MLContext.Data.LoadFromEnumerable</c>: that builds a schema by reflection and a row object per
/// example, a fixed cost that dominated each cross-validation fold's logistic regression fit. This view
/// copies nothing up front; a cursor hands out one row at a time.
/// </remarks>
internal sealed class ArrayDataView : IDataView
{
    private readonly float[] _features;
    private readonly bool[] _labels;
    private readonly float[]? _weights;
    private readonly int _count;
    private readonly int _dimension;

    /// <param name="weights">Null or empty: no weight column.</param>
    public ArrayDataView(float[] features, int count, int dimension, bool[] labels, float[]? weights)
    {
        if (features.Length < count * dimension || labels.Length < count || (weights is { Length: > 0 } && weights.Length < count))
        {
            throw new ArgumentException($"expected {count} rows of {dimension} features, labels and weights");
        }

        _features = features;
        _labels = labels;
        _weights = weights is { Length: > 0 } ? weights : null;
        _count = count;
        _dimension = dimension;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ModelColumns.Features, new VectorDataViewType(NumberDataViewType.Single, dimension));
        builder.AddColumn(ModelColumns.Label, BooleanDataViewType.Instance);
        if (_weights is not null)
        {
            builder.AddColumn(ModelColumns.Weight, NumberDataViewType.Single);
        }

        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ArrayDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 < view._count)
            {
                _position++;
                return true;
            }

            _position = view._count;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < view.Schema.Count;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)GetFeatures,
                1 => (ValueGetter<bool>)((ref bool label) => label = view._labels[_position]),
                2 when view._weights is { } w => (ValueGetter<float>)((ref float weight) => weight = w[_position]),
                _ => throw new ArgumentOutOfRangeException(nameof(column), $"no column {column.Index}"),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            int d = view._dimension;
            var editor = VBufferEditor.Create(ref value, d);
            view._features.AsSpan(checked((int)_position) * d, d).CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
