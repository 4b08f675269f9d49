using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>
/// The contract by which a stage contributes to the report: given a finished run's folder, build one section from
/// the files the stage wrote there. Return <see cref="ReportSection.Omitted"/> (not throw) when the files are absent.
/// Register it with <see cref="ReportBuilder.Add"/>.
/// </summary>
public interface IReportSectionSource
{
    /// <summary>Anchor id of the section (stable: the browser check and links rely on it).</summary>
    string Id { get; }

    string Title { get; }

    ReportSection Build(RunArtifacts run);
}
