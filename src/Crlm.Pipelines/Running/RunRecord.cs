using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Running;

/// <summary>Which stages a run selects (<c>crlm run --from</c> / <c>--only</c>); none: every stage of the spec.</summary>
public sealed record RunSelection(string? From = null, string? Only = null);

/// <summary>How one run is started: which stages, into which folder (null: <see cref="PipelineRunner.RunDirectoryFor"/>), with what extra versions.</summary>
public sealed record RunOptions
{
    public RunSelection Selection { get; init; } = new();

    public string? RunDirectory { get; init; }

    /// <summary>Versions only the caller knows (the CLI: ML.NET, ONNX Runtime, TorchSharp), added to run.json's.</summary>
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

public enum StageRole
{
    /// <summary>Selected: runs as listed.</summary>
    Run,

    /// <summary>Not selected, but a selected stage needs its results: runs first, reusing its cache.</summary>
    Prerequisite,

    /// <summary>Neither selected nor needed.</summary>
    Skipped,
}

public sealed record PlannedStage(string Name, StageRole Role);

/// <summary>How a run ended, stage by stage, as written to run.json (docs/pipelines.md, "The run folder").</summary>
public sealed record RunRecord
{
    public required string Name { get; init; }

    /// <summary>Path of the spec file.</summary>
    public required string Spec { get; init; }

    public required string SpecSha256 { get; init; }

    /// <summary>The spec and every file it includes.</summary>
    public IReadOnlyList<SpecFileDigest> SpecFiles { get; init; } = [];

    /// <summary>SHA-256 of spec.resolved.yaml (its first 8 digits name timestamped run folders).</summary>
    public string ResolvedSpecSha256 { get; init; } = "";

    public required string RunDirectory { get; init; }

    public string? From { get; init; }

    public string? Only { get; init; }

    public long Seed { get; init; }

    public IReadOnlyDictionary<string, long> Seeds { get; init; } = new Dictionary<string, long>();

    /// <summary>SHA-256 over the manifest and every file it names (null when the cohort stage did not run).</summary>
    public string? DataSha256 { get; init; }

    public int DataFiles { get; init; }

    public IReadOnlyList<EncoderFileRecord> EncoderFiles { get; init; } = [];

    /// <summary>"completed" or "failed"; "running" in the copy written after each stage while later ones run.</summary>
    public required string Status { get; init; }

    /// <summary>What `crlm run` exits with for this status: 0 completed, 1 failed; null while running.</summary>
    public int? ExitCode { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Finished { get; init; }

    public double Seconds { get; init; }

    /// <summary>The process's peak working set (resident memory) at the end of the run.</summary>
    public long PeakWorkingSetBytes { get; init; }

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];

    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();

    /// <summary>The HTML report, when a stage wrote one; `crlm run` prints it as its last line.</summary>
    public string? ReportPath { get; init; }
}

public sealed record StageRecord(string Name, string Outcome, double Seconds, string? Error)
{
    /// <summary>"run", "prerequisite" (replayed for a selected stage) or "skipped".</summary>
    public string Role { get; init; } = "run";

    /// <summary>The process's peak working set so far, when the stage ended.</summary>
    public long PeakWorkingSetBytes { get; init; }
}

public sealed record EncoderFileRecord(string Encoder, string Path, string Sha256);
