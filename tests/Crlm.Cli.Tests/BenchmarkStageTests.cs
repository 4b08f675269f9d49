using System.Text.Json;
using Crlm.Core.Cohort;
using Crlm.Core.Randomness;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Stages;

namespace Crlm.Cli.Tests;

/// <summary>
/// The benchmark stage with the real model (Crlm.Tabular, as `crlm run` wires it) on tiny synthetic embeddings:
/// 48 patients x 10 features, an encoder whose first two features carry the label and one of pure noise.
/// </summary>
public sealed class BenchmarkStageTests
{
    private const int Patients = 48;

    private static BenchmarkSpec Fast => new() { Trials = 6, Folds = 3, Bootstrap = 100, Batch = 3 };

    /// <summary>Patients p00..p47 over sites A and B (internal) and X (external, test only); 3 folds over training patients.</summary>
    private static List<ScanEmbedding> Embeddings(bool signal, bool flipTestLabels = false)
    {
        var rng = SplitMix64.Derive(7, signal ? "signal" : "noise");
        var scans = new List<ScanEmbedding>();
        for (int p = 0; p < Patients; p++)
        {
            bool crlm = p % 2 == 0;
            string site = p < 40 ? (p % 4 < 2 ? "A" : "B") : "X";
            bool test = p >= 40 || p % 5 == 4;
            var label = crlm ? CohortLabel.Crlm : CohortLabel.NonCrlm;
            var scanLabel = test && flipTestLabels ? (crlm ? CohortLabel.NonCrlm : CohortLabel.Crlm) : label;
            var vector = new float[10];
            for (int d = 0; d < vector.Length; d++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                vector[d] = (float)(noise + (signal && d < 2 && crlm ? 1.5 : 0));
            }

            string id = $"p{p:00}";
            var scan = new ScanRecord(id, id + "_s", site, ContrastPhase.PortalVenous, scanLabel, "img.nii", "liver.nii", null, false, 60, PatientSex.Female,
                new Dictionary<string, string>(), p + 2);
            var assignment = new PatientAssignment(id, site, scanLabel, test ? SplitSet.Test : SplitSet.Train, test ? -1 : p % 3, site == "X");
            scans.Add(new ScanEmbedding(scan, assignment, vector));
        }

        return scans;
    }

