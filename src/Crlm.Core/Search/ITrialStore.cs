namespace Crlm.Core.Search;

/// <summary>
/// Where a search records its trials, one at a time, in trial-number order, so that an
/// interrupted search can resume from what was recorded.
/// </summary>
public interface ITrialStore
{
    /// <summary>
    /// Binds the store to <paramref name="key"/> and returns the trials already recorded under it
    /// (trial numbers 0..n-1). A store holding another key's trials applies its
    /// <see cref="StoreMismatchPolicy"/>.
    /// </summary>
    IReadOnlyList<TrialRecord> Open(SearchKey key, SearchSpace space);

    /// <summary>Records one trial durably before returning; numbers must follow on without gaps.</summary>
    void Append(TrialRecord trial);
}

/// <summary>A store that lives as long as the object: for tests and for searches that need no resume.</summary>
public sealed class InMemoryTrialStore : ITrialStore
{
    private readonly List<TrialRecord> _trials = [];
    private readonly StoreMismatchPolicy _policy;
    private SearchKey? _key;

    public InMemoryTrialStore(StoreMismatchPolicy policy = StoreMismatchPolicy.Fail) => _policy = policy;

    public IReadOnlyList<TrialRecord> Trials => _trials;

    public IReadOnlyList<TrialRecord> Open(SearchKey key, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_key is not null && _key != key)
        {
            if (_policy == StoreMismatchPolicy.Fail)
            {
                throw TrialStoreMismatchException.For("The in-memory store", _key, key);
            }

            _trials.Clear();
        }

        _key = key;
        return _trials.ToList();
    }

    public void Append(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_key is null)
        {
            throw new InvalidOperationException("Open the store before appending trials.");
        }

        TrialNumbering.EnsureNext(_trials.Count, trial);
        _trials.Add(trial);
    }
}

internal static class TrialNumbering
{
    public static void EnsureNext(int expected, TrialRecord trial)
    {
        if (trial.Number != expected)
        {
            throw new InvalidOperationException($"Trial {trial.Number} appended where trial {expected} was expected; trial numbers must follow on.");
        }
    }
}
