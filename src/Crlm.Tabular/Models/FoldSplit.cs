namespace Crlm.Tabular.Models;

/// <summary>One fold's rows, copied out of the flattened table: training rows (row-major) and labels, validation rows and where they sit in the table.</summary>
internal sealed record FoldSplit(float[] TrainRows, bool[] TrainLabels, float[] ValidRows, int[] ValidIndex, bool[] ValidLabels, int Dimension)
{
    public int TrainCount => TrainLabels.Length;

    public int ValidCount => ValidIndex.Length;

    /// <param name="features">Row-major, one row per entry of <paramref name="foldOfRow"/>.</param>
    public static FoldSplit Of(ReadOnlySpan<float> features, ReadOnlySpan<bool> labels, int dimension, ReadOnlySpan<int> foldOfRow, int fold)
    {
        int d = dimension;
        int nv = 0;
        foreach (int x in foldOfRow)
        {
            nv += x == fold ? 1 : 0;
        }

        int nt = foldOfRow.Length - nv;
        var trainRows = new float[nt * d];
        var trainLabels = new bool[nt];
        var validRows = new float[nv * d];
        var validIndex = new int[nv];
        var validLabels = new bool[nv];
        for (int i = 0, t = 0, v = 0; i < foldOfRow.Length; i++)
        {
            var row = features.Slice(i * d, d);
            if (foldOfRow[i] == fold)
            {
                row.CopyTo(validRows.AsSpan(v * d, d));
                validLabels[v] = labels[i];
                validIndex[v++] = i;
            }
            else
            {
                row.CopyTo(trainRows.AsSpan(t * d, d));
                trainLabels[t++] = labels[i];
            }
        }

        return new FoldSplit(trainRows, trainLabels, validRows, validIndex, validLabels, d);
    }
}
