using System.Text.Json;
using Crlm.Tabular.Models;
using Microsoft.ML;
using Xunit.Abstractions;

namespace Crlm.Tabular.Tests.Models;

public class LogisticMappingTests(ITestOutputHelper output)
{
    private static readonly MLContext Ml = new(0);

    /// <summary>PCA scores of the fixture's resampled rows and scaled test rows, from our PCA (checked against sklearn above).</summary>
    private static (float[] Train, bool[] Labels, int N, double[][] Test, int K) Scores(string xKey, string meanKey, string compKey, string yKey)
    {
        var c = ModelFixtures.Components;
        var x = ModelFixtures.Flat(c.GetProperty(xKey), out int n, out int d);
        var mean = ModelFixtures.Doubles(c.GetProperty(meanKey));
        var comps = ModelFixtures.Flat(c.GetProperty(compKey), out int k, out _);
        var pca = new PrincipalComponents(mean, comps, k, new double[k], new double[k]);
        var train = new float[n * k];
        var s = new double[k];
        for (int i = 0; i < n; i++)
        {
            pca.Project(x.AsSpan(i * d, d), s);
            for (int j = 0; j < k; j++)
            {
                train[(i * k) + j] = (float)s[j];
            }
        }

        var testX = ModelFixtures.Flat(c.GetProperty("test_x_scaled"), out int nt, out _);
        var test = new double[nt][];
        for (int i = 0; i < nt; i++)
        {
            test[i] = new double[k];
            pca.Project(testX.AsSpan(i * d, d), test[i]);
        }

        bool[] labels = [.. c.GetProperty(yKey).EnumerateArray().Select(v => v.GetInt32() == 1)];
        return (train, labels, n, test, k);
    }

    private static JsonElement Case(string name) =>
        ModelFixtures.Components.GetProperty("lr_cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    private (double Coef, double Prob) Compare(JsonElement expected, BenchmarkModelConfig config, bool balanced = false, bool resampled = true, bool arraySolver = false)
    {
        var (train, labels, n, test, k) = resampled
            ? Scores("resampled_x", "pca_mean", "pca_components", "resampled_y")
            : ScoresUnresampled();
        float[] weights = balanced ? LogisticFit.BalancedWeights(labels) : [];
        var fit = LogisticFit.Fit(Ml, train, n, k, labels, weights, config);
        if (arraySolver)
        {
            // The cross-validation's solver; its double coefficients rounded to float only to reuse LogisticModel.Probability.
            var (w, b) = ArrayLogisticRegression.Fit(train, n, k, labels, weights, config);
            fit = fit with { Weights = [.. w.Select(v => (float)v)], Bias = (float)b };
        }

        var coef = ModelFixtures.Doubles(expected.GetProperty("coef"));
        double coefErr = Math.Abs(fit.Bias - expected.GetProperty("intercept").GetDouble());
        for (int j = 0; j < k; j++)
        {
            coefErr = Math.Max(coefErr, Math.Abs(fit.Weights[j] - coef[j]));
        }

        var prob = ModelFixtures.Doubles(expected.GetProperty("test_prob"));
        double probErr = 0;
        for (int i = 0; i < test.Length; i++)
        {
            probErr = Math.Max(probErr, Math.Abs(fit.Probability(test[i]) - prob[i]));
        }

        output.WriteLine($"{expected.GetProperty("name").GetString()}{(arraySolver ? " (array solver)" : "")}: max |coef diff| {coefErr:E2}, max |prob diff| {probErr:E2}");
        return (coefErr, probErr);
    }

    private static (float[], bool[], int, double[][], int) ScoresUnresampled()
    {
        // The unresampled case: scaled rows = resampled rows minus SMOTE's (the originals come first).
        var c = ModelFixtures.Components;
        int n = c.GetProperty("n_train").GetInt32();
        var full = Scores("resampled_x", "unresampled_pca_mean", "unresampled_pca_components", "resampled_y");
        return (full.Train.AsSpan(0, n * full.K).ToArray(), full.Labels.AsSpan(0, n).ToArray(), n, full.Test, full.K);
    }

    [Theory]
    [InlineData("l2_lbfgs_C0.3", 0.3)]
    [InlineData("l2_lbfgs_C0.01", 0.01)]
    [InlineData("l2_lbfgs_C10", 10.0)]
    public void L2_coefficients_and_probabilities_match_sklearn_lbfgs(string name, double c)
    {
        var (coef, prob) = Compare(Case(name), new BenchmarkModelConfig(5, c, Penalty.L2, null, false, 1000));
        Assert.True(coef < 1e-4, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-5, $"probabilities differ by {prob}");
    }

    [Fact]
    public void Balanced_class_weights_enter_as_example_weights_and_match_sklearn()
    {
        var (coef, prob) = Compare(ModelFixtures.Components.GetProperty("weighted_case"), new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, true, 1000), balanced: true, resampled: false);
        Assert.True(coef < 1e-4, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-5, $"probabilities differ by {prob}");
    }

