using Crlm.Core.Preprocessing;

namespace Crlm.Pipelines.Specs;

/// <summary>
/// A declarative pipeline, as read from YAML (docs/pipelines.md is the schema). Every default
/// is the study's. Paths are absolute once read (resolved against the spec file's folder).
/// </summary>
public sealed record PipelineSpec
{
    public required string Name { get; init; }

    /// <summary>Path of the YAML file this spec came from.</summary>
    public required string SourcePath { get; init; }

    /// <summary>SHA-256 of the spec file's bytes: what the report shows so a reviewer can trust it.</summary>
    public required string SourceSha256 { get; init; }

    /// <summary>The spec file first, then every file it includes, each with its SHA-256.</summary>
    public IReadOnlyList<SpecFileDigest> SourceFiles { get; init; } = [];

    /// <summary>The spec as bound, after includes and pipeline selection (written to the run folder as spec.resolved.yaml).</summary>
    public string ResolvedYaml { get; init; } = "";

    public long Seed { get; init; }

    public required DatasetSpec Dataset { get; init; }

    public SplitSpec Splits { get; init; } = new();

    /// <summary>Parameters of the 'preprocess' stage; the study's (1 x 1 x 2.5 mm, 256 x 256 x 96, ...) when not given.</summary>
    public PreprocessOptions Preprocess { get; init; } = PreprocessOptions.Default;

    /// <summary>The 'embed' stage's encoders, in the spec's order.</summary>
    public IReadOnlyList<EncoderSpec> Encoders { get; init; } = [];

    /// <summary>The 'benchmark' stage's search and evaluation settings.</summary>
    public BenchmarkSpec Benchmark { get; init; } = new();

    /// <summary>Stages to run, in order. Defaults to every registered stage.</summary>
    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>
    /// The spec's <c>output:</c> folder, which each run overwrites; or, without one, <c>runs/NAME</c> beside the spec, in which
    /// each run gets its own <c>yyyyMMdd-HHmmss-HASH8</c> folder (<see cref="TimestampedRuns"/>).
    /// </summary>
    public required string OutputDirectory { get; init; }

    /// <summary>True when no <c>output:</c> was given: every run writes to a new folder under <see cref="OutputDirectory"/>.</summary>
    public bool TimestampedRuns { get; init; }

    /// <summary>First 8 hex digits of the SHA-256 of <see cref="ResolvedYaml"/>: names run folders.</summary>
    public string ResolvedHash8 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ResolvedYaml)))[..8];

    /// <summary>Folder for content-keyed caches shared between runs (e.g. synthesised cohorts).</summary>
    public required string CacheDirectory { get; init; }
}

/// <summary>Where the cohort comes from: a manifest on disk or the built-in synthetic generator.</summary>
public sealed record DatasetSpec
{
    public string? ManifestPath { get; init; }

    public SyntheticDatasetSpec? Synthetic { get; init; }

    public IReadOnlyList<string> ExternalSites { get; init; } = [];
}

/// <summary>A synthetic cohort made on the fly (the embedded default cohort).</summary>
public sealed record SyntheticDatasetSpec
{
    public int Patients { get; init; } = 60;

    /// <summary>"small" (CI-sized volumes) or "paper" (clinical-sized).</summary>
    public string Size { get; init; } = "small";

    /// <summary>Generator seed; the spec's seed when absent.</summary>
    public long? Seed { get; init; }

    /// <summary>Default site names in their canonical spelling and the spec's order; null = all five.</summary>
    public IReadOnlyList<string>? Sites { get; init; }

    /// <summary>Lesion-to-liver contrast scale, as <c>crlm synth --lesion-contrast</c>.</summary>
    public double LesionContrast { get; init; } = 1;

    /// <summary>Noise scale, as <c>crlm synth --noise</c>.</summary>
    public double Noise { get; init; } = 1;

    /// <summary>Lesion volume scale, as <c>crlm synth --lesion-size</c>.</summary>
    public double LesionSize { get; init; } = 1;
}

public sealed record SplitSpec
{
    public double TestFraction { get; init; } = 0.3;

    public int Folds { get; init; } = 10;
}
