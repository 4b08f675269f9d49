using Crlm.Core.Search;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Search;

public class ResumeAndBudgetTests
{
    private static readonly SearchSpace Space = SearchTestSupport.LogisticSpace();

    private static TrialOutcome Evaluate(TrialContext c)
    {
        double s = -Math.Pow(Math.Log10(c.Parameters.GetDouble("C")), 2) + (c.Parameters.Contains("solver") ? 0.3 : 0);
        return new TrialOutcome(s, [s - 0.1, s + 0.1]);
    }

    private static SearchSettings Settings(int trials, int batch = 1) =>
        new() { Space = Space, Sampler = new TpeSampler(), Seed = 77, MaxTrials = trials, BatchSize = batch };

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void An_interrupted_search_resumes_to_the_same_history_as_an_uninterrupted_one(int batch)
    {
        using var folder = new TempFolder();
        SearchResult uninterrupted = new HyperparameterSearch(Settings(15, batch), new InMemoryTrialStore()).Run(Evaluate);

        // "Crash" after 7 trials are on disk: the 8th evaluation never returns to the search.
        string path = folder.File("trials.jsonl");
        Assert.Throws<InvalidOperationException>(() =>
            new HyperparameterSearch(Settings(15, batch) with { MaxDegreeOfParallelism = 1 }, new JsonLinesTrialStore(path))
                .Run(c => c.Number < 7 ? Evaluate(c) : throw new InvalidOperationException("power cut")));
        RemoveLastLine(path); // the failed 8th trial was recorded; a real crash would not have written it
        File.AppendAllText(path, "{\"number\":7,\"sta"); // and a torn write is dropped on resume
        Assert.Equal(7, new JsonLinesTrialStore(path).Open(new HyperparameterSearch(Settings(15, batch), new InMemoryTrialStore()).Key, Space).Count);

        SearchResult resumed = new HyperparameterSearch(Settings(15, batch), new JsonLinesTrialStore(path)).Run(Evaluate);

        Assert.Equal(SearchTestSupport.Sequence(uninterrupted), SearchTestSupport.Sequence(resumed));
        Assert.Equal(uninterrupted.Trials.Select(t => t.Score), resumed.Trials.Select(t => t.Score));
        Assert.Equal(uninterrupted.Trials[3].FoldScores, resumed.Trials[3].FoldScores);
        Assert.Equal(Enumerable.Range(0, 15), resumed.Trials.Select(t => t.Number));
        Assert.Equal(uninterrupted.Best!.Number, resumed.Best!.Number);
        Assert.Equal(16, File.ReadAllLines(path).Length); // header + 15 trials
    }

    [Fact]
    public void A_changed_space_does_not_resume_a_stale_history()
    {
        using var folder = new TempFolder();
        string path = folder.File("trials.jsonl");
        new HyperparameterSearch(Settings(5), new JsonLinesTrialStore(path)).Run(Evaluate);
        SearchSettings changed = Settings(5) with
        {
            Space = SearchSpace.Create(new FloatParameter("C", 1e-3, 1e2, Log: true)),
        };

        var e = Assert.Throws<TrialStoreMismatchException>(() =>
            new HyperparameterSearch(changed, new JsonLinesTrialStore(path)).Run(c => new TrialOutcome(0)));
        Assert.Contains("holds trials of a different search", e.Message, StringComparison.Ordinal);

        SearchResult fresh = new HyperparameterSearch(changed, new JsonLinesTrialStore(path, StoreMismatchPolicy.StartFresh)).Run(c => new TrialOutcome(1));
        Assert.Equal(5, fresh.Trials.Count);
        Assert.Equal(6, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void The_time_budget_stops_between_trials_and_keeps_what_was_done()
    {
        var clock = new ManualClock();
        var search = new HyperparameterSearch(Settings(50) with { TimeBudget = TimeSpan.FromSeconds(10) }, new InMemoryTrialStore(), clock);

        SearchResult result = search.Run(c =>
        {
            clock.Advance(TimeSpan.FromSeconds(3));
            return Evaluate(c);
        });

        Assert.Equal(SearchStopReason.TimeBudget, result.StopReason);
        Assert.Equal(4, result.Trials.Count); // started at 0, 3, 6 and 9 s
        Assert.All(result.Trials, t => Assert.Equal(TimeSpan.FromSeconds(3), t.Duration));
        Assert.NotNull(result.Best);
    }

    [Fact]
    public void Cancellation_stops_the_search_and_keeps_completed_trials()
    {
        using var cts = new CancellationTokenSource();
        var store = new InMemoryTrialStore();

        SearchResult result = new HyperparameterSearch(Settings(50), store).Run(
            c =>
            {
                if (c.Number == 5)
                {
                    cts.Cancel();
                    c.CancellationToken.ThrowIfCancellationRequested();
                }

                return Evaluate(c);
            },
            cts.Token);

        Assert.Equal(SearchStopReason.Cancelled, result.StopReason);
        Assert.Equal(5, result.Trials.Count);
        Assert.Equal(5, store.Trials.Count);
    }

    [Fact]
    public void Failed_trials_are_recorded_and_ignored_by_the_sampler_when_errors_are_tolerated()
    {
        SearchResult result = new HyperparameterSearch(Settings(20) with { ContinueOnObjectiveError = true }, new InMemoryTrialStore())
            .Run(c => c.Number % 3 == 0 ? throw new ArithmeticException("diverged") : c.Number % 3 == 1 ? new TrialOutcome(double.NaN) : Evaluate(c));

        Assert.Equal(20, result.Trials.Count);
        Assert.Equal(14, result.Trials.Count(t => t.State == TrialState.Failed));
        Assert.Contains("diverged", result.Trials[0].Error, StringComparison.Ordinal);
        Assert.Equal(TrialState.Complete, result.Best!.State);
    }

    private static void RemoveLastLine(string path)
    {
        string[] lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines[..^1]);
    }
}
