using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Crlm.Core.IO;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Benchmark;
using Crlm.Pipelines.Embedding;
using Crlm.Pipelines.Reporting;
using Crlm.Pipelines.Stages;

namespace Crlm.Pipelines.Running;

/// <summary>
/// Runs a spec's stages in order over one run folder. A stage that fails stops the run (later
/// stages would work from missing inputs) and the run record says which stage and why.
/// </summary>
public sealed class PipelineRunner(IReadOnlyList<IPipelineStage> stages, IRunObserver observer, TimeProvider clock)
{
    /// <summary>
    /// Every stage this build knows, in their natural order; <paramref name="encoders"/> makes the embed stage's
    /// encoders, <paramref name="learner"/> is the benchmark stage's model and <paramref name="reporter"/> the report
    /// stage's writer (the CLI passes the real ones; without them those stages report that they have none).
    /// </summary>
    public static IReadOnlyList<IPipelineStage> DefaultStages(IVolumeEncoderFactory? encoders = null, IBenchmarkLearner? learner = null, IRunReporter? reporter = null) =>
        [new CohortStage(), new SplitStage(), new PreprocessStage(), new EmbedStage(encoders), new BenchmarkStage(learner), new ReportStage(reporter)];

    public static IReadOnlyList<string> DefaultStageNames() => DefaultStages().Select(s => s.Name).ToArray();

    /// <summary>The default stages' names and what each needs: what the spec reader checks stage lists against.</summary>
    public static StageCatalog DefaultCatalog() => CatalogOf(DefaultStages());

    public static StageCatalog CatalogOf(IReadOnlyList<IPipelineStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return new StageCatalog(
            stages.Select(s => s.Name).ToArray(),
            stages.ToDictionary(s => s.Name, s => s.Needs, StringComparer.Ordinal))
        {
            ReadersOfEverything = stages.Where(s => s.ReadsEveryEarlierStage).Select(s => s.Name).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Which of the spec's stages run and why. Without a selection, every listed stage. <c>--from X</c>: X and every stage
    /// listed after it. <c>--only X</c>: X alone. In both, the stages the selected ones need (transitively) run first as
    /// prerequisites, because their results reach later stages in memory; they hit their content caches, so when their
    /// outputs are cached they are replayed cheaply, and when not they are computed. Other stages are skipped.
    /// </summary>
    public static IReadOnlyList<PlannedStage> Plan(PipelineSpec spec, StageCatalog catalog, RunSelection selection)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.From is not null && selection.Only is not null)
        {
            throw new ArgumentException("give --from or --only, not both");
        }

        string? pivot = selection.From ?? selection.Only;
        if (pivot is null)
        {
            return spec.Stages.Select(s => new PlannedStage(s, StageRole.Run)).ToArray();
        }

        int at = spec.Stages.ToList().IndexOf(pivot);
        if (at < 0)
        {
            throw new ArgumentException($"stage '{pivot}' is not in this spec's stages ({string.Join(", ", spec.Stages)})");
        }

        var selected = selection.Only is not null ? [pivot] : spec.Stages.Skip(at).ToHashSet(StringComparer.Ordinal);
        var needed = selected.SelectMany(catalog.AllNeedsOf).ToHashSet(StringComparer.Ordinal);
        foreach (string reader in selected.Where(catalog.ReadersOfEverything.Contains))
        {
            needed.UnionWith(spec.Stages.TakeWhile(s => s != reader));
        }

        return spec.Stages.Select(s => new PlannedStage(
            s, selected.Contains(s) ? StageRole.Run : needed.Contains(s) ? StageRole.Prerequisite : StageRole.Skipped)).ToArray();
    }

    /// <summary>
    /// The folder a run started at <paramref name="started"/> writes to: the spec's <c>output:</c>, or a new
    /// <c>runs/NAME/yyyyMMdd-HHmmss-HASH8</c> (UTC; "-2", "-3"... when a run of the same spec started in the same second).
    /// </summary>
    public static string RunDirectoryFor(PipelineSpec spec, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.TimestampedRuns)
        {
            return spec.OutputDirectory;
        }

