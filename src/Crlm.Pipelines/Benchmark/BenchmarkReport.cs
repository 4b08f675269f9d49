using System.Globalization;
using System.Text;
using Crlm.Core.Evaluation;

namespace Crlm.Pipelines.Benchmark;

/// <summary>benchmark.json: every encoder's result and the winner (highest mean CV AUC; ties go to the name first in ordinal order).</summary>
public sealed record BenchmarkReport(IReadOnlyList<EncoderBenchmark> Encoders, string Winner, string WinnerRule);

/// <summary>One encoder's search, its best configuration and that configuration's held-out evaluation.</summary>
/// <param name="Trials">Trials in the search's history (resumed ones included).</param>
/// <param name="TrialsRun">Trials this run evaluated (0 when the whole history came from the trial store).</param>
public sealed record EncoderBenchmark(
    string Name,
    CvAuc CvAuc,
    IReadOnlyDictionary<string, object?> Config,
    TestEvaluation Test,
    OperatingPointSummary TestAtTestYouden,
    SubgroupTables Subgroups,
    int Trials,
    int TrialsRun,
    double SearchS,
    string StopReason);

/// <summary>The best trial's CV: mean and population SD (ddof 0, as the peer) of the fold AUCs, and the pooled OOF AUC (per patient).</summary>
public sealed record CvAuc(double Mean, double Sd, double? OofAuc, IReadOnlyList<double?> Folds);

/// <summary>A point estimate with its percentile bootstrap 95% CI over patients (nulls where undefined).</summary>
public sealed record MetricCi(double? Value, double? CiLow, double? CiHigh)
{
    public static MetricCi From(double? value, ConfidenceInterval ci) => new(value, ci?.Lower, ci?.Upper);

    /// <summary>"0.81 (0.72-0.89)", the Table 3 cell.</summary>
    public string Cell() =>
        Value is not { } v ? "n/a" : CiLow is { } lo && CiHigh is { } hi ? Invariant($"{v:0.00} ({lo:0.00}-{hi:0.00})") : Invariant($"{v:0.00}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Held-out patients (internal test and external together) at the chosen threshold.</summary>
public sealed record TestEvaluation(
    MetricCi Auc,
    MetricCi BalancedAccuracy,
    MetricCi Sensitivity,
    MetricCi Specificity,
    MetricCi Precision,
    MetricCi F1,
    double Threshold,
    string ThresholdRule,
    int Patients,
    int Positives,
    string Bootstrap);

/// <summary>Point estimates at one threshold (no CIs).</summary>
public sealed record OperatingPointSummary(double Threshold, double? Sensitivity, double? Specificity, double? BalancedAccuracy, double? Precision, double? F1)
{
    public static OperatingPointSummary From(OperatingPoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Threshold, p.Sensitivity, p.Specificity, p.BalancedAccuracy, p.Precision, p.F1);
    }
}

/// <summary>Subgroups at the overall threshold (SubgroupTable): per site, per dataset (internal_test / external), per phase.</summary>
public sealed record SubgroupTables(IReadOnlyList<SubgroupEntry> Site, IReadOnlyList<SubgroupEntry> Dataset, IReadOnlyList<SubgroupEntry> Phase);

public sealed record SubgroupEntry(
    string Group, int N, int NPositive, double? Auc, double Brier, double? Sensitivity, double? Specificity, double? BalancedAccuracy, double? Precision, double? F1)
{
    public static IReadOnlyList<SubgroupEntry> From(IReadOnlyList<SubgroupRow> rows) =>
        rows.Select(r => new SubgroupEntry(
            r.Group, r.N, r.NPositive, r.Auc, r.Brier, r.OperatingPoint.Sensitivity, r.OperatingPoint.Specificity,
            r.OperatingPoint.BalancedAccuracy, r.OperatingPoint.Precision, r.OperatingPoint.F1)).ToArray();
}

/// <summary>The study's Table 3: one row per encoder, every metric as "value (low-high)".</summary>
public static class Table3
{
    private static readonly string[] Header =
        ["encoder", "cv_auc", "auc", "balanced_accuracy", "sensitivity", "specificity", "precision", "f1", "threshold"];

    public static IReadOnlyList<string[]> Rows(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Encoders.Select(e => new[]
        {
            e.Name + (e.Name == report.Winner ? " *" : ""),
            string.Create(CultureInfo.InvariantCulture, $"{e.CvAuc.Mean:0.00} ± {e.CvAuc.Sd:0.00}"),
            e.Test.Auc.Cell(), e.Test.BalancedAccuracy.Cell(), e.Test.Sensitivity.Cell(), e.Test.Specificity.Cell(),
            e.Test.Precision.Cell(), e.Test.F1.Cell(), e.Test.Threshold.ToString("0.000", CultureInfo.InvariantCulture),
        }).ToArray();
    }

    public static string Markdown(BenchmarkReport report)
    {
        var rows = Rows(report);
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Header).Append(" |\n");
        text.Append('|').AppendJoin("|", Header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        text.Append('\n').Append("Held-out patients (internal test and external) at the Youden threshold ")
            .Append((report.Encoders.Count > 0 ? report.Encoders[0].Test.ThresholdRule : ""))
            .Append("; 95% percentile bootstrap CIs over patients. * = winner (")
            .Append(report.WinnerRule).Append(").\n");
        return text.ToString();
    }

    public static string Csv(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.AppendJoin(",", Header).Append('\n');
        foreach (var row in Rows(report))
        {
            text.AppendJoin(",", row.Select(Crlm.Core.Cohort.CsvTable.Escape)).Append('\n');
        }

        return text.ToString();
    }
}
