namespace Crlm.Pipelines.Specs;

/// <summary>One problem in a pipeline spec, at a YAML line and column (both 1-based).</summary>
public sealed record SpecIssue(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A spec that cannot run; <see cref="Issues"/> lists every problem found, not just the first.</summary>
public sealed class PipelineSpecException(IReadOnlyList<SpecIssue> issues)
    : Exception(string.Join(Environment.NewLine, issues))
{
    public IReadOnlyList<SpecIssue> Issues { get; } = issues;
}
