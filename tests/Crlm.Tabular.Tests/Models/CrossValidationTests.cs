using System.Text.Json;
using Crlm.Tabular.Models;
using Microsoft.ML;
using Xunit.Abstractions;

namespace Crlm.Tabular.Tests.Models;

public class CrossValidationTests(ITestOutputHelper output)
{
    private static readonly MLContext Ml = new(0);

    private static BenchmarkModelConfig Config(JsonElement p) => BenchmarkModelConfig.FromPeer(
        p.GetProperty("pca_components").GetInt32(),
        p.GetProperty("C").GetDouble(),
        p.GetProperty("penalty").GetString()!,
        p.GetProperty("solver").GetString()!,
        p.TryGetProperty("l1_ratio", out var r) ? r.GetDouble() : null,
        p.GetProperty("class_weight").GetString()!,
        p.GetProperty("max_iter").GetInt32());

    [Fact]
    public void Mann_Whitney_AUC_counts_ties_as_half()
    {
        Assert.Equal(0.875, BenchmarkCrossValidator.MannWhitneyAuc([false, true, false, true], [0.1, 0.5, 0.5, 0.9]));
        Assert.Equal(1.0, BenchmarkCrossValidator.MannWhitneyAuc([false, true], [0.1, 0.2]));
        Assert.Null(BenchmarkCrossValidator.MannWhitneyAuc([true, true], [0.1, 0.2]));
    }

    [Fact]
    public void Folds_from_PatientSplitter_keep_patients_together_and_stratify()
    {
        var rows = ModelFixtures.ReadCsv("fm_train_grouped.csv");
        var folds = BenchmarkCrossValidator.AssignFolds(rows, 5, 0);
        foreach (var g in rows.Select((r, i) => (r.PatientId, Fold: folds[i])).GroupBy(x => x.PatientId))
        {
            Assert.Single(g.Select(x => x.Fold).Distinct());
        }

        Assert.Equal(5, folds.Distinct().Count());
    }

    /// <summary>
    /// Same folds as the peer (its --folds-out), same configs: fold AUCs and the test AUC agree within
    /// SMOTE's sampling noise (our draws come from SplitMix64, the peer's from numpy).
    /// </summary>
    [Fact]
    public void Cross_validated_and_test_AUCs_agree_with_the_peer_within_sampling_noise()
    {
        var test = ModelFixtures.ReadCsv("fm_test.csv");
        var testFeatures = ModelFixtures.FlatFeatures(test);
        bool[] testLabels = [.. test.Select(r => r.Label)];
        var cache = new Dictionary<string, List<ModelRow>>();
        double worstCv = 0;
        double worstTest = 0;
        foreach (var run in ModelFixtures.PeerRuns.GetProperty("runs").EnumerateArray())
        {
            string file = run.GetProperty("train").GetString()!;
            if (!cache.TryGetValue(file, out var rows))
            {
                rows = ModelFixtures.ReadCsv(file);
                cache[file] = rows;
            }

            var config = Config(run.GetProperty("params"));
            int[] folds = [.. run.GetProperty("fold_of_row").EnumerateArray().Select(f => f.GetInt32())];
            var cv = new BenchmarkCrossValidator(Ml, rows).Evaluate(folds, config, 0);
            var model = new BenchmarkModelTrainer(Ml).Fit(ModelFixtures.FlatFeatures(rows), rows.Count, rows[0].Features.Length, [.. rows.Select(r => r.Label)], config, 0);
            double testAuc = BenchmarkCrossValidator.MannWhitneyAuc(testLabels, model.PredictProbabilities(testFeatures))!.Value;
            double peerCv = run.GetProperty("cv_auc_mean").GetDouble();
            double peerTest = run.GetProperty("test_auc").GetDouble();
            output.WriteLine($"{file} {run.GetProperty("config").GetString()}: CV mean AUC ours {cv.MeanAuc:F4} peer {peerCv:F4}; test AUC ours {testAuc:F4} peer {peerTest:F4}");
            worstCv = Math.Max(worstCv, Math.Abs(cv.MeanAuc - peerCv));
            worstTest = Math.Max(worstTest, Math.Abs(testAuc - peerTest));
        }

        output.WriteLine($"largest differences: CV {worstCv:F4}, test {worstTest:F4}");
        Assert.True(worstCv < 0.03, $"CV AUC differs by {worstCv}");
        Assert.True(worstTest < 0.03, $"test AUC differs by {worstTest}");
    }
}
