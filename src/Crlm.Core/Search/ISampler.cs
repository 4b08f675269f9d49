using System.Globalization;
using Crlm.Core.Randomness;

namespace Crlm.Core.Search;

/// <summary>
/// Proposes the parameters of one trial. Implementations must be pure functions of their inputs:
/// the space, the seed, the trial number and the visible history (in trial-number order), drawing
/// randomness only from <see cref="SamplingStreams"/>, so that a search is reproducible, resumable
/// and can be evaluated in parallel batches.
/// </summary>
public interface ISampler
{
    /// <summary>Canonical description including every setting that changes suggestions, e.g. <c>tpe(startup=10,candidates=24,prior=1)</c>; part of the search key.</summary>
    string Description { get; }

    ParameterAssignment Suggest(SearchSpace space, long seed, int trialNumber, IReadOnlyList<TrialRecord> history);
}

/// <summary>The random streams of a search: one per (seed, trial, parameter).</summary>
public static class SamplingStreams
{
    /// <summary>
    /// The stream for <paramref name="parameter"/> in trial <paramref name="trialNumber"/>. One stream
    /// per parameter means adding, removing or deactivating a parameter does not shift the numbers
    /// any other parameter draws; and the random sampler and TPE's startup trials share it, so TPE's
    /// first trials equal random search's.
    /// </summary>
    public static SplitMix64 For(long seed, int trialNumber, string parameter) =>
        SplitMix64.Derive(seed, "search-trial", trialNumber.ToString(CultureInfo.InvariantCulture), parameter);
}
