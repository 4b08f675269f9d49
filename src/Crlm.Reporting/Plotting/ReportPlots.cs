using System.Text.RegularExpressions;
using Crlm.Reporting.Model;
using ScottPlot;

namespace Crlm.Reporting.Plotting;

/// <summary>A named line for a plot: x and y of the same length (may be empty or one point).</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The report's plots, drawn by ScottPlot and exported as static SVG (no script, no fonts or images to fetch), so
/// the page stays one offline file and a test can read a plot as text. Every method accepts degenerate input
/// (no series, empty or one-point series) and still returns a plot.
/// </summary>
public static partial class ReportPlots
{
    public const int Width = 560;
    public const int Height = 420;

    /// <summary>ROC curves on the unit square with the chance diagonal; <paramref name="note"/> is written on the plot.</summary>
    public static SvgMarkup Roc(IReadOnlyList<PlotSeries> curves, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance";
        AddLines(plot, curves, ConnectStyle.Straight);
        if (note is not null)
        {
            var text = plot.Add.Text(note, 0.5, 0.1);
            text.LabelAlignment = Alignment.MiddleCenter;
        }

        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.XLabel("1 - specificity (false-positive rate)");
        plot.YLabel("sensitivity (true-positive rate)");
        plot.ShowLegend(Alignment.LowerRight);
        return Export(plot);
    }

    /// <summary>Best score so far against trial number, one step line per series (the search history).</summary>
    public static SvgMarkup SearchHistory(IReadOnlyList<PlotSeries> series, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        AddLines(plot, series, ConnectStyle.StepHorizontal);
        plot.XLabel("trial");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        if (!series.Any(s => s.X.Count > 0))
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
        }

        return Export(plot);
    }

    /// <summary>Horizontal bars, one per label, top to bottom in the given order (timings).</summary>
    public static SvgMarkup HorizontalBars(IReadOnlyList<string> labels, IReadOnlyList<double> values, string valueLabel)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        if (labels.Count != values.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {values.Count} values");
        }

        var plot = new Plot();
        int n = labels.Count;
        var bars = Enumerable.Range(0, n)
            .Select(i => new Bar { Position = n - 1 - i, Value = Finite(values[i]), Orientation = Orientation.Horizontal })
            .ToArray();
        if (n > 0)
        {
            plot.Add.Bars(bars);
            double[] positions = Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels.ToArray());
            plot.Axes.Margins(left: 0, right: 0.1);
        }
        else
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
        }

        plot.XLabel(valueLabel);
        return Export(plot, Width, Math.Max(160, 60 + 28 * n));
    }

    private static void AddLines(Plot plot, IReadOnlyList<PlotSeries> series, ConnectStyle style)
    {
        foreach (var s in series)
        {
            int n = Math.Min(s.X.Count, s.Y.Count);
            if (n == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(s.X.Take(n).Select(Finite).ToArray(), s.Y.Take(n).Select(Finite).ToArray());
            line.LegendText = s.Name;
            line.ConnectStyle = style;
            line.LineWidth = 2;

            // A lone point has no line to show: give it a marker so it is not invisible.
            line.MarkerSize = n == 1 ? 8 : 0;
        }
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static SvgMarkup Export(Plot plot, int width = Width, int height = Height)
    {
        // ScottPlot's default on Linux is a serif face; the page is sans.
        plot.Font.Set("DejaVu Sans");
        string xml = plot.GetSvgXml(width, height);
        if (ActiveContent().IsMatch(xml))
        {
            throw new InvalidOperationException("the plotting library produced SVG with active content; refusing to embed it");
        }

        return new SvgMarkup(xml);
    }

    /// <summary>Script elements, event-handler attributes, foreign objects and links to anything outside the file.</summary>
    [GeneratedRegex(@"<\s*(script|foreignObject|iframe)|\son[a-z]+\s*=|(href|src)\s*=\s*[""']?\s*(?!#|data:image/)", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveContent();
}
