using Crlm.Core.Search;

namespace Crlm.Pipelines.Benchmark;

/// <summary>
/// The benchmark's search space: the study's (../shared/peers/README.md section 2, without the peer's solver
/// choice, since every penalty is fitted by L-BFGS here), with the spec's <c>space:</c> entries replacing the
/// default definition of the same name.
/// </summary>
public static class BenchmarkSpace
{
    public const string PcaComponents = "pca_components";
    public const string C = "C";
    public const string Penalty = "penalty";
    public const string L1Ratio = "l1_ratio";
    public const string ClassWeight = "class_weight";
    public const string MaxIter = "max_iter";

    /// <summary>The parameter names the model understands, in sampling order.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = [PcaComponents, C, Penalty, L1Ratio, ClassWeight, MaxIter];

    /// <summary>The choices a categorical parameter may offer (null for numeric parameters).</summary>
    public static IReadOnlyList<string>? AllowedChoices(string name) => name switch
    {
        Penalty => ["l1", "l2", "elasticnet"],
        ClassWeight => ["balanced", "none"],
        _ => null,
    };

    /// <summary>Whether the parameter takes whole numbers.</summary>
    public static bool IsInteger(string name) => name is PcaComponents or MaxIter;

    /// <summary>
    /// The space for data whose pca_components may go up to <paramref name="pcaCap"/> (min of the feature count,
    /// the smallest training fold and the spec's pca_max). An overriding pca_components range is cut to the cap.
    /// </summary>
    public static SearchSpace Build(int pcaCap, IReadOnlyList<ParameterDefinition> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (pcaCap < 2)
        {
            throw new SearchSpaceException($"pca_components can only be 1 here (cap {pcaCap}); the search needs a range of at least two values");
        }

        var defaults = new ParameterDefinition[]
        {
            new IntParameter(PcaComponents, 1, pcaCap),
            new FloatParameter(C, 1e-4, 1e2, Log: true),
            new CategoricalParameter(Penalty, ["l1", "l2", "elasticnet"]),
            new FloatParameter(L1Ratio, 0, 1) { When = new ActivationCondition(Penalty, "elasticnet") },
            new CategoricalParameter(ClassWeight, ["balanced", "none"]),
            new IntParameter(MaxIter, 100, 2000, Log: true),
        };
        var byName = overrides.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var merged = defaults.Select(d => byName.TryGetValue(d.Name, out var o) ? o : d).Select(p => p switch
        {
            IntParameter { Name: PcaComponents } pca when pca.High > pcaCap =>
                pca with { Low = Math.Min(pca.Low, pcaCap - 1), High = pcaCap },
            _ => p,
        });
        return SearchSpace.Create(merged);
    }
}
