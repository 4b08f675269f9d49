using System.Text.RegularExpressions;
using System.Xml.Linq;
using Crlm.Core.Tests.TestSupport;
using Crlm.Reporting.Tests.TestSupport;

namespace Crlm.Reporting.Tests;

public class ReportWriterTests
{
    private static readonly string[] SectionIds = ["run-summary", "cohort", "preprocess", "embeddings", "benchmark", "timings"];

    [Fact]
    public void A_full_run_folder_gives_one_html_file_with_every_section_plot_and_sample_slice()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        string output = run.File("out/report.html");

        var report = ReportWriter.WriteForRunDirectory(run.Path, output);

        string html = File.ReadAllText(output);
        Assert.Equal(SectionIds, report.Sections.Select(s => s.Id));
        Assert.All(report.Sections, s => Assert.Null(s.OmittedBecause));
        foreach (string id in SectionIds)
        {
            Assert.Contains($"<section id=\"{id}\">", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"#{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(3, Regex.Count(html, "<svg[ >]")); // ROC, search history, timings
        Assert.Equal(4, Regex.Count(html, "src=\"data:image/png;base64,")); // per sample: original with the box, the box
        Assert.Contains("5f1c0c0ffee", html, StringComparison.Ordinal); // spec hash
        Assert.Contains("0.750 [0.610, 0.870]", html, StringComparison.Ordinal); // test AUC with its CI
        Assert.Contains("fmcib (winner)", html, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp-", string.Join(",", Directory.GetFiles(run.File("out"))), StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_references_nothing_outside_itself()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        string html = Render(run.Path);

        // Namespace URIs inside SVG are names, not fetches; every other http(s) reference would need a network.
        string withoutNamespaces = html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
            .Replace("xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("http:", withoutNamespaces, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", withoutNamespaces, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Hostile_ids_and_site_names_are_escaped_everywhere_and_inject_nothing()
    {
        using var run = new TempFolder();
        string hostile = FakeRun.Hostile;
        FakeRun.WriteAll(run.Path, site: "S" + hostile, patient: "P" + hostile, encoder: "enc" + hostile.Replace("/", "", StringComparison.Ordinal));

        string html = Render(run.Path);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert(1)</", html, StringComparison.Ordinal);
        Assert.Contains("S&lt;script&gt;alert(1)&lt;/script&gt;&quot;q&#39;&amp;amp", html, StringComparison.Ordinal); // site in the cohort table
        Assert.Contains("P&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal); // patient in a slice caption
        Assert.Matches("enc&lt;script&gt;alert\\(1\\)&lt;script&gt;", html); // encoder in the benchmark table

        // Every inline SVG is well-formed XML: a label that broke out of its text element would not parse.
        foreach (Match svg in Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline))
        {
            var doc = XDocument.Parse(svg.Value);
            Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "foreignObject");
            Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void An_empty_run_folder_renders_every_section_as_omitted_with_its_reason()
    {
        using var run = new TempFolder();

        var report = ReportWriter.WriteForRunDirectory(run.Path, run.File("report.html"));

        Assert.All(report.Sections, s => Assert.NotNull(s.OmittedBecause));
        string html = File.ReadAllText(run.File("report.html"));
        Assert.Contains("Omitted: run.json not found", html, StringComparison.Ordinal);
        Assert.Contains("Omitted: benchmark.json not found", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Degenerate_data_renders_empty_tables_a_single_class_roc_and_a_one_trial_history()
    {
        using var run = new TempFolder();
        FakeRun.WriteRunJson(run.Path, "degenerate");
        FakeRun.Write(run.Path, "cohort_by_site.csv", "site,external,train_crlm,train_non_crlm,train_negative,test_crlm,test_non_crlm,test_negative\n");
        FakeRun.Write(run.Path, "splits.csv", "patient_id,site,label,set,fold,external_site\n");
        FakeRun.Write(run.Path, "preprocess/scans.csv", "patient_id,scan_id,key,image,liver_mask,lesion_mask,liver_voxels,lesion_voxels,crop_start,norm_mean,norm_std,warnings\n");
        FakeRun.WriteBenchmark(run.Path, ["only"], "only");
        FakeRun.Write(run.Path, "benchmark/only/test_predictions.csv", "patient_id,site,dataset,y_true,y_prob\nP1,A,test,1,0.7\n");
        FakeRun.Write(run.Path, "benchmark/only/trials.jsonl", FakeRun.Trials(0.5) + "{\"number\": 1, \"sco"); // torn last line

        var report = ReportWriter.WriteForRunDirectory(run.Path, run.File("report.html"));

        string html = File.ReadAllText(run.File("report.html"));
        Assert.Null(report.Sections.Single(s => s.Id == "benchmark").OmittedBecause);
        Assert.Contains("ROC undefined", html, StringComparison.Ordinal);
        Assert.Contains("no rows", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<svg[ >]"));
    }

    [Fact]
    public void A_malformed_file_costs_only_its_own_section()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        FakeRun.Write(run.Path, "benchmark.json", "{ \"encoders\": [ {\"name\": ");

        var report = ReportWriter.WriteForRunDirectory(run.Path, run.File("report.html"));

        var benchmark = report.Sections.Single(s => s.Id == "benchmark");
        Assert.StartsWith("could not be built", benchmark.OmittedBecause, StringComparison.Ordinal);
        Assert.Null(report.Sections.Single(s => s.Id == "cohort").OmittedBecause);
    }

    [Fact]
    public void Sample_slices_that_lost_their_cached_boxes_are_reported_not_thrown()
    {
        using var run = new TempFolder();
        FakeRun.WriteAll(run.Path);
        Directory.Delete(run.File("cache"), recursive: true);

        string html = Render(run.Path);

        Assert.Contains("could not be drawn", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image/png", html, StringComparison.Ordinal);
    }

    private static string Render(string runDirectory)
    {
        string output = Path.Combine(runDirectory, "report.html");
        ReportWriter.WriteForRunDirectory(runDirectory, output);
        return File.ReadAllText(output);
    }
}
