using Crlm.Core.Search;

namespace Crlm.Core.Tests.Search;

/// <summary>Spaces, objectives and helpers shared by the search tests.</summary>
internal static class SearchTestSupport
{
    /// <summary>The FM benchmark's shape: PCA, C, penalty with two conditional children.</summary>
    public static SearchSpace LogisticSpace() => SearchSpace.Create(
        new IntParameter("pca_components", 1, 64),
        new FloatParameter("C", 1e-4, 1e2, Log: true),
        new CategoricalParameter("penalty", ["l1", "l2", "elasticnet"]),
        new FloatParameter("l1_ratio", 0, 1) { When = new ActivationCondition("penalty", "elasticnet") },
        new CategoricalParameter("solver", ["lbfgs", "saga"]) { When = new ActivationCondition("penalty", "l2") });

    public static SearchResult Run(SearchSpace space, ISampler sampler, long seed, int trials, Func<ParameterAssignment, double> score, int batchSize = 1, ITrialStore? store = null) =>
        new HyperparameterSearch(
            new SearchSettings { Space = space, Sampler = sampler, Seed = seed, MaxTrials = trials, BatchSize = batchSize },
            store ?? new InMemoryTrialStore())
        .Run(c => new TrialOutcome(score(c.Parameters)));

    public static string[] Sequence(SearchResult result) => result.Trials.Select(t => t.Parameters.ToString()).ToArray();
}

/// <summary>A clock that moves only when told, for budget tests.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
