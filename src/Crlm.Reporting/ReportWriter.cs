using Crlm.Core.IO;
using Crlm.Reporting.Model;
using Crlm.Reporting.Rendering;

namespace Crlm.Reporting;

/// <summary>The report's single entry point: a finished run's folder in, one self-contained HTML file out (written atomically).</summary>
public static class ReportWriter
{
    /// <summary>The file name a run's report gets inside its folder when no other is asked for.</summary>
    public const string DefaultFileName = "report.html";

    /// <summary>
    /// Builds the report of <paramref name="runDirectory"/> with <paramref name="builder"/> (default: every section this
    /// build has) and writes it to <paramref name="outputHtmlPath"/>; returns the report that was written.
    /// </summary>
    public static Report WriteForRunDirectory(string runDirectory, string outputHtmlPath, ReportBuilder? builder = null)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(outputHtmlPath);
        if (!Directory.Exists(runDirectory))
        {
            throw new DirectoryNotFoundException($"run folder '{runDirectory}' does not exist");
        }

        var report = (builder ?? ReportBuilder.WithDefaultSections()).Build(runDirectory);
        AtomicFile.WriteAllText(outputHtmlPath, HtmlReportRenderer.Render(report));
        return report;
    }
}
