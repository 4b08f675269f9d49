using Crlm.Core.IO;
using Crlm.Reporting.Model;
using Crlm.Reporting.Plotting;
using Crlm.Reporting.Rendering;

namespace Crlm.Reporting.Tests;

public class RenderingTests
{
    [Fact]
    public void Section_ids_become_safe_unique_anchors()
    {
        var ids = HtmlReportRenderer.UniqueIds([
            new ReportSection("Run Summary", "a", []), new ReportSection("run summary", "b", []), new ReportSection("\"><script>", "c", [])]);

        Assert.Equal(["run-summary", "run-summary-2", "script"], ids);
    }

    [Fact]
    public void Each_inline_plot_gets_its_own_clip_path_ids()
    {
        var svg = ReportPlots.Roc([new PlotSeries("a", [0, 1], [0, 1])]);

        string first = HtmlReportRenderer.InlineSvg(svg, "fig1-"), second = HtmlReportRenderer.InlineSvg(svg, "fig2-");

        Assert.DoesNotContain("<?xml", first, StringComparison.Ordinal);
        Assert.Contains("id=\"fig1-", first, StringComparison.Ordinal);
        Assert.Contains("url(#fig1-", first, StringComparison.Ordinal);
        Assert.DoesNotContain("url(#fig1-", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Plots_accept_no_series_empty_series_and_one_point()
    {
        PlotSeries[] degenerate = [new PlotSeries("empty", [], []), new PlotSeries("one", [0.5], [0.5])];

        Assert.Contains("<svg", ReportPlots.Roc([]).Xml, StringComparison.Ordinal);
        Assert.Contains("<svg", ReportPlots.Roc(degenerate, "note").Xml, StringComparison.Ordinal);
        Assert.Contains("<svg", ReportPlots.SearchHistory([], "score").Xml, StringComparison.Ordinal);
        Assert.Contains("<svg", ReportPlots.SearchHistory(degenerate, "score").Xml, StringComparison.Ordinal);
        Assert.Contains("<svg", ReportPlots.HorizontalBars([], [], "s").Xml, StringComparison.Ordinal);
        Assert.Contains("<svg", ReportPlots.HorizontalBars(["one"], [double.NaN], "s").Xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_with_ragged_rows_are_padded_and_empty_tables_say_so()
    {
        var report = new Report("t", [new ReportSection("s", "S", [
            new TableBlock(null, ["a", "b"], [["1"], ["1", "2", "3"]]),
            new TableBlock("empty", [], [])])]);

        string html = HtmlReportRenderer.Render(report);

        Assert.Contains("<tr><td>1</td><td></td><td></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("no rows", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rgb_png_has_the_signature_and_a_truecolour_header()
    {
        byte[] png = PngEncoder.Rgb([255, 0, 0, 0, 255, 0], 2, 1);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(2, png[8 + 8 + 9]); // IHDR colour type: truecolour
    }
}
