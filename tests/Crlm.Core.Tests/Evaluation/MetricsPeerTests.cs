using System.Text.Json;
using Crlm.Core.Evaluation;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Evaluation;

/// <summary>
/// Our metrics against ../shared/peers/metrics.py on the committed fixtures (tests/reference/make_metrics_fixtures.py):
/// point estimates, per-site rows and the uncertainty split to 1e-12, and the bootstrap CIs to 1e-12 when we replay the
/// peer's own resamples.
/// </summary>
public class MetricsPeerTests
{
    private const double Exact = 1e-12;

    public static TheoryData<string> Cases => new() { "ties", "separated", "imbalanced", "rare" };

    public static TheoryData<string, string> CasesAndModes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string name in new[] { "ties", "separated", "imbalanced", "rare" })
            {
                data.Add(name, "fixed");
                data.Add(name, "refit");
            }

            return data;
        }
    }

    private static string Fixture(string file) => Path.Combine(SharedData.Fixtures("metrics"), file);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Point_estimates_match_the_peer(string name)
    {
        var table = PredictionTable.Read(Fixture($"{name}.csv"));
        JsonElement peer = PeerJson.Load(Fixture($"{name}_fixed.json"));

        var result = BinaryEvaluation.Evaluate(table.Positive, table.Probability);

        Assert.Equal(peer.GetProperty("n").GetInt32(), result.N);
        Assert.Equal(peer.GetProperty("n_pos").GetInt32(), result.NPositive);
        Assert.Equal(peer.GetProperty("n_neg").GetInt32(), result.NNegative);
        PeerJson.Close(peer.GetProperty("auc"), result.Auc, Exact, "AUC");
        PeerJson.Close(peer.GetProperty("youden_j"), result.Youden.J, Exact, "Youden J");
        PeerJson.OperatingPoint(peer.GetProperty("operating_point"), result.OperatingPoint, Exact, "operating point");
        PeerJson.Close(peer.GetProperty("brier"), result.Brier, Exact, "Brier");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_site_rows_match_the_peer_in_order(string name)
    {
        var table = PredictionTable.Read(Fixture($"{name}.csv"));
        JsonElement peer = PeerJson.Load(Fixture($"{name}_fixed.json"));
        double threshold = peer.GetProperty("operating_point").GetProperty("threshold").GetDouble();

        var rows = SubgroupTable.By(table.Positive, table.Probability, table.Group!, threshold);

        var peerRows = peer.GetProperty("per_group").EnumerateObject().ToList();
        Assert.Equal(peerRows.Select(r => r.Name), rows.Select(r => r.Group));
        foreach (var (expected, row) in peerRows.Zip(rows))
        {
            Assert.Equal(expected.Value.GetProperty("n").GetInt32(), row.N);
            Assert.Equal(expected.Value.GetProperty("n_pos").GetInt32(), row.NPositive);
            PeerJson.Close(expected.Value.GetProperty("auc"), row.Auc, Exact, $"{row.Group} AUC");
            PeerJson.Close(expected.Value.GetProperty("brier"), row.Brier, Exact, $"{row.Group} Brier");
            PeerJson.OperatingPoint(expected.Value, row.OperatingPoint, Exact, row.Group);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Uncertainty_split_matches_the_peer(string name)
    {
        var table = PredictionTable.Read(Fixture($"{name}.csv"));
        JsonElement peer = PeerJson.Load(Fixture($"{name}_fixed.json"));
        double threshold = peer.GetProperty("operating_point").GetProperty("threshold").GetDouble();

        var rows = UncertaintySplit.Compute(table.Positive, table.Probability, table.Uncertainty!, threshold);

        var peerRows = peer.GetProperty("uncertainty_split").EnumerateArray().ToList();
        Assert.Equal(peerRows.Count, rows.Count);
        foreach (var (expected, row) in peerRows.Zip(rows))
        {
            PeerJson.Close(expected.GetProperty("retained_fraction"), row.RetainedFraction, 0, "retained fraction");
            Assert.Equal(expected.GetProperty("n_certain").GetInt32(), row.NCertain);
            foreach (var (part, ours) in new[] { ("certain", row.Certain), ("uncertain", row.Uncertain) })
            {
                JsonElement e = expected.GetProperty(part);
                Assert.Equal(e.GetProperty("n").GetInt32(), ours.N);
                Assert.Equal(e.GetProperty("n_pos").GetInt32(), ours.NPositive);
                PeerJson.Close(e.GetProperty("auc"), ours.Auc, Exact, $"{part} at {row.RetainedFraction} AUC");
                PeerJson.Close(e.GetProperty("balanced_accuracy"), ours.BalancedAccuracy, Exact, $"{part} at {row.RetainedFraction} balanced accuracy");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CasesAndModes))]
    public void Bootstrap_CIs_match_the_peer_exactly_when_replaying_its_resamples(string name, string mode)
    {
        var table = PredictionTable.Read(Fixture($"{name}.csv"));
        JsonElement peer = PeerJson.Load(Fixture($"{name}_{mode}.json"));
        int[][] resamples = BootstrapIndices.ParseCsv(File.ReadAllText(Fixture($"{name}_indices.csv")));
        double threshold = BinaryEvaluation.Evaluate(table.Positive, table.Probability).Youden.Threshold;
        var options = new BootstrapOptions(Threshold: mode == "fixed" ? BootstrapThreshold.Fixed : BootstrapThreshold.Refit);

        var result = PatientBootstrap.Replay(table.Positive, table.Probability, threshold, resamples, options);

        JsonElement boot = peer.GetProperty("bootstrap");
        Assert.Equal(boot.GetProperty("n_resamples").GetInt32(), result.Resamples);
        Assert.Equal(boot.GetProperty("n_skipped_single_class").GetInt32(), result.SkippedSingleClass);
        AssertIntervals(boot.GetProperty("ci"), result, Exact, checkValidCounts: true);
    }

    /// <summary>
    /// With our own generator the resamples differ from numpy's, so only the Monte-Carlo error separates the CIs. We
    /// use B = 4000 so that our endpoints are tight; the peer's B = 200 endpoints carry most of the difference, and the
    /// tolerance is a quarter of the peer's CI width plus 0.02.
    /// </summary>
    [Theory]
    [MemberData(nameof(CasesAndModes))]
    public void Bootstrap_CIs_with_our_generator_agree_within_Monte_Carlo_error(string name, string mode)
    {
        var table = PredictionTable.Read(Fixture($"{name}.csv"));
        JsonElement peer = PeerJson.Load(Fixture($"{name}_{mode}.json"));
        double threshold = BinaryEvaluation.Evaluate(table.Positive, table.Probability).Youden.Threshold;
        var options = new BootstrapOptions(Resamples: 4000, Seed: 7, Threshold: mode == "fixed" ? BootstrapThreshold.Fixed : BootstrapThreshold.Refit);

        var result = PatientBootstrap.Run(table.Positive, table.Probability, threshold, options);

        foreach (var (metric, ours) in Intervals(result))
        {
            JsonElement e = peer.GetProperty("bootstrap").GetProperty("ci").GetProperty(metric);
            double lo = e.GetProperty("lo").GetDouble(), hi = e.GetProperty("hi").GetDouble();
            double tolerance = 0.25 * (hi - lo) + 0.02;
            PeerJson.Close(e.GetProperty("lo"), ours.Lower, tolerance, $"{metric} lower");
            PeerJson.Close(e.GetProperty("hi"), ours.Upper, tolerance, $"{metric} upper");
        }
    }

    internal static IEnumerable<(string Metric, ConfidenceInterval Interval)> Intervals(BootstrapResult r) =>
    [
        ("auc", r.Auc), ("sensitivity", r.Sensitivity), ("specificity", r.Specificity), ("balanced_accuracy", r.BalancedAccuracy),
        ("precision", r.Precision), ("f1", r.F1), ("brier", r.Brier),
    ];

    internal static void AssertIntervals(JsonElement ci, BootstrapResult result, double tolerance, bool checkValidCounts)
    {
        foreach (var (metric, ours) in Intervals(result))
        {
            JsonElement e = ci.GetProperty(metric);
            PeerJson.Close(e.GetProperty("lo"), ours.Lower, tolerance, $"{metric} lower");
            PeerJson.Close(e.GetProperty("hi"), ours.Upper, tolerance, $"{metric} upper");
            if (checkValidCounts)
            {
                Assert.Equal(e.GetProperty("n_valid").GetInt32(), ours.ValidResamples);
            }
        }
    }
}
