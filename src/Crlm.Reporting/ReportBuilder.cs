using System.Text.Json;
using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;
using Crlm.Reporting.Sections;

namespace Crlm.Reporting;

/// <summary>
/// Collects the section sources (one per stage that has something to show) and builds a <see cref="Report"/> from a
/// run's folder, sections in the order they were added. A source that fails on a malformed file costs only its own
/// section, which says why; the rest of the report still renders.
/// </summary>
public sealed class ReportBuilder
{
    private readonly List<IReportSectionSource> _sources = [];

    public IReadOnlyList<IReportSectionSource> Sources => _sources;

    /// <summary>The sections this build has: run summary first, then cohort, preprocessing, embeddings, benchmark, timings.</summary>
    public static ReportBuilder WithDefaultSections() => new ReportBuilder()
        .Add(new RunSummarySection())
        .Add(new CohortSection())
        .Add(new PreprocessSection())
        .Add(new EmbeddingsSection())
        .Add(new BenchmarkSection())
        .Add(new TimingsSection());

    public ReportBuilder Add(IReportSectionSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _sources.Add(source);
        return this;
    }

    public Report Build(string runDirectory)
    {
        var run = new RunArtifacts(runDirectory);
        string name = RunSummarySection.RunName(run) ?? Path.GetFileName(run.Directory.TrimEnd(Path.DirectorySeparatorChar));
        var sections = _sources.Select(source => BuildOne(source, run)).ToArray();
        return new Report($"CRLM run report: {name}", sections);
    }

    private static ReportSection BuildOne(IReportSectionSource source, RunArtifacts run)
    {
        try
        {
            return source.Build(run);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException
                                      or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return ReportSection.Omitted(source.Id, source.Title, $"could not be built: {e.Message}");
        }
    }
}
