using Crlm.Core.Cohort;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Stages;

namespace Crlm.Pipelines.Running;

public enum StageOutcome
{
    /// <summary>The stage did its work.</summary>
    Completed,

    /// <summary>Its outputs were already there under the same content key: reused, not recomputed.</summary>
    Cached,

    Failed,
}

/// <summary>
/// A pipeline stage: a pure function of its inputs (the spec, the run state from earlier stages and
/// files named by content) to outputs written atomically under the run folder. Validation of the
/// spec happens before any stage runs, so <see cref="Run"/> only meets data problems.
/// </summary>
public interface IPipelineStage
{
    string Name { get; }

    string Description { get; }

    /// <summary>Stages whose results this one uses: they must run before it (checked when the spec is read).</summary>
    IReadOnlyList<string> Needs { get; }

    /// <summary>
    /// True for a stage that reads what every stage listed before it wrote (the report): <c>--only</c>/<c>--from</c> then
    /// replay all of them, from their caches, so it never works from a partial run folder.
    /// </summary>
    bool ReadsEveryEarlierStage => false;

    StageOutcome Run(StageContext context);
}

/// <summary>What earlier stages hand to later ones within one run.</summary>
public sealed class RunState
{
    public CohortManifest? Manifest { get; set; }

    /// <summary>SHA-256 over the manifest file and every file it names: the data's identity in the run record.</summary>
    public string? DataSha256 { get; set; }

    /// <summary>SHA-256 of each file the manifest names, by full path (filled by the cohort stage).</summary>
    public IReadOnlyDictionary<string, string> FileSha256 { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public CohortSplit? Split { get; set; }

    /// <summary>The preprocessed scans, in manifest order (filled by the preprocess stage).</summary>
    public IReadOnlyList<PreprocessedScan>? Preprocessed { get; set; }

    /// <summary>Embeddings per encoder name, every scan in manifest order (filled by the embed stage).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScanEmbedding>>? Embeddings { get; set; }

    /// <summary>Sites that are test-only: the spec's list plus any the synthetic generator marks external.</summary>
    public IReadOnlySet<string> ExternalSites { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    public CohortManifest RequireManifest() => Manifest ?? throw Missing("a validated cohort", "cohort");

    public CohortSplit RequireSplit() => Split ?? throw Missing("the patient splits", "split");

    /// <summary>The HTML report a stage wrote, if any: `crlm run` prints it as its last line.</summary>
    public string? ReportPath { get; set; }

    public IReadOnlyList<PreprocessedScan> RequirePreprocessed() => Preprocessed ?? throw Missing("the preprocessed scans", "preprocess");

    private static StageFailedException Missing(string what, string producer) =>
        new($"this stage needs {what}, made by the '{producer}' stage: list '{producer}' before it in 'stages'");
}

/// <summary>Everything a stage may use: the spec, the run folder, the cache, the shared state and the observer.</summary>
public sealed record StageContext(
    PipelineSpec Spec,
    string RunDirectory,
    string CacheDirectory,
    RunState State,
    IRunObserver Observer,
    CancellationToken Cancellation)
{
    public string OutputPath(string relative) => Path.Combine(RunDirectory, relative);
}

/// <summary>A stage met a data problem it cannot work around; the message says which file or row.</summary>
public sealed class StageFailedException(string message, Exception? inner = null) : Exception(message, inner);
