namespace Crlm.Core.Search;

/// <summary>
/// One hyperparameter of a search space. A parameter with a <see cref="When"/> condition is active
/// (sampled, passed to the objective, recorded) only when its parent categorical took one of the
/// listed values; otherwise it is absent from the trial's assignment.
/// </summary>
public abstract record ParameterDefinition(string Name)
{
    /// <summary>Null for an unconditional parameter.</summary>
    public ActivationCondition? When { get; init; }

    /// <summary>The definition's canonical text without the name and condition, e.g. <c>float[0.0001,100,log]</c>.</summary>
    internal abstract string CanonicalDomain { get; }
}

/// <summary>Integer in [Low, High], both included; uniform, or log-uniform when <see cref="Log"/> (then Low must be >= 1).</summary>
public sealed record IntParameter(string Name, int Low, int High, bool Log = false) : ParameterDefinition(Name)
{
    internal override string CanonicalDomain =>
        FormattableString.Invariant($"int[{Low},{High}{(Log ? ",log" : "")}]");
}

/// <summary>Real number in [Low, High]; uniform, or log-uniform when <see cref="Log"/> (then Low must be > 0).</summary>
public sealed record FloatParameter(string Name, double Low, double High, bool Log = false) : ParameterDefinition(Name)
{
    internal override string CanonicalDomain =>
        FormattableString.Invariant($"float[{Low:R},{High:R}{(Log ? ",log" : "")}]");
}

/// <summary>One of a list of strings; the order of <see cref="Choices"/> is part of the space's identity.</summary>
public sealed record CategoricalParameter(string Name, IReadOnlyList<string> Choices) : ParameterDefinition(Name)
{
    internal override string CanonicalDomain =>
        "choice[" + string.Join(",", Choices.Select(SearchSpace.Quote)) + "]";
}

/// <summary>The parameter is active only when categorical <see cref="Parent"/> is active and took one of <see cref="Values"/>.</summary>
public sealed record ActivationCondition(string Parent, IReadOnlyList<string> Values)
{
    public ActivationCondition(string parent, params string[] values)
        : this(parent, (IReadOnlyList<string>)values)
    {
    }
}
