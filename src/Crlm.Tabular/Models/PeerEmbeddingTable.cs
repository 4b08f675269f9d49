using System.Globalization;
using Crlm.Core.Cohort;

namespace Crlm.Tabular.Models;

/// <summary>
/// Reads an embedding table in the peer's format (../shared/peers/fm_benchmark.py, and what the embed stage writes as
/// <c>embeddings/NAME/{train,test}.csv</c>): columns <c>patient_id</c>, <c>label</c> (1 = crlm), optional <c>site</c>, and
/// the features <c>f0..fN</c> in file order; other columns are ignored.
/// </summary>
public static class PeerEmbeddingTable
{
    /// <exception cref="InvalidDataException">A required column is missing or a cell is not a number, naming the file and line.</exception>
    public static List<ModelRow> Read(string path)
    {
        var table = CsvTable.Read(path);
        int Column(string name) => IndexOf(table.Header, name);
        int patient = Column("patient_id");
        int label = Column("label");
        int site = Column("site");
        if (patient < 0 || label < 0)
        {
            throw new InvalidDataException($"{path}: needs the columns patient_id and label, has {string.Join(", ", table.Header)}");
        }

        int[] features = [.. Enumerable.Range(0, table.Header.Count).Where(i => IsFeature(table.Header[i]))];
        if (features.Length == 0)
        {
            throw new InvalidDataException($"{path}: no feature columns (f0, f1, ...)");
        }

        var rows = new List<ModelRow>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var values = new float[features.Length];
            for (int f = 0; f < features.Length; f++)
            {
                string cell = features[f] < row.Cells.Count ? row.Cells[features[f]] : "";
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[f]))
                {
                    throw new InvalidDataException($"{path}:{row.LineNumber}: column '{table.Header[features[f]]}' is not a number: '{cell}'");
                }
            }

            rows.Add(new ModelRow(values, row.Cells[label] == "1", row.Cells[patient], site >= 0 ? row.Cells[site] : "all"));
        }

        return rows;
    }

    private static bool IsFeature(string column) => column.Length > 1 && column[0] == 'f' && column[1..].All(char.IsAsciiDigit);

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
