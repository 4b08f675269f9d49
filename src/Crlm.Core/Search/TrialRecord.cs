namespace Crlm.Core.Search;

public enum TrialState
{
    /// <summary>The objective returned a finite score.</summary>
    Complete,

    /// <summary>The objective threw or returned a non-finite score; samplers ignore the trial.</summary>
    Failed,
}

/// <summary>What the objective reports for one parameter assignment: a score to maximise and, optionally, its per-fold parts.</summary>
public sealed record TrialOutcome(double Score, IReadOnlyList<double>? FoldScores = null);

/// <summary>What the objective receives: the trial number, its parameters and the search's cancellation token.</summary>
public sealed record TrialContext(int Number, ParameterAssignment Parameters, CancellationToken CancellationToken);

/// <summary>One recorded trial. <see cref="Score"/> is null unless <see cref="State"/> is Complete.</summary>
public sealed record TrialRecord(
    int Number,
    ParameterAssignment Parameters,
    TrialState State,
    double? Score,
    IReadOnlyList<double> FoldScores,
    TimeSpan Duration,
    string? Error = null)
{
    public bool IsComplete => State == TrialState.Complete && Score is double s && double.IsFinite(s);
}
