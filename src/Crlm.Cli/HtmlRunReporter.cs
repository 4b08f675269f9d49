using Crlm.Pipelines.Reporting;
using Crlm.Reporting;

namespace Crlm.Cli;

/// <summary>The report stage's writer in this build: Crlm.Reporting's default sections rendered to one HTML file.</summary>
internal sealed class HtmlRunReporter : IRunReporter
{
    public int Write(string runDirectory, string htmlPath) =>
        ReportWriter.WriteForRunDirectory(runDirectory, htmlPath).Sections.Count;
}
