using System.Globalization;
using System.Text.Json;
using Crlm.Core.Search;
using Xunit.Abstractions;

namespace Crlm.Core.Tests.Search;

/// <summary>
/// Our TPE against Optuna 3.1's TPESampler on the same objectives (Fixtures/search/optuna_tpe_reference.json,
/// made by tests/reference/optuna_tpe_reference.py). The generators differ, so only the mean regret
/// over 20 seeds after 50 trials is compared: ours must be of Optuna's order, not merely better than random.
/// </summary>
public class OptunaReferenceTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TpeOptimisationTests.Objectives), MemberType = typeof(TpeOptimisationTests))]
    public void Tpe_mean_regret_is_of_the_order_of_optunas(string name)
    {
        using JsonDocument reference = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "search", "optuna_tpe_reference.json")));
        JsonElement root = reference.RootElement;
        int trials = root.GetProperty("trials").GetInt32();
        int seeds = root.GetProperty("seeds").GetInt32();
        JsonElement expected = root.GetProperty("objectives").GetProperty(name);
        double optunaTpe = expected.GetProperty("tpe_mean_regret").GetDouble();
        double optunaRandom = expected.GetProperty("random_mean_regret").GetDouble();

        (SearchSpace space, Func<ParameterAssignment, double> score, double optimum) = TpeOptimisationTests.Objective(name);
        double MeanRegret(ISampler sampler) => Enumerable.Range(0, seeds)
            .Select(seed => optimum - SearchTestSupport.Run(space, sampler, 2000 + seed, trials, score).Best!.Score!.Value)
            .Average();
        double ours = MeanRegret(new TpeSampler());
        double ourRandom = MeanRegret(new RandomSampler());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: mean regret after {trials} trials over {seeds} seeds: ours TPE {ours:F4} / random {ourRandom:F4}; Optuna TPE {optunaTpe:F4} / random {optunaRandom:F4}"));

        Assert.True(ours <= (2 * optunaTpe) + 0.02, $"our TPE regret {ours} is far worse than Optuna's {optunaTpe}");
        Assert.InRange(ourRandom, optunaRandom / 2, optunaRandom * 2);
    }
}