    private static (StageOutcome Outcome, JsonElement Report) Run(
        string output, string cache, BenchmarkSpec benchmark, bool flipTestLabels = false, bool withNoise = true)
    {
        var spec = new PipelineSpec
        {
            Name = "t",
            SourcePath = "t.yaml",
            SourceSha256 = "0",
            Seed = 3,
            Dataset = new DatasetSpec(),
            Benchmark = benchmark,
            OutputDirectory = output,
            CacheDirectory = cache,
        };
        var embeddings = new Dictionary<string, IReadOnlyList<ScanEmbedding>>(StringComparer.Ordinal)
        {
            ["signal"] = Embeddings(signal: true, flipTestLabels),
        };
        if (withNoise)
        {
            embeddings["noise"] = Embeddings(signal: false, flipTestLabels);
        }

        var state = new RunState { Embeddings = embeddings };
        var context = new StageContext(spec, output, cache, state, new SilentRunObserver(), CancellationToken.None);
        var outcome = new BenchmarkStage(new TabularBenchmarkLearner()).Run(context);
        return (outcome, JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "benchmark.json"))).RootElement.Clone());
    }

    private static JsonElement Encoder(JsonElement report, string name) =>
        report.GetProperty("encoders").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    /// <summary>benchmark.json without the timings, which differ from run to run.</summary>
    private static string Numbers(JsonElement report, string encoder)
    {
        var e = Encoder(report, encoder);
        return string.Join("|", e.GetProperty("cv_auc").GetRawText(), e.GetProperty("config").GetRawText(), e.GetProperty("test").GetRawText(),
            e.GetProperty("subgroups").GetRawText(), e.GetProperty("trials").GetInt32());
    }

    [Fact]
    public void The_report_has_the_documented_shape_and_the_signal_encoder_wins()
    {
        using var folder = new TempFolder();
        var (outcome, report) = Run(folder.File("run"), folder.File("cache"), Fast);

        Assert.Equal(StageOutcome.Completed, outcome);
        Assert.Equal("signal", report.GetProperty("winner").GetString());
        var signal = Encoder(report, "signal");
        Assert.True(signal.GetProperty("cv_auc").GetProperty("mean").GetDouble() > Encoder(report, "noise").GetProperty("cv_auc").GetProperty("mean").GetDouble());
        Assert.True(signal.GetProperty("cv_auc").GetProperty("sd").GetDouble() >= 0);
        Assert.Equal(6, signal.GetProperty("trials").GetInt32());
        Assert.True(signal.GetProperty("search_s").GetDouble() >= 0);
        foreach (string key in new[] { "pca_components", "C", "penalty", "class_weight", "max_iter" })
        {
            Assert.True(signal.GetProperty("config").TryGetProperty(key, out _), key);
        }

        var test = signal.GetProperty("test");
        Assert.True(test.GetProperty("auc").GetProperty("value").GetDouble() > 0.7);
        foreach (string metric in new[] { "auc", "balanced_accuracy", "sensitivity", "specificity", "precision", "f1" })
        {
            var m = test.GetProperty(metric);
            double value = m.GetProperty("value").GetDouble();
            Assert.InRange(value, m.GetProperty("ci_low").GetDouble(), m.GetProperty("ci_high").GetDouble());
        }

        Assert.True(test.TryGetProperty("threshold", out _));
        Assert.Equal(Patients - 32, test.GetProperty("patients").GetInt32());
        var subgroups = signal.GetProperty("subgroups");
        Assert.Equal(["A", "B", "X"], subgroups.GetProperty("site").EnumerateArray().Select(r => r.GetProperty("group").GetString()));
        Assert.Equal(["external", "internal_test"], subgroups.GetProperty("dataset").EnumerateArray().Select(r => r.GetProperty("group").GetString()));
        Assert.Equal(["portal_venous"], subgroups.GetProperty("phase").EnumerateArray().Select(r => r.GetProperty("group").GetString()));

        string run = folder.File("run");
        Assert.Equal(1 + 6, File.ReadAllLines(Path.Combine(run, "benchmark", "signal", "trials.jsonl")).Length);
        Assert.True(new FileInfo(Path.Combine(run, "benchmark", "signal", "model.zip")).Length > 0);
        var predictions = File.ReadAllLines(Path.Combine(run, "benchmark", "signal", "test_predictions.csv"));
        Assert.Equal("patient_id,site,dataset,y_true,y_prob", predictions[0]);
        Assert.Equal(Patients - 32, predictions.Length - 1);
        var table = File.ReadAllLines(Path.Combine(run, "benchmark", "table3.csv"));
        Assert.Equal(3, table.Length);
        Assert.Matches(@"^signal \*,0\.\d\d ± 0\.\d\d,""?\d\.\d\d \(\d\.\d\d-\d\.\d\d\)", table[1]);
        Assert.Contains("| signal * |", File.ReadAllText(Path.Combine(run, "benchmark", "table3.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_labels_never_reach_the_search_the_threshold_or_the_fit()
    {
        using var folder = new TempFolder();
        var (_, honest) = Run(folder.File("a"), folder.File("cache-a"), Fast, withNoise: false);
        var (_, flipped) = Run(folder.File("b"), folder.File("cache-b"), Fast, flipTestLabels: true, withNoise: false);

        var a = Encoder(honest, "signal");
        var b = Encoder(flipped, "signal");
        Assert.Equal(a.GetProperty("cv_auc").GetRawText(), b.GetProperty("cv_auc").GetRawText());
        Assert.Equal(a.GetProperty("config").GetRawText(), b.GetProperty("config").GetRawText());
        Assert.Equal(a.GetProperty("test").GetProperty("threshold").GetDouble(), b.GetProperty("test").GetProperty("threshold").GetDouble());
        Assert.Equal(
            File.ReadAllLines(Path.Combine(folder.File("a"), "benchmark", "signal", "test_predictions.csv")).Select(l => l.Split(',')[^1]),
            File.ReadAllLines(Path.Combine(folder.File("b"), "benchmark", "signal", "test_predictions.csv")).Select(l => l.Split(',')[^1]));
        double auc = a.GetProperty("test").GetProperty("auc").GetProperty("value").GetDouble();
        Assert.Equal(1 - auc, b.GetProperty("test").GetProperty("auc").GetProperty("value").GetDouble(), 9);
    }

    [Fact]
    public void Runs_are_deterministic_and_a_second_run_resumes_from_the_trial_store_without_new_trials()
    {
        using var folder = new TempFolder();
        var (first, one) = Run(folder.File("one"), folder.File("cache"), Fast, withNoise: false);
        var (_, other) = Run(folder.File("other"), folder.File("other-cache"), Fast, withNoise: false);
        var (again, resumed) = Run(folder.File("again"), folder.File("cache"), Fast, withNoise: false);

        Assert.Equal(StageOutcome.Completed, first);
        Assert.Equal(Numbers(one, "signal"), Numbers(other, "signal"));
        Assert.Equal(StageOutcome.Cached, again);
        Assert.Equal(0, Encoder(resumed, "signal").GetProperty("trials_run").GetInt32());
        Assert.Equal(Numbers(one, "signal"), Numbers(resumed, "signal"));

        var (_, extended) = Run(folder.File("more"), folder.File("cache"), Fast with { Trials = 8 }, withNoise: false);
        Assert.Equal((8, 2), (Encoder(extended, "signal").GetProperty("trials").GetInt32(), Encoder(extended, "signal").GetProperty("trials_run").GetInt32()));
    }

    [Fact]
    public void Combat_needs_an_unseen_site_policy_for_external_sites_and_runs_with_one()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<StageFailedException>(() => Run(folder.File("a"), folder.File("cache"), Fast with { Combat = true }, withNoise: false));
        Assert.Contains("combat_unseen_sites", error.Message, StringComparison.Ordinal);
        Assert.Contains("X", error.Message, StringComparison.Ordinal);

        var (outcome, report) = Run(folder.File("b"), folder.File("cache"),
            Fast with { Combat = true, CombatUnseenSites = Crlm.Core.Harmonisation.UnseenSitePolicy.PassThrough }, withNoise: false);
        Assert.Equal(StageOutcome.Completed, outcome);
        Assert.True(Encoder(report, "signal").GetProperty("cv_auc").GetProperty("mean").GetDouble() > 0.6);
    }
}
