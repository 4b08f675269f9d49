using System.Runtime.ExceptionServices;

namespace Crlm.Core.Search;

/// <summary>The settings of one search; every one that changes suggestions enters the <see cref="SearchKey"/>.</summary>
public sealed record SearchSettings
{
    public required SearchSpace Space { get; init; }

    public required ISampler Sampler { get; init; }

    public long Seed { get; init; }

    /// <summary>Total trials, those resumed from the store included.</summary>
    public int MaxTrials { get; init; } = 50;

    /// <summary>Wall-clock budget of this run (not counting resumed trials), checked before each batch; null for none.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// Trials proposed from the same history. Trial k sees the trials before the start of its
    /// batch, floor(k / BatchSize) * BatchSize, whatever the machine; so results depend on this
    /// setting (it is in the key) and never on the core count. 1 is plain sequential TPE.
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Trials of a batch evaluated at once; 0 means BatchSize. Does not change results.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// False (Optuna's default): an exception from the objective is recorded as a failed trial and
    /// then rethrown. True: recorded and the search goes on.
    /// </summary>
    public bool ContinueOnObjectiveError { get; init; }
}

public enum SearchStopReason
{
    /// <summary>All <see cref="SearchSettings.MaxTrials"/> trials are recorded.</summary>
    TrialBudget,

    /// <summary><see cref="SearchSettings.TimeBudget"/> ran out.</summary>
    TimeBudget,

    /// <summary>The cancellation token fired.</summary>
    Cancelled,
}

/// <summary>The recorded trials (resumed ones included), the best of them and why the search stopped.</summary>
public sealed record SearchResult(IReadOnlyList<TrialRecord> Trials, TrialRecord? Best, SearchStopReason StopReason)
{
    /// <summary>
    /// The completed trial with the highest score; on a tie the lowest trial number wins (the first
    /// to reach the maximum), so the choice does not depend on evaluation order.
    /// </summary>
    public static TrialRecord? SelectBest(IEnumerable<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        TrialRecord? best = null;
        foreach (TrialRecord t in trials.Where(t => t.IsComplete).OrderBy(t => t.Number))
        {
            if (best is null || t.Score > best.Score)
            {
                best = t;
            }
        }

        return best;
    }
}

/// <summary>
/// Runs a hyperparameter search: asks the sampler for parameters, evaluates the objective
/// (batches in parallel), records every trial in the store as soon as it and all earlier trials
/// are done, and stops on the trial budget, the time budget or cancellation, returning what it
/// completed. Knows nothing about what is being tuned.
/// </summary>
public sealed class HyperparameterSearch
{
    private readonly SearchSettings _settings;
    private readonly ITrialStore _store;
    private readonly TimeProvider _clock;

    public HyperparameterSearch(SearchSettings settings, ITrialStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings.Space);
        ArgumentNullException.ThrowIfNull(settings.Sampler);
        if (settings.MaxTrials < 0 || settings.BatchSize < 1 || settings.MaxDegreeOfParallelism < 0
            || settings.TimeBudget is { Ticks: < 0 })
        {
            throw new ArgumentException("A search needs MaxTrials >= 0, BatchSize >= 1, MaxDegreeOfParallelism >= 0 and a non-negative time budget.", nameof(settings));
        }

