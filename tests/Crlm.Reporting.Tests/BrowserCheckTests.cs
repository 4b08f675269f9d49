using System.Diagnostics;
using Crlm.Core.Tests.TestSupport;
using Crlm.Reporting.Tests.TestSupport;

namespace Crlm.Reporting.Tests;

/// <summary>A fact that is skipped, with the reason, where no Chromium is installed (the check needs a real browser).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        string[] names = ["chromium", "chromium-browser", "google-chrome"];
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(dir => names.Any(n => File.Exists(Path.Combine(dir, n))));
        if (!found)
        {
            Skip = "chromium is not installed (apt-get install -y chromium); tools/report-browser-check.sh needs a real browser";
        }
    }
}

public class BrowserCheckTests
{
    /// <summary>
    /// Renders the hand-made run folder and runs tools/report-browser-check.sh on it. With CRLM_REPORT_SAMPLE_DIR set,
    /// the report and its screenshot are kept there (docs/report.md) instead of a temporary folder.
    /// </summary>
    [ChromiumFact]
    public void A_rendered_report_passes_the_headless_chromium_check()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        string outDir = Environment.GetEnvironmentVariable("CRLM_REPORT_SAMPLE_DIR") is { Length: > 0 } keep ? Path.GetFullPath(keep) : run.File("out");
        string html = Path.Combine(outDir, "report.html");
        ReportWriter.WriteForRunDirectory(run.Path, html);

        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "tools", "report-browser-check.sh"), html, Path.Combine(outDir, "report.png")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(200)), "the browser check did not finish");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr.Result}");
        Assert.Contains("report browser check ok", stdout, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Crlm.MLNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Crlm.MLNet.sln not found above " + AppContext.BaseDirectory);
    }
}
