using Crlm.Core.Cohort;

namespace Crlm.Reporting.Artifacts;

/// <summary>Cells of a CSV table by column name: a missing column or short row reads as empty, never throws.</summary>
public sealed class CsvColumns(CsvTable table)
{
    private readonly Dictionary<string, int> _index = table.Header
        .Select((name, i) => (name, i))
        .GroupBy(p => p.name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);

    public IReadOnlyList<string> Header => table.Header;

    public IReadOnlyList<CsvRow> Rows => table.Rows;

    public bool HasColumn(string name) => _index.ContainsKey(name);

    public string Cell(CsvRow row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        return _index.TryGetValue(column, out int i) && i < row.Cells.Count ? row.Cells[i] : "";
    }
}
