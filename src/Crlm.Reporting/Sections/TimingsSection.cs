using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;
using Crlm.Reporting.Plotting;

namespace Crlm.Reporting.Sections;

/// <summary>Seconds per stage (run.json) as bars, and each encoder's search time when the benchmark wrote one.</summary>
public sealed class TimingsSection : IReportSectionSource
{
    public string Id => "timings";

    public string Title => "Timings";

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var doc = run.Json(RunSummarySection.RunFile);
        if (doc is null)
        {
            return ReportSection.Omitted(Id, Title, $"{RunSummarySection.RunFile} not found");
        }

        var stages = Json.Array(doc.RootElement, "stages").ToArray();
        var names = stages.Select(s => Json.Text(s, "name") ?? "?").ToArray();
        var seconds = stages.Select(s => Json.Number(s, "seconds") ?? 0).ToArray();
        var blocks = new List<ReportBlock>
        {
            new FigureBlock("Wall-clock seconds per stage (a cached stage takes only the time to check its cache).",
                ReportPlots.HorizontalBars(names, seconds, "seconds")),
        };

        using var benchmark = run.Json(BenchmarkSection.BenchmarkFile);
        if (benchmark is not null)
        {
            var rows = Json.Array(benchmark.RootElement, "encoders")
                .Select(e => (IReadOnlyList<string>)[Json.Text(e, "name") ?? "?", Json.Text(e, "trials") ?? Format.Missing, Format.Fixed(Json.Number(e, "search_s"), 1)])
                .ToArray();
            blocks.Add(new TableBlock("Hyper-parameter search per encoder", ["encoder", "trials", "search seconds"], rows));
        }

        return new ReportSection(Id, Title, blocks);
    }
}
