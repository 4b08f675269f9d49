using System.Globalization;

namespace Crlm.Core.Search;

/// <summary>
/// Everything that fixes a search's suggestions: the canonical space, the seed, the sampler with
/// its settings and the batch size. A trial history is only valid for the key it was made under.
/// </summary>
public sealed record SearchKey(string Space, long Seed, string Sampler, int BatchSize)
{
    public string Text => string.Create(CultureInfo.InvariantCulture, $"space={Space}|seed={Seed}|sampler={Sampler}|batch={BatchSize}");

    public override string ToString() => Text;
}

/// <summary>What a store does when it holds the history of a different search (changed space, seed, sampler or batch size).</summary>
public enum StoreMismatchPolicy
{
    /// <summary>Throw <see cref="TrialStoreMismatchException"/>: the safe default, nothing is lost.</summary>
    Fail,

    /// <summary>Discard the old history and start the new search from trial 0.</summary>
    StartFresh,
}

/// <summary>The store holds trials of another search; resuming them would mix incompatible histories.</summary>
public sealed class TrialStoreMismatchException : Exception
{
    public TrialStoreMismatchException()
    {
    }

    public TrialStoreMismatchException(string message)
        : base(message)
    {
    }

    public TrialStoreMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static TrialStoreMismatchException For(string where, SearchKey stored, SearchKey wanted) => new(
        $"{where} holds trials of a different search and cannot be resumed.{Environment.NewLine}" +
        $"  stored: {stored.Text}{Environment.NewLine}" +
        $"  wanted: {wanted.Text}{Environment.NewLine}" +
        "Use a new store, delete the old one, or open it with StoreMismatchPolicy.StartFresh.");
}
