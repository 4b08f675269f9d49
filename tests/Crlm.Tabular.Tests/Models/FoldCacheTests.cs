using Crlm.Tabular.Models;
using Microsoft.ML;
using Xunit.Abstractions;

namespace Crlm.Tabular.Tests.Models;

/// <summary>
/// The cross-validation's fold cache (<see cref="CrossValidationOptions.ReuseFoldPreparation"/>): one validator
/// reused across configurations, seeds, fold assignments and concurrent trials gives what refitting every fold
/// from scratch (<see cref="BenchmarkModelTrainer.FitFold"/>) gives.
/// </summary>
public class FoldCacheTests(ITestOutputHelper output)
{
    /// <summary>The two paths compute the same numbers in the same order, so they agree to the bit; the bound is the brief's.</summary>
    private const double ProbabilityTolerance = 1e-9;

    private static readonly MLContext Ml = new(0);

    private static readonly BenchmarkModelConfig[] Configs =
    [
        BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "lbfgs", null, "none", 500),
        BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "lbfgs", null, "balanced", 500),
        BenchmarkModelConfig.FromPeer(8, 0.5, "l1", "saga", null, "none", 1000),
        BenchmarkModelConfig.FromPeer(5, 0.3, "elasticnet", "saga", 0.4, "balanced", 500),
        BenchmarkModelConfig.FromPeer(19, 0.6107035569915314, "l2", "lbfgs", null, "balanced", 1888),
        BenchmarkModelConfig.FromPeer(1, 20, "l2", "liblinear", null, "none", 2000),
    ];

    [Theory]
    [InlineData("fm_train.csv")]
    [InlineData("fm_train_grouped.csv")]
    public void A_reused_validator_gives_the_uncached_folds_results_for_every_configuration(string file)
    {
        var rows = ModelFixtures.ReadCsv(file);
        AssertCachedMatchesUncached(rows, Configs);
    }

    [Fact]
    public void Wide_rows_and_components_past_the_eigen_routes_floor_match_too()
    {
        // 60 rows × 90 features: n < d in every fold (the Gram route), and after SMOTE the centred rows have rank
        // ≤ 53, so 60 components reach the null directions the eigen route drops and the SVD fallback serves.
        var rows = Synthetic(60, 90, 11);
        AssertCachedMatchesUncached(rows,
        [
            BenchmarkModelConfig.FromPeer(3, 0.3, "l2", "lbfgs", null, "none", 500),
            BenchmarkModelConfig.FromPeer(40, 0.05, "l1", "saga", null, "balanced", 500),
            BenchmarkModelConfig.FromPeer(60, 0.1, "l2", "lbfgs", null, "none", 500),
            BenchmarkModelConfig.FromPeer(12, 1, "elasticnet", "saga", 0.5, "none", 500),
        ]);
    }

    [Fact]
    public void Changing_the_seed_or_the_folds_rebuilds_the_cache()
    {
        var rows = ModelFixtures.ReadCsv("fm_train.csv");
        var config = Configs[2];
        var tenFolds = BenchmarkCrossValidator.AssignFolds(rows, 10, 0);
        var fiveFolds = BenchmarkCrossValidator.AssignFolds(rows, 5, 1);
        var cached = new BenchmarkCrossValidator(Ml, rows);
        foreach (var (folds, seed) in new[] { (tenFolds, 3L), (tenFolds, 4L), (fiveFolds, 4L), (tenFolds, 3L) })
        {
            var fresh = new BenchmarkCrossValidator(Ml, rows, new CrossValidationOptions { ReuseFoldPreparation = false }).Evaluate(folds, config, seed);
            var result = cached.Evaluate(folds, config, seed);
            Assert.Equal(fresh.FoldAucs, result.FoldAucs);
            Assert.Equal(fresh.OutOfFoldProbabilities, result.OutOfFoldProbabilities);
        }
    }

    [Fact]
    public void Concurrent_trials_on_one_validator_give_the_sequential_results()
    {
        var rows = ModelFixtures.ReadCsv("fm_train_grouped.csv");
        var folds = BenchmarkCrossValidator.AssignFolds(rows, 10, 0);
        var sequential = Configs.Select(c => new BenchmarkCrossValidator(Ml, rows, new CrossValidationOptions { MaxDegreeOfParallelism = 1 }).Evaluate(folds, c, 5)).ToArray();
        var shared = new BenchmarkCrossValidator(Ml, rows, new CrossValidationOptions { MaxDegreeOfParallelism = 3 });
        var concurrent = new CrossValidationResult[Configs.Length];
        Parallel.For(0, Configs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = shared.Evaluate(folds, Configs[i], 5));
        for (int i = 0; i < Configs.Length; i++)
        {
            Assert.Equal(sequential[i].FoldAucs, concurrent[i].FoldAucs);
            Assert.Equal(sequential[i].OutOfFoldProbabilities, concurrent[i].OutOfFoldProbabilities);
        }
    }

    private void AssertCachedMatchesUncached(List<ModelRow> rows, IReadOnlyList<BenchmarkModelConfig> configs)
    {
        var folds = BenchmarkCrossValidator.AssignFolds(rows, 10, 0);
        var cached = new BenchmarkCrossValidator(Ml, rows, new CrossValidationOptions { MaxDegreeOfParallelism = 2 });
        var uncached = new BenchmarkCrossValidator(Ml, rows, new CrossValidationOptions { MaxDegreeOfParallelism = 2, ReuseFoldPreparation = false });
        foreach (var config in configs)
        {
            var expected = uncached.Evaluate(folds, config, 7);
            var actual = cached.Evaluate(folds, config, 7);
            double worst = expected.OutOfFoldProbabilities.Zip(actual.OutOfFoldProbabilities, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"{config}: max |Δ OOF probability| {worst:E2}, mean AUC {actual.MeanAuc:F6}");
            Assert.Equal(expected.FoldAucs, actual.FoldAucs);
            Assert.True(worst <= ProbabilityTolerance, $"OOF probabilities differ by {worst}");
        }
    }

    /// <summary>Seeded rows, one patient each, a third positive, the label shifted along a few features.</summary>
    internal static List<ModelRow> Synthetic(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var shift = Enumerable.Range(0, dimension).Select(_ => random.NextDouble() < 0.2 ? (random.NextDouble() * 2) - 1 : 0).ToArray();
        var rows = new List<ModelRow>();
        for (int i = 0; i < count; i++)
        {
            bool label = i % 3 == 0;
            var features = new float[dimension];
            for (int j = 0; j < dimension; j++)
            {
                features[j] = (float)(Gaussian(random) + (label ? shift[j] : 0));
            }

            rows.Add(new ModelRow(features, label, $"p{i:D3}"));
        }

        return rows;
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
