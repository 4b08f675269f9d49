using Crlm.Core.Search;

namespace Crlm.Core.Tests.Search;

public class SamplerDeterminismTests
{
    private static double Score(ParameterAssignment a) =>
        -Math.Pow(Math.Log10(a.GetDouble("C")) - 0.5, 2) - Math.Abs(a.GetInt("pca_components") - 20) / 10.0
        + (a.Contains("l1_ratio") ? 1 - a.GetDouble("l1_ratio") : 0);

    [Fact]
    public void Same_seed_gives_the_same_trial_sequence_and_another_seed_does_not()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        string[] first = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new TpeSampler(), 42, 30, Score));
        string[] again = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new TpeSampler(), 42, 30, Score));
        string[] other = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new TpeSampler(), 43, 30, Score));

        Assert.Equal(first, again);
        Assert.NotEqual(first[0], other[0]);
        Assert.True(first.Zip(other).Count(p => p.First != p.Second) >= 29);
    }

    [Fact]
    public void Tpe_startup_trials_are_exactly_the_random_samplers_trials()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        string[] tpe = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new TpeSampler(), 7, 12, Score));
        string[] random = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new RandomSampler(), 7, 12, Score));

        Assert.Equal(random.Take(10), tpe.Take(10));
        Assert.NotEqual(random[10], tpe[10]);
    }

    [Fact]
    public void A_trial_depends_only_on_the_seed_its_number_and_the_trials_before_it()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        SearchResult full = SearchTestSupport.Run(space, new TpeSampler(), 9, 25, Score);
        var search = new HyperparameterSearch(new SearchSettings { Space = space, Sampler = new TpeSampler(), Seed = 9 }, new InMemoryTrialStore());

        for (int k = 0; k < 25; k++)
        {
            // Trials after k, or a different order of the history, must not matter.
            var before = full.Trials.Take(k).Reverse().Concat(full.Trials.Skip(k + 3)).ToList();
            Assert.Equal(full.Trials[k].Parameters, search.Suggest(k, before));
        }
    }

    [Fact]
    public void Batched_search_is_reproducible_whatever_the_parallelism()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        string[] Run(int parallelism) => SearchTestSupport.Sequence(new HyperparameterSearch(
                new SearchSettings { Space = space, Sampler = new TpeSampler(), Seed = 4, MaxTrials = 30, BatchSize = 4, MaxDegreeOfParallelism = parallelism },
                new InMemoryTrialStore())
            .Run(c => new TrialOutcome(Score(c.Parameters))));

        string[] sequential = Run(1);
        Assert.Equal(sequential, Run(4));
        Assert.Equal(sequential, Run(2));

        // The batch size is a setting of the search: past the random startup it changes suggestions.
        string[] unbatched = SearchTestSupport.Sequence(SearchTestSupport.Run(space, new TpeSampler(), 4, 30, Score));
        Assert.Equal(unbatched.Take(10), sequential.Take(10));
        Assert.NotEqual(unbatched.Skip(12), sequential.Skip(12));
    }

    [Fact]
    public void Suggest_batch_sees_only_the_history_before_the_batch()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        SearchResult warm = SearchTestSupport.Run(space, new RandomSampler(), 1, 12, Score);
        var search = new HyperparameterSearch(new SearchSettings { Space = space, Sampler = new TpeSampler(), Seed = 1, BatchSize = 4 }, new InMemoryTrialStore());

        IReadOnlyList<ParameterAssignment> batch = search.SuggestBatch(warm.Trials, 4);

        Assert.Equal(4, batch.Count);
        Assert.Equal(4, batch.Distinct().Count());
        Assert.Equal(new TpeSampler().Suggest(space, 1, 13, warm.Trials), batch[1]);
    }

    [Fact]
    public void Best_trial_is_the_first_to_reach_the_maximum()
    {
        var p = new ParameterAssignment([]);
        TrialRecord T(int n, double? s) => new(n, p, s is null ? TrialState.Failed : TrialState.Complete, s, [], TimeSpan.Zero);

        Assert.Equal(1, SearchResult.SelectBest([T(3, 0.9), T(0, 0.5), T(1, 0.9), T(2, null)])!.Number);
        Assert.Null(SearchResult.SelectBest([T(0, null)]));
    }
}
