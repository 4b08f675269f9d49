using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>One row per encoder the embed stage ran (embeddings/NAME.csv): scans, feature count, train/test scans.</summary>
public sealed class EmbeddingsSection : IReportSectionSource
{
    public const string Folder = "embeddings";

    public string Id => "embeddings";

    public string Title => "Embeddings";

    /// <summary>The per-encoder tables (NAME.csv), without the feature-name lists (NAME.features.csv).</summary>
    public static IReadOnlyList<string> EncoderTables(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Files(Folder, ".csv").Where(f => !f.EndsWith(".features.csv", StringComparison.Ordinal)).ToArray();
    }

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tables = EncoderTables(run);
        if (tables.Count == 0)
        {
            return ReportSection.Omitted(Id, Title, "no embeddings/*.csv in the run folder (the embed stage did not run)");
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (string file in tables)
        {
            var csv = new CsvColumns(run.Csv(Path.Combine(Folder, file))!);
            int features = csv.Header.Count(h => h.Length > 1 && h[0] == 'f' && h.Skip(1).All(char.IsAsciiDigit));
            int train = csv.Rows.Count(r => csv.Cell(r, "set") == "train");
            int test = csv.Rows.Count(r => csv.Cell(r, "set") == "test");
            rows.Add([Path.GetFileNameWithoutExtension(file), Format.Count(csv.Rows.Count), Format.Count(features), Format.Count(train), Format.Count(test)]);
        }

        return new ReportSection(Id, Title, [new TableBlock("Encoders", ["encoder", "scans", "features", "train scans", "test scans"], rows)]);
    }
}
