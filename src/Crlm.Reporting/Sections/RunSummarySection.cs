using System.Globalization;
using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>
/// What ran, on what data, with which hashes: run.json (written by the pipeline runner) as the report's first
/// section, so a reviewer can check the spec and data hashes, seed and versions before reading any number.
/// </summary>
public sealed class RunSummarySection : IReportSectionSource
{
    public const string RunFile = "run.json";

    public string Id => "run-summary";

    public string Title => "Run summary";

    public static string? RunName(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            using var doc = run.Json(RunFile);
            return doc is null ? null : Json.Text(doc.RootElement, "name");
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var doc = run.Json(RunFile);
        if (doc is null)
        {
            return ReportSection.Omitted(Id, Title, $"{RunFile} not found in the run folder (the run did not finish writing its record)");
        }

        var root = doc.RootElement;
        string started = Json.Text(root, "started") ?? Format.Missing;
        string finished = Json.Text(root, "finished") ?? Format.Missing;
        string wall = DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
                      && DateTimeOffset.TryParse(finished, CultureInfo.InvariantCulture, DateTimeStyles.None, out var b)
            ? Format.Fixed((b - a).TotalSeconds, 1) + " s"
            : Format.Missing;
        var facts = new List<IReadOnlyList<string>>
        {
            Row("run", Json.Text(root, "name")),
            // The report stage reads the run.json written after the stage before it, so its own run shows "running".
            Row("status", Json.Text(root, "status") is "running" ? "completed up to this report (written by the run's last stage)" : Json.Text(root, "status")),
            Row("spec", Json.Text(root, "spec")),
            Row("spec sha256", Json.Text(root, "spec_sha256")),
            Row("data sha256", Json.Text(root, "data_sha256")),
            Row("seed", Json.Text(root, "seed")),
            Row("started", started),
            Row(Json.Text(root, "status") is "running" ? "last stage before the report finished" : "finished", finished),
            Row("wall time", wall),
            Row("run folder", run.Directory),
        };
        var blocks = new List<ReportBlock>
        {
            new TextBlock("The hashes identify exactly what ran: the spec file's SHA-256 and one SHA-256 over the manifest and every file it names. Rerunning the same spec on the same data with the same seed reproduces every number below."),
            new TableBlock("Run", ["field", "value"], facts),
        };

        var stages = Json.Array(root, "stages")
            .Select(s => (IReadOnlyList<string>)[
                Json.Text(s, "name") ?? "", Json.Text(s, "outcome") ?? "", Format.Fixed(Json.Number(s, "seconds"), 3), Json.Text(s, "error") ?? ""])
            .ToArray();
        blocks.Add(new TableBlock("Stages (in run order)", ["stage", "outcome", "seconds", "error"], stages));

        var versions = Json.Get(root, "versions") is { ValueKind: System.Text.Json.JsonValueKind.Object } v
            ? v.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, Json.Text(v, p.Name) ?? ""]).ToArray()
            : [];
        blocks.Add(new TableBlock("Versions", ["component", "version"], versions));
        return new ReportSection(Id, Title, blocks);
    }

    private static IReadOnlyList<string> Row(string field, string? value) => [field, value ?? Format.Missing];
}
