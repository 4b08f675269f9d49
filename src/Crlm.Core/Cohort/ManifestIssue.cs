namespace Crlm.Core.Cohort;

public enum IssueSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One problem found in a manifest, located by file, line and column so a user can go straight
/// to it. Errors are fatal for a run; warnings are reported and the run goes on.
/// </summary>
public sealed record ManifestIssue(IssueSeverity Severity, string File, int Line, string? Column, string Message)
{
    public bool IsError => Severity == IssueSeverity.Error;

    public override string ToString()
    {
        string where = Column is null ? $"{File}:{Line}" : $"{File}:{Line}: column '{Column}'";
        string level = IsError ? "error" : "warning";
        return $"{where}: {level}: {Message}";
    }
}

/// <summary>
/// A manifest together with every problem found while loading and checking it.
/// <see cref="ReadableRows"/> holds every row whose cells could be read, including rows with
/// errors, so that file checks still report a missing image on a row whose label is also wrong.
/// </summary>
public sealed record ManifestReport(CohortManifest Manifest, IReadOnlyList<ManifestIssue> Issues, IReadOnlyList<ScanRecord> ReadableRows)
{
    public bool HasErrors => Issues.Any(i => i.IsError);

    public int ErrorCount => Issues.Count(i => i.IsError);

    public int WarningCount => Issues.Count(i => !i.IsError);
}
