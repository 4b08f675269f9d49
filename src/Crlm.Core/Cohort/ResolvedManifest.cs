using System.Text;

namespace Crlm.Core.Cohort;

/// <summary>
/// A copy of a validated manifest with every path absolute, as the cohort stage keeps it in the run folder
/// (cohort/manifest.csv): later readers of the run (the report's original-CT slices) find the scans' source files
/// without the spec, and without guessing what a relative path was relative to.
/// </summary>
public static class ResolvedManifest
{
    /// <summary>Where the cohort stage writes it, relative to the run folder.</summary>
    public const string RelativePath = "cohort/manifest.csv";

    private static readonly string[] PathColumns = ["image", "liver_mask", "lesion_mask"];

    /// <summary>
    /// The manifest's header (names as the reader matches them: trimmed, lower case) and one row per scan that
    /// loaded, every other cell as written, the path cells replaced by the paths the reader resolved.
    /// </summary>
    public static string Text(CohortManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var table = CsvTable.Read(manifest.Path);
        string[] header = table.Header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int[] pathIndex = PathColumns.Select(c => Array.IndexOf(header, c)).ToArray();
        var byLine = manifest.Scans.ToDictionary(s => s.Line);
        var text = new StringBuilder().AppendJoin(',', header.Select(CsvTable.Escape)).Append('\n');
        foreach (var row in table.Rows)
        {
            if (!byLine.TryGetValue(row.LineNumber, out var scan))
            {
                continue;
            }

            string[] cells = Enumerable.Range(0, header.Length).Select(c => c < row.Cells.Count ? row.Cells[c] : "").ToArray();
            string?[] resolved = [scan.ImagePath, scan.LiverMaskPath, scan.LesionMaskPath];
            for (int p = 0; p < pathIndex.Length; p++)
            {
                if (pathIndex[p] >= 0)
                {
                    cells[pathIndex[p]] = resolved[p] ?? "";
                }
            }

            text.AppendJoin(',', cells.Select(CsvTable.Escape)).Append('\n');
        }

        return text.ToString();
    }
}