    [Fact]
    public void L1_matches_sklearn_saga_within_solver_tolerance_and_zeroes_the_same_coefficients()
    {
        var expected = Case("l1_saga_C0.05");
        var (coef, prob) = Compare(expected, new BenchmarkModelConfig(5, 0.05, Penalty.L1, null, false, 1000));
        Assert.True(coef < 1e-3, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-3, $"probabilities differ by {prob}");
    }

    [Fact]
    public void Elastic_net_matches_sklearn_saga_within_solver_tolerance()
    {
        var (coef, prob) = Compare(Case("elasticnet_saga_C0.3_r0.4"), new BenchmarkModelConfig(5, 0.3, Penalty.ElasticNet, 0.4, false, 1000));
        Assert.True(coef < 1e-3, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-3, $"probabilities differ by {prob}");
    }

    [Fact]
    public void Liblinear_is_fitted_as_lbfgs_which_differs_from_liblinear_only_through_its_intercept_penalty()
    {
        var (coef, prob) = Compare(Case("l2_liblinear_C0.3"), new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, false, 1000));
        // liblinear shrinks the intercept (-0.080 vs -0.105 for lbfgs here): a visible but small change.
        Assert.InRange(coef, 1e-3, 0.05);
        Assert.True(prob < 0.01, $"probabilities differ by {prob}");
    }

    [Fact]
    public void The_mapping_divides_by_C_and_splits_by_l1_ratio()
    {
        Assert.Equal(new LbfgsRegularization(0, 2), LbfgsRegularization.From(new BenchmarkModelConfig(1, 0.5, Penalty.L2, null, false, 1), 10, 10));
        Assert.Equal(new LbfgsRegularization(2, 0), LbfgsRegularization.From(new BenchmarkModelConfig(1, 0.5, Penalty.L1, null, false, 1), 10, 10));
        var en = LbfgsRegularization.From(new BenchmarkModelConfig(1, 0.5, Penalty.ElasticNet, 0.25, false, 1), 10, 10);
        Assert.Equal(0.5f, en.L1Weight, 6);
        Assert.Equal(1.5f, en.L2Weight, 6);
        // ML.NET scales L1 by 1/N but the loss by 1/W: weights summing to W != N rescale L1 by N/W.
        Assert.Equal(4f, LbfgsRegularization.From(new BenchmarkModelConfig(1, 0.5, Penalty.L1, null, false, 1), 10, 5).L1Weight, 6);
    }

    /// <summary>
    /// The cross-validation's array solver on the same inputs: at least as close to scikit-learn (run with tol 1e-10)
    /// as ML.NET's trainer is, for every penalty.
    /// </summary>
    [Theory]
    [InlineData("l2_lbfgs_C0.3", 0.3, Penalty.L2, null)]
    [InlineData("l2_lbfgs_C0.01", 0.01, Penalty.L2, null)]
    [InlineData("l2_lbfgs_C10", 10.0, Penalty.L2, null)]
    [InlineData("l1_saga_C0.05", 0.05, Penalty.L1, null)]
    [InlineData("elasticnet_saga_C0.3_r0.4", 0.3, Penalty.ElasticNet, 0.4)]
    public void The_array_solver_matches_sklearn(string name, double c, Penalty penalty, double? l1Ratio)
    {
        var (coef, prob) = Compare(Case(name), new BenchmarkModelConfig(5, c, penalty, l1Ratio, false, 1000), arraySolver: true);
        Assert.True(coef < 2e-5, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-5, $"probabilities differ by {prob}");
    }

    [Fact]
    public void The_array_solver_applies_balanced_example_weights_as_sklearn()
    {
        var (coef, prob) = Compare(ModelFixtures.Components.GetProperty("weighted_case"), new BenchmarkModelConfig(5, 0.3, Penalty.L2, null, true, 1000), balanced: true, resampled: false, arraySolver: true);
        Assert.True(coef < 2e-5, $"coefficients differ by {coef}");
        Assert.True(prob < 1e-5, $"probabilities differ by {prob}");
    }
}