        string stem = Path.Combine(spec.OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"{started.UtcDateTime:yyyyMMdd-HHmmss}-{spec.ResolvedHash8}"));
        string path = stem;
        for (int n = 2; Directory.Exists(path); n++)
        {
            path = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
        }

        return path;
    }

    public RunRecord Run(PipelineSpec spec, CancellationToken cancellation = default) => Run(spec, new RunOptions(), cancellation);

    public RunRecord Run(PipelineSpec spec, RunOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var started = clock.GetUtcNow();
        var plan = Plan(spec, CatalogOf(stages), options.Selection);
        string runDirectory = options.RunDirectory ?? RunDirectoryFor(spec, started);
        Directory.CreateDirectory(runDirectory);
        Directory.CreateDirectory(spec.CacheDirectory);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "spec.resolved.yaml"), spec.ResolvedYaml);
        var encoderFiles = EncoderFiles(spec);
        var state = new RunState();
        var context = new StageContext(spec, runDirectory, spec.CacheDirectory, state, observer, cancellation);
        var records = new List<StageRecord>();
        string status = "completed";
        foreach (var planned in plan)
        {
            if (planned.Role == StageRole.Skipped)
            {
                records.Add(new StageRecord(planned.Name, "skipped", 0, null) { Role = "skipped" });
                continue;
            }

            var stage = stages.FirstOrDefault(s => s.Name == planned.Name)
                ?? throw new InvalidOperationException($"stage '{planned.Name}' is not registered with this runner");
            cancellation.ThrowIfCancellationRequested();
            observer.StageStarted(stage.Name, planned.Role == StageRole.Prerequisite
                ? $"{stage.Description} (prerequisite: replayed from the cache where its outputs are there)"
                : stage.Description);
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
            records.Add(new StageRecord(stage.Name, outcome.ToString().ToLowerInvariant(), Math.Round(watch.Elapsed.TotalSeconds, 3), error)
            {
                Role = planned.Role == StageRole.Prerequisite ? "prerequisite" : "run",
                PeakWorkingSetBytes = PeakWorkingSet(),
            });
            if (outcome == StageOutcome.Failed)
            {
                status = "failed";
                break;
            }

            // run.json after every stage, so a crash leaves a record of what finished and the report stage can read
            // the run so far; the final write below replaces it.
            WriteRecord(Record("running"));
        }

        var final = Record(status);
        WriteRecord(final);
        return final;

        void WriteRecord(RunRecord record) =>
            AtomicFile.WriteAllText(Path.Combine(runDirectory, "run.json"), JsonSerializer.Serialize(record, RunJson.Options));

        RunRecord Record(string status) => new()
        {
            Name = spec.Name,
            Spec = spec.SourcePath,
            SpecSha256 = spec.SourceSha256,
            SpecFiles = spec.SourceFiles,
            ResolvedSpecSha256 = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(spec.ResolvedYaml))),
            RunDirectory = runDirectory,
            From = options.Selection.From,
            Only = options.Selection.Only,
            Seed = spec.Seed,
            Seeds = Seeds(spec),
            DataSha256 = state.DataSha256,
            DataFiles = state.FileSha256.Count,
            EncoderFiles = encoderFiles,
            Status = status,
            ExitCode = status switch { "completed" => 0, "running" => null, _ => 1 },
            Started = started,
            Finished = clock.GetUtcNow(),
            Seconds = Math.Round((clock.GetUtcNow() - started).TotalSeconds, 3),
            PeakWorkingSetBytes = PeakWorkingSet(),
            Stages = records.ToArray(),
            Versions = Versions(options.Versions),
            ReportPath = state.ReportPath,
        };
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>Every seed the run draws from, by purpose: the spec's, and the ones a block overrides.</summary>
    private static Dictionary<string, long> Seeds(PipelineSpec spec)
    {
        var seeds = new Dictionary<string, long>(StringComparer.Ordinal) { ["spec"] = spec.Seed, ["splits"] = spec.Seed, ["benchmark"] = spec.Seed };
        if (spec.Dataset.Synthetic is { } synthetic)
        {
            seeds["synthetic"] = synthetic.Seed ?? spec.Seed;
        }

        foreach (var encoder in spec.Encoders.Where(e => e.Kind == EncoderKind.Cnn3d && e.Checkpoint is null))
        {
            seeds[$"encoder:{encoder.Name}"] = encoder.WeightSeed ?? spec.Seed;
        }

        return seeds;
    }

    /// <summary>SHA-256 of each ONNX model and checkpoint the spec names: which weights produced the numbers.</summary>
    private static List<EncoderFileRecord> EncoderFiles(PipelineSpec spec)
    {
        var files = new List<EncoderFileRecord>();
        foreach (var encoder in spec.Encoders)
        {
            foreach (string? path in new[] { encoder.Model, encoder.Checkpoint })
            {
                if (path is not null && File.Exists(path))
                {
                    using var stream = File.OpenRead(path);
                    files.Add(new EncoderFileRecord(encoder.Name, path, Convert.ToHexStringLower(SHA256.HashData(stream))));
                }
            }
        }

        return files;
    }

    private static Dictionary<string, string> Versions(IReadOnlyDictionary<string, string> extra)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["crlm"] = typeof(PipelineRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            [".NET"] = Environment.Version.ToString(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["arch"] = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            ["YamlDotNet"] = AssemblyVersion(typeof(YamlDotNet.RepresentationModel.YamlNode).Assembly),
        };
        foreach (var (name, version) in extra)
        {
            versions[name] = version;
        }

        return versions;
    }

    /// <summary>An assembly's informational version without the source-link commit suffix ("1.2.3+abc..." -> "1.2.3").</summary>
    public static string AssemblyVersion(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();
        return version is null ? "unknown" : version.Split('+')[0];
    }
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