        _settings = settings;
        _store = store;
        _clock = clock ?? TimeProvider.System;
        Key = new SearchKey(settings.Space.CanonicalText, settings.Seed, settings.Sampler.Description, settings.BatchSize);
    }

    public SearchKey Key { get; }

    /// <summary>
    /// The parameters of trial <paramref name="trialNumber"/>: the sampler sees only the trials of
    /// <paramref name="history"/> numbered before the start of the trial's batch.
    /// </summary>
    public ParameterAssignment Suggest(int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialNumber);
        ArgumentNullException.ThrowIfNull(history);
        int visibleBefore = trialNumber / _settings.BatchSize * _settings.BatchSize;
        List<TrialRecord> visible = history.Where(t => t.Number < visibleBefore).OrderBy(t => t.Number).ToList();
        return _settings.Sampler.Suggest(_settings.Space, _settings.Seed, trialNumber, visible);
    }

    /// <summary>
    /// Ask-style batch: the parameters of the next <paramref name="count"/> trials after
    /// <paramref name="history"/> (numbers history.Count, ...), for callers that evaluate
    /// themselves. Same values as <see cref="Run"/> would use for those trials.
    /// </summary>
    public IReadOnlyList<ParameterAssignment> SuggestBatch(IReadOnlyList<TrialRecord> history, int count)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerable.Range(history.Count, count).Select(k => Suggest(k, history)).ToList();
    }

    public SearchResult Run(Func<TrialContext, TrialOutcome> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var history = _store.Open(Key, _settings.Space).ToList();
        long start = _clock.GetTimestamp();
        while (true)
        {
            SearchStopReason? stop =
                history.Count >= _settings.MaxTrials ? SearchStopReason.TrialBudget
                : cancellationToken.IsCancellationRequested ? SearchStopReason.Cancelled
                : _settings.TimeBudget is TimeSpan budget && _clock.GetElapsedTime(start) >= budget ? SearchStopReason.TimeBudget
                : null;
            if (stop is SearchStopReason reason)
            {
                return new SearchResult(history, SearchResult.SelectBest(history), reason);
            }

            // A batch runs up to the next multiple of BatchSize, so a resumed search realigns with an uninterrupted one.
            int first = history.Count;
            int end = Math.Min(_settings.MaxTrials, ((first / _settings.BatchSize) + 1) * _settings.BatchSize);
            IReadOnlyList<ParameterAssignment> batch = SuggestBatch(history, end - first);
            if (!RunBatch(first, batch, objective, history, cancellationToken))
            {
                return new SearchResult(history, SearchResult.SelectBest(history), SearchStopReason.Cancelled);
            }
        }
    }

    /// <summary>Evaluates one batch; false if cancellation cut it short (completed trials before the cut are kept).</summary>
    private bool RunBatch(int first, IReadOnlyList<ParameterAssignment> batch, Func<TrialContext, TrialOutcome> objective, List<TrialRecord> history, CancellationToken token)
    {
        var results = new Evaluation?[batch.Count];
        int nextToRecord = 0;
        var gate = new object();

        void Evaluate(int j)
        {
            Evaluation result = token.IsCancellationRequested
                ? Evaluation.NotRun
                : EvaluateOne(first + j, batch[j], objective, token);
            lock (gate)
            {
                results[j] = result;

                // Record in trial order as soon as the prefix is done; a trial after a cancelled one is dropped, keeping numbers contiguous.
                while (nextToRecord < batch.Count && results[nextToRecord] is { Record: { } record })
                {
                    _store.Append(record);
                    history.Add(record);
                    nextToRecord++;
                }
            }
        }

        int parallelism = _settings.MaxDegreeOfParallelism == 0 ? _settings.BatchSize : _settings.MaxDegreeOfParallelism;
        if (batch.Count == 1 || parallelism == 1)
        {
            for (int j = 0; j < batch.Count; j++)
            {
                Evaluate(j);
            }
        }
        else
        {
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Evaluate);
        }

        if (!_settings.ContinueOnObjectiveError && results.FirstOrDefault(r => r?.Exception is not null) is { } failed)
        {
            ExceptionDispatchInfo.Capture(failed.Exception!).Throw();
        }

        return nextToRecord == batch.Count;
    }

    private Evaluation EvaluateOne(int number, ParameterAssignment parameters, Func<TrialContext, TrialOutcome> objective, CancellationToken token)
    {
        long started = _clock.GetTimestamp();
        try
        {
            TrialOutcome outcome = objective(new TrialContext(number, parameters, token))
                ?? throw new InvalidOperationException("The objective returned no outcome.");
            TimeSpan duration = _clock.GetElapsedTime(started);
            IReadOnlyList<double> folds = outcome.FoldScores?.ToArray() ?? [];
            return double.IsFinite(outcome.Score)
                ? new Evaluation(new TrialRecord(number, parameters, TrialState.Complete, outcome.Score, folds, duration), null)
                : new Evaluation(new TrialRecord(number, parameters, TrialState.Failed, null, folds, duration, "The objective returned a non-finite score."), null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Evaluation.NotRun;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An objective that runs its folds in parallel wraps a fold's error; the record names the fold's own.
            var cause = e is AggregateException { InnerExceptions.Count: 1 } wrapped ? wrapped.InnerExceptions[0] : e;
            var record = new TrialRecord(number, parameters, TrialState.Failed, null, [], _clock.GetElapsedTime(started), cause.GetType().Name + ": " + cause.Message);
            return new Evaluation(record, e);
        }
    }

    /// <summary>A trial's record (null if it never ran or was cancelled) and the exception it threw, if any.</summary>
    private sealed record Evaluation(TrialRecord? Record, Exception? Exception)
    {
        public static readonly Evaluation NotRun = new(null, null);
    }
}
