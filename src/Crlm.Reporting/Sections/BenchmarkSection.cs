using System.Globalization;
using System.Text.Json;
using Crlm.Core.Evaluation;
using Crlm.Reporting.Artifacts;
using Crlm.Reporting.Model;
using Crlm.Reporting.Plotting;

namespace Crlm.Reporting.Sections;

/// <summary>
/// The encoder benchmark, like the study's Table 3: per encoder the cross-validated AUC, the test metrics with their
/// bootstrap CIs (benchmark.json), the test ROC curves (benchmark/NAME/test_predictions.csv) and the search history,
/// best mean CV AUC so far against trial (benchmark/NAME/trials.jsonl). Each file is optional.
/// </summary>
public sealed class BenchmarkSection : IReportSectionSource
{
    public const string BenchmarkFile = "benchmark.json";
    public const string Folder = "benchmark";
    public const string PredictionsFile = "test_predictions.csv";
    public const string TrialsFile = "trials.jsonl";

    public string Id => "benchmark";

    public string Title => "Encoder benchmark";

    public ReportSection Build(RunArtifacts run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var doc = run.Json(BenchmarkFile);
        if (doc is null)
        {
            return ReportSection.Omitted(Id, Title, $"{BenchmarkFile} not found (the benchmark stage did not run)");
        }

        var root = doc.RootElement;
        string? winner = Json.Text(root, "winner");
        var encoders = Json.Array(root, "encoders").ToArray();
        var rows = encoders.Select(e => Row(e, winner)).ToArray();
        var blocks = new List<ReportBlock>
        {
            new TableBlock(
                "Encoders: cross-validated AUC on train (mean ± SD over folds) and test metrics with 95% bootstrap CIs",
                ["encoder", "CV AUC", "test AUC [95% CI]", "balanced accuracy [95% CI]", "sensitivity", "specificity", "precision", "F1", "threshold", "trials"],
                rows),
        };
        if (winner is not null)
        {
            blocks.Add(new TextBlock($"Winner (highest CV AUC, chosen before looking at test): {winner}."));
        }

        var names = encoders.Select(e => Json.Text(e, "name") ?? "").Where(SafeFolderName).ToArray();
        blocks.AddRange(RocFigure(run, names));
        blocks.AddRange(SearchHistoryFigure(run, names));
        return new ReportSection(Id, Title, blocks);
    }

    private static IReadOnlyList<string> Row(JsonElement e, string? winner)
    {
        string name = Json.Text(e, "name") ?? "?";
        string Metric(string key) => Json.Get(e, "test", key) switch
        {
            { ValueKind: JsonValueKind.Number } n => Format.Fixed(n.GetDouble()),
            { ValueKind: JsonValueKind.Object } o => Format.Interval(Json.Number(o, "value"), Json.Number(o, "ci_low"), Json.Number(o, "ci_high")),
            _ => Format.Missing,
        };
        string cv = Json.Number(e, "cv_auc", "mean") is { } mean
            ? $"{Format.Fixed(mean)} ± {Format.Fixed(Json.Number(e, "cv_auc", "sd"))}"
            : Format.Missing;
        return [name == winner ? name + " (winner)" : name, cv, Metric("auc"), Metric("balanced_accuracy"), Metric("sensitivity"),
            Metric("specificity"), Metric("precision"), Metric("f1"), Metric("threshold"), Json.Text(e, "trials") ?? Format.Missing];
    }

    /// <summary>ROC of each encoder's test predictions; encoders with one class only are listed under the plot.</summary>
    private static IEnumerable<ReportBlock> RocFigure(RunArtifacts run, IReadOnlyList<string> names)
    {
        var curves = new List<PlotSeries>();
        var undefined = new List<string>();
        foreach (string name in names)
        {
            var table = run.Csv(Path.Combine(Folder, name, PredictionsFile));
            if (table is null)
            {
                continue;
            }

            var csv = new CsvColumns(table);
            var points = csv.Rows
                .Select(r => (Truth: csv.Cell(r, "y_true"), Prob: double.TryParse(csv.Cell(r, "y_prob"), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) ? p : double.NaN))
                .Where(p => (p.Truth is "0" or "1") && double.IsFinite(p.Prob))
                .ToArray();
            bool[] positive = points.Select(p => p.Truth == "1").ToArray();
            double[] scores = points.Select(p => p.Prob).ToArray();
            if (RocCurve.Compute(positive, scores) is { } roc)
            {
                double auc = RocAuc.Compute(positive, scores) ?? double.NaN;
                curves.Add(new PlotSeries($"{name} (AUC {Format.Fixed(auc)})", roc.FalsePositiveRates, roc.TruePositiveRates));
            }
            else
            {
                undefined.Add($"{name} ({points.Length} test patient(s), one class only)");
            }
        }

        if (curves.Count == 0 && undefined.Count == 0)
        {
            yield return new TextBlock($"No ROC curves: no {Folder}/NAME/{PredictionsFile} in the run folder.");
            yield break;
        }

        string? note = undefined.Count > 0 ? "ROC undefined: one class only" : null;
        yield return new FigureBlock("Test-set ROC curves per encoder.", ReportPlots.Roc(curves, curves.Count == 0 ? note : null));
        if (undefined.Count > 0)
        {
            yield return new TextBlock("ROC undefined (the test set holds one class only, so one of the rates divides by zero): " + string.Join("; ", undefined));
        }
    }

    /// <summary>Best mean CV AUC so far against trial number, per encoder, from the search's trial log.</summary>
    private static IEnumerable<ReportBlock> SearchHistoryFigure(RunArtifacts run, IReadOnlyList<string> names)
    {
        var series = new List<PlotSeries>();
        foreach (string name in names)
        {
            var trials = run.JsonLines(Path.Combine(Folder, name, TrialsFile));
            if (trials is null)
            {
                continue;
            }

            var scored = trials
                .Select((t, i) => (Number: Json.Number(t, "number") ?? i, Score: Json.Number(t, "score")))
                .Where(t => t.Score is { } s && double.IsFinite(s))
                .OrderBy(t => t.Number)
                .ToArray();
            var x = new List<double>();
            var y = new List<double>();
            double best = double.NegativeInfinity;
            foreach (var (number, score) in scored)
            {
                best = Math.Max(best, score!.Value);
                x.Add(number);
                y.Add(best);
            }

            series.Add(new PlotSeries(name, x, y));
        }

        if (series.Count == 0)
        {
            yield return new TextBlock($"No search history: no {Folder}/NAME/{TrialsFile} in the run folder.");
            yield break;
        }

        yield return new FigureBlock("Search history: best mean cross-validated AUC so far against trial number.", ReportPlots.SearchHistory(series, "best mean CV AUC"));
    }

    /// <summary>An encoder name is used as a folder name: anything that could leave the benchmark folder is ignored.</summary>
    private static bool SafeFolderName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
