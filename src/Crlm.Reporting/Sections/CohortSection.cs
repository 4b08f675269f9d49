using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>
/// The cohort per site, like the study's Table 2: patients by class and by train/test (cohort_by_site.csv from the
/// split stage), scans by contrast phase (the embed stage's table, which carries each scan's phase) and scans with
/// lesion annotations (preprocess/scans.csv, joined to sites through splits.csv). Columns whose file is absent are
/// left out with a note.
/// </summary>
public sealed class CohortSection : IReportSectionSource
{
    public const string BySiteFile = "cohort_by_site.csv";
    public const string SplitsFile = "splits.csv";

    private static readonly string[] Phases = ["arterial", "portal_venous", "delayed", "unknown"];

    public string Id => "cohort";

    public string Title => "Cohort by site";

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var bySite = run.Csv(BySiteFile);
        if (bySite is null)
        {
            return ReportSection.Omitted(Id, Title, $"{BySiteFile} not found (the split stage did not run)");
        }

        var sites = new CsvColumns(bySite);
        var notes = new List<string>();
        var phases = PhasesBySite(run, notes);
        var lesions = AnnotatedScansBySite(run, notes);

        var header = new List<string> { "site", "external", "patients", "CRLM", "non-CRLM", "negative", "train", "test" };
        if (phases is not null)
        {
            header.AddRange(["scans", .. Phases.Select(p => p.Replace('_', ' '))]);
        }

        if (lesions is not null)
        {
            header.Add("scans with lesion annotation");
        }

        var rows = new List<IReadOnlyList<string>>();
        var totals = new long[header.Count];
        foreach (var row in sites.Rows)
        {
            string site = sites.Cell(row, "site");
            int Get(string column) => int.TryParse(sites.Cell(row, column), out int v) ? v : 0;
            int crlm = Get("train_crlm") + Get("test_crlm");
            int nonCrlm = Get("train_non_crlm") + Get("test_non_crlm");
            int negative = Get("train_negative") + Get("test_negative");
            int train = Get("train_crlm") + Get("train_non_crlm") + Get("train_negative");
            int test = Get("test_crlm") + Get("test_non_crlm") + Get("test_negative");
            var numbers = new List<long> { crlm + nonCrlm + negative, crlm, nonCrlm, negative, train, test };
            if (phases is not null)
            {
                var counts = phases.GetValueOrDefault(site) ?? new Dictionary<string, int>(StringComparer.Ordinal);
                numbers.Add(counts.Values.Sum());
                numbers.AddRange(Phases.Select(p => (long)counts.GetValueOrDefault(p)));
            }

            if (lesions is not null)
            {
                numbers.Add(lesions.GetValueOrDefault(site));
            }

            var cells = new List<string> { site, sites.Cell(row, "external") == "true" ? "yes" : "no" };
            cells.AddRange(numbers.Select(Format.Count));
            rows.Add(cells);
            for (int n = 0; n < numbers.Count; n++)
            {
                totals[n + 2] += numbers[n];
            }
        }

        if (rows.Count > 0)
        {
            rows.Add(["all sites", "", .. totals.Skip(2).Select(Format.Count)]);
        }

        var blocks = new List<ReportBlock>
        {
            new TableBlock("Patients per site and class, with the patient-level train/test split; external sites are test-only", header, rows),
        };
        blocks.AddRange(notes.Select(n => new TextBlock(n)));
        if (run.Has(Path.Combine("cohort", "validation.txt")))
        {
            var issues = File.ReadLines(run.PathOf(Path.Combine("cohort", "validation.txt"))).Where(l => l.Length > 0).Take(20).ToArray();
            blocks.Add(new TextBlock("Manifest validation: " + string.Join(" | ", issues)));
        }

        return new ReportSection(Id, Title, blocks);
    }

    /// <summary>Scans per site and phase from the first encoder's table (every encoder embeds every scan), or null.</summary>
    private static Dictionary<string, Dictionary<string, int>>? PhasesBySite(RunArtifacts run, List<string> notes)
    {
        var tables = EmbeddingsSection.EncoderTables(run);
        if (tables.Count == 0)
        {
            notes.Add("Scans per contrast phase are not shown: they are read from embeddings/*.csv, which this run did not write.");
            return null;
        }

        var csv = new CsvColumns(run.Csv(Path.Combine(EmbeddingsSection.Folder, tables[0]))!);
        return csv.Rows
            .GroupBy(r => csv.Cell(r, "site"), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(r => csv.Cell(r, "phase"), StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Count(), StringComparer.Ordinal),
                StringComparer.Ordinal);
    }

    /// <summary>Scans with a lesion mask per site (preprocess/scans.csv has lesion voxels exactly for those), or null.</summary>
    private static Dictionary<string, long>? AnnotatedScansBySite(RunArtifacts run, List<string> notes)
    {
        var scans = run.Csv(PreprocessSection.ScansFile);
        var splits = run.Csv(SplitsFile);
        if (scans is null || splits is null)
        {
            notes.Add($"Lesion annotations are not shown: they are read from {PreprocessSection.ScansFile} and {SplitsFile}, which this run did not write.");
            return null;
        }

        var split = new CsvColumns(splits);
        var siteOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in split.Rows)
        {
            siteOf.TryAdd(split.Cell(row, "patient_id"), split.Cell(row, "site"));
        }

        var table = new CsvColumns(scans);
        return table.Rows
            .Where(r => table.Cell(r, "lesion_voxels").Length > 0)
            .GroupBy(r => siteOf.GetValueOrDefault(table.Cell(r, "patient_id")) ?? "?", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
    }
}
