using System.Globalization;
using Crlm.Core.Search;
using Xunit.Abstractions;

namespace Crlm.Core.Tests.Search;

/// <summary>
/// TPE must beat random search on objectives whose optimum it can model. Compared: the mean
/// regret (optimum minus best score) after 60 trials over 10 seeds.
/// </summary>
public class TpeOptimisationTests(ITestOutputHelper output)
{
    private const int Trials = 60;
    private const int Seeds = 10;

    public static TheoryData<string> Objectives => ["bowl", "mixed", "conditional"];

    [Theory]
    [MemberData(nameof(Objectives))]
    public void Tpe_beats_random_search_by_a_clear_margin(string name)
    {
        (SearchSpace space, Func<ParameterAssignment, double> score, double optimum) = Objective(name);
        double tpe = MeanRegret(space, new TpeSampler(), score, optimum);
        double random = MeanRegret(space, new RandomSampler(), score, optimum);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: mean regret over {Seeds} seeds after {Trials} trials: TPE {tpe:F4}, random {random:F4}, ratio {tpe / random:F2}"));

        Assert.True(tpe < 0.6 * random, $"TPE regret {tpe} is not clearly below random's {random}");
    }

    internal static (SearchSpace Space, Func<ParameterAssignment, double> Score, double Optimum) Objective(string name) => name switch
    {
        // A 2-D quadratic bowl with its minimum off-centre.
        "bowl" => (
            SearchSpace.Create(new FloatParameter("x", -5, 5), new FloatParameter("y", -5, 5)),
            a => -(Math.Pow(a.GetDouble("x") - 1.5, 2) + Math.Pow(a.GetDouble("y") + 2, 2)),
            0.0),

        // A categorical, a log-float and an int, each with its own best value.
        "mixed" => (
            SearchSpace.Create(
                new CategoricalParameter("kernel", ["a", "b", "c", "d"]),
                new FloatParameter("lr", 1e-5, 1, Log: true),
                new IntParameter("n", 1, 64)),
            a => (a.GetChoice("kernel") == "c" ? 0 : -1)
                - Math.Pow(Math.Log10(a.GetDouble("lr")) + 2, 2)
                - Math.Pow((a.GetInt("n") - 40) / 20.0, 2),
            0.0),

        // The FM benchmark's shape: the optimum needs elasticnet and the right l1_ratio.
        "conditional" => (
            SearchTestSupport.LogisticSpace(),
            a => -Math.Pow(Math.Log10(a.GetDouble("C")) - 0.5, 2) / 4
                - Math.Pow((a.GetInt("pca_components") - 12) / 32.0, 2)
                + a.GetChoice("penalty") switch
                {
                    "elasticnet" => 1 - (4 * Math.Pow(a.GetDouble("l1_ratio") - 0.3, 2)),
                    "l2" => a.GetChoice("solver") == "saga" ? 0.5 : 0.2,
                    _ => 0,
                },
            1.0),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static double MeanRegret(SearchSpace space, ISampler sampler, Func<ParameterAssignment, double> score, double optimum) =>
        Enumerable.Range(0, Seeds)
            .Select(seed => optimum - SearchTestSupport.Run(space, sampler, 1000 + seed, Trials, score).Best!.Score!.Value)
            .Average();
}
