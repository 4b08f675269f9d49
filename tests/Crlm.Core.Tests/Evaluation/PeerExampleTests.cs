using System.Text.Json;
using Crlm.Core.Evaluation;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Evaluation;

/// <summary>
/// The peer's own example (../shared/peers/examples/metrics_input.csv, 200 patients, two sites) against its recorded
/// output (examples/expected/metrics.json: metrics.py --n-boot 200 --seed 0). Skipped where ../shared is absent.
/// </summary>
public class PeerExampleTests
{
    private const double Exact = 1e-12;

    [RequiresPeerExamplesFact]
    public void Point_estimates_sites_and_uncertainty_split_match_the_peers_example()
    {
        var table = PredictionTable.Read(PeerExamples.Path("metrics_input.csv"));
        JsonElement peer = PeerJson.Load(PeerExamples.Path("expected", "metrics.json"));

        var result = BinaryEvaluation.Evaluate(table.Positive, table.Probability);
        PeerJson.Close(peer.GetProperty("auc"), result.Auc, Exact, "AUC");
        PeerJson.Close(peer.GetProperty("youden_j"), result.Youden.J, Exact, "Youden J");
        PeerJson.OperatingPoint(peer.GetProperty("operating_point"), result.OperatingPoint, Exact, "operating point");
        PeerJson.Close(peer.GetProperty("brier"), result.Brier, Exact, "Brier");

        double threshold = result.Youden.Threshold;
        var sites = SubgroupTable.By(table.Positive, table.Probability, table.Group!, threshold);
        var peerSites = peer.GetProperty("per_group").EnumerateObject().ToList();
        Assert.Equal(peerSites.Select(s => s.Name), sites.Select(s => s.Group));
        foreach (var (expected, row) in peerSites.Zip(sites))
        {
            Assert.Equal(expected.Value.GetProperty("n").GetInt32(), row.N);
            PeerJson.Close(expected.Value.GetProperty("auc"), row.Auc, Exact, $"{row.Group} AUC");
            PeerJson.Close(expected.Value.GetProperty("brier"), row.Brier, Exact, $"{row.Group} Brier");
            PeerJson.OperatingPoint(expected.Value, row.OperatingPoint, Exact, row.Group);
        }

        var split = UncertaintySplit.Compute(table.Positive, table.Probability, table.Uncertainty!, threshold);
        foreach (var (expected, row) in peer.GetProperty("uncertainty_split").EnumerateArray().Zip(split))
        {
            PeerJson.Close(expected.GetProperty("certain").GetProperty("auc"), row.Certain.Auc, Exact, "certain AUC");
            PeerJson.Close(expected.GetProperty("uncertain").GetProperty("auc"), row.Uncertain.Auc, Exact, "uncertain AUC");
            PeerJson.Close(expected.GetProperty("certain").GetProperty("balanced_accuracy"), row.Certain.BalancedAccuracy, Exact, "certain balanced accuracy");
            PeerJson.Close(expected.GetProperty("uncertain").GetProperty("balanced_accuracy"), row.Uncertain.BalancedAccuracy, Exact, "uncertain balanced accuracy");
        }
    }

    /// <summary>numpy's resamples are not ours: the CIs agree within Monte-Carlo error (see MetricsPeerTests).</summary>
    [RequiresPeerExamplesFact]
    public void Bootstrap_CIs_agree_with_the_peers_example_within_Monte_Carlo_error()
    {
        var table = PredictionTable.Read(PeerExamples.Path("metrics_input.csv"));
        JsonElement ci = PeerJson.Load(PeerExamples.Path("expected", "metrics.json")).GetProperty("bootstrap").GetProperty("ci");
        double threshold = BinaryEvaluation.Evaluate(table.Positive, table.Probability).Youden.Threshold;

        var result = PatientBootstrap.Run(table.Positive, table.Probability, threshold, new BootstrapOptions(Resamples: 4000, Seed: 1));

        foreach (var (metric, ours) in MetricsPeerTests.Intervals(result))
        {
            JsonElement e = ci.GetProperty(metric);
            double tolerance = (0.25 * (e.GetProperty("hi").GetDouble() - e.GetProperty("lo").GetDouble())) + 0.01;
            PeerJson.Close(e.GetProperty("lo"), ours.Lower, tolerance, $"{metric} lower");
            PeerJson.Close(e.GetProperty("hi"), ours.Upper, tolerance, $"{metric} upper");
            Assert.Equal(4000, ours.ValidResamples);
        }
    }
}

/// <summary>../shared/peers/examples next to the repository; absent in a user's clone.</summary>
public static class PeerExamples
{
    public const string MissingReason = "../shared/peers/examples is absent (a user clone has none); CI has it";

    public static string? Directory { get; } = Find();

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Directory ?? throw new InvalidOperationException(MissingReason), .. parts]);

    private static string? Find()
    {
        if (SharedData.RepoRoot is null)
        {
            return null;
        }

        string dir = System.IO.Path.GetFullPath(System.IO.Path.Combine(SharedData.RepoRoot, "..", "shared", "peers", "examples"));
        return File.Exists(System.IO.Path.Combine(dir, "metrics_input.csv")) ? dir : null;
    }
}

/// <summary>A fact skipped, with <see cref="PeerExamples.MissingReason"/>, when the peer's examples are absent.</summary>
public sealed class RequiresPeerExamplesFactAttribute : FactAttribute
{
    public RequiresPeerExamplesFactAttribute()
    {
        if (PeerExamples.Directory is null)
        {
            Skip = PeerExamples.MissingReason;
        }
    }
}
