using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Crlm.Core.IO;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Benchmark;
using Crlm.Pipelines.Embedding;
using Crlm.Pipelines.Stages;

namespace Crlm.Pipelines.Running;

/// <summary>How a run ended, stage by stage, as written to run.json.</summary>
public sealed record RunRecord(
    string Name,
    string Spec,
    string SpecSha256,
    long Seed,
    string? DataSha256,
    string Status,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    IReadOnlyList<StageRecord> Stages,
    IReadOnlyDictionary<string, string> Versions);

public sealed record StageRecord(string Name, string Outcome, double Seconds, string? Error);

/// <summary>
/// Runs a spec's stages in order over one run folder. A stage that fails stops the run (later
/// stages would work from missing inputs) and the run record says which stage and why.
/// </summary>
public sealed class PipelineRunner(IReadOnlyList<IPipelineStage> stages, IRunObserver observer, TimeProvider clock)
{
    /// <summary>
    /// Every stage this build knows, in their natural order; <paramref name="encoders"/> makes the embed stage's
    /// encoders and <paramref name="learner"/> is the benchmark stage's model (the CLI passes the real ones; without
    /// them those stages report that they have none).
    /// </summary>
    public static IReadOnlyList<IPipelineStage> DefaultStages(IVolumeEncoderFactory? encoders = null, IBenchmarkLearner? learner = null) =>
        [new CohortStage(), new SplitStage(), new PreprocessStage(), new EmbedStage(encoders), new BenchmarkStage(learner)];

    public static IReadOnlyList<string> DefaultStageNames() => DefaultStages().Select(s => s.Name).ToArray();

    public RunRecord Run(PipelineSpec spec, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(spec.OutputDirectory);
        Directory.CreateDirectory(spec.CacheDirectory);
        var state = new RunState();
        var context = new StageContext(spec, spec.OutputDirectory, spec.CacheDirectory, state, observer, cancellation);
        var started = clock.GetUtcNow();
        var records = new List<StageRecord>();
        string status = "completed";
        foreach (string name in spec.Stages)
        {
            var stage = stages.FirstOrDefault(s => s.Name == name)
                ?? throw new InvalidOperationException($"stage '{name}' is not registered with this runner");
            cancellation.ThrowIfCancellationRequested();
            observer.StageStarted(stage.Name, stage.Description);
            var watch = Stopwatch.StartNew();
            StageOutcome outcome;
            string? error = null;
            try
            {
                outcome = stage.Run(context);
            }
            catch (StageFailedException e)
            {
                outcome = StageOutcome.Failed;
                error = e.Message;
                observer.Warning(stage.Name, e.Message);
            }

            observer.StageFinished(stage.Name, outcome, watch.Elapsed);
            records.Add(new StageRecord(stage.Name, outcome.ToString().ToLowerInvariant(), Math.Round(watch.Elapsed.TotalSeconds, 3), error));
            if (outcome == StageOutcome.Failed)
            {
                status = "failed";
                break;
            }
        }

        var record = new RunRecord(
            spec.Name, spec.SourcePath, spec.SourceSha256, spec.Seed, state.DataSha256, status, started, clock.GetUtcNow(), records, Versions());
        AtomicFile.WriteAllText(Path.Combine(spec.OutputDirectory, "run.json"), JsonSerializer.Serialize(record, RunJson.Options));
        return record;
    }

    private static Dictionary<string, string> Versions() => new(StringComparer.Ordinal)
    {
        ["crlm"] = typeof(PipelineRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        [".NET"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}

/// <summary>JSON settings shared by everything a run writes: snake_case keys, indented, stable.</summary>
public static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
