using System.CommandLine;
using System.Globalization;
using Crlm.Core.Cohort;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;
using Spectre.Console;

namespace Crlm.Cli.Commands;

/// <summary>
/// `crlm validate FILE`: every problem at once, each with its position. The extension decides what FILE is:
/// .yaml/.yml a pipeline spec (FILE:LINE:COLUMN), .csv a cohort manifest (FILE:LINE: column 'NAME').
/// </summary>
internal static class ValidateCommand
{
    public static Command Build(IAnsiConsole console, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "A pipeline spec (.yaml/.yml; schema in docs/pipelines.md) or a cohort manifest (.csv; format in README.md, 'Cohort manifest'). The extension decides which.",
        };
        var noFiles = new Option<bool>("--no-files") { Description = "Manifest: check the CSV only; do not open the images and masks." };
        var pipeline = new Option<string?>("--pipeline") { Description = "Spec: check only this one of its 'pipelines:' (default: every one)." };
        var command = new Command("validate", "Check a pipeline spec (unknown keys with a 'did you mean', types, ranges, missing files, stage order, includes) or a cohort manifest (columns, labels, phases, duplicate scans, patients with conflicting labels, missing files, masks off their image's grid). Exit 2 on any error.")
        {
            file,
            noFiles,
            pipeline,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!.ToString();
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".yaml" or ".yml" => ValidateSpec(console, path, parse.GetValue(pipeline)),
                ".csv" => ValidateManifest(console, stderr, path, checkFiles: !parse.GetValue(noFiles)),
                _ => Refuse(stderr, path),
            };
        });
        return command;
    }

    private static int Refuse(TextWriter stderr, string path)
    {
        stderr.WriteLine($"crlm validate: {path}: expected a pipeline spec (.yaml, .yml) or a cohort manifest (.csv)");
        return ExitCodes.BadInput;
    }

    private static int ValidateSpec(IAnsiConsole console, string path, string? pipeline)
    {
        IReadOnlyList<PipelineSpec> specs;
        try
        {
            var catalog = PipelineRunner.DefaultCatalog();
            specs = pipeline is null ? PipelineSpecReader.ReadAll(path, catalog) : [PipelineSpecReader.Read(path, catalog, pipeline)];
        }
        catch (PipelineSpecException e)
        {
            foreach (var issue in e.Issues)
            {
                console.MarkupLine($"[red]{Markup.Escape(issue.ToString())}[/]");
            }

            console.MarkupLine(Markup.Escape($"{path}: {e.Issues.Count} error(s)"));
            return ExitCodes.BadInput;
        }

        foreach (var spec in specs)
        {
            console.MarkupLine(Markup.Escape(Summary(spec)));
        }

        console.MarkupLine(Markup.Escape($"{path}: valid ({specs.Count} pipeline(s))"));
        return ExitCodes.Ok;
    }

    /// <summary>What the spec will run, in one line: e.g. "default: stages cohort, split; encoders radiomics (radiomics); dataset synthetic, 60 small patients".</summary>
    internal static string Summary(PipelineSpec spec)
    {
        var dataset = spec.Dataset.Synthetic is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"synthetic, {s.Patients} {s.Size} patients, seed {s.Seed ?? spec.Seed}")
            : $"manifest {spec.Dataset.ManifestPath}";
        if (spec.Dataset.ExternalSites.Count > 0)
        {
            dataset += $", external {string.Join(", ", spec.Dataset.ExternalSites)}";
        }

        string encoders = spec.Stages.Contains("embed")
            ? string.Join(", ", spec.Encoders.Select(e => $"{e.Name} ({e.Kind.ToString().ToLowerInvariant()})"))
            : "none (no embed stage)";
        string benchmark = spec.Stages.Contains("benchmark")
            ? string.Create(CultureInfo.InvariantCulture, $"; benchmark {spec.Benchmark.Trials} trials, {spec.Benchmark.Folds ?? spec.Splits.Folds} folds")
            : "";
        string output = spec.TimestampedRuns ? Path.Combine(spec.OutputDirectory, "<yyyyMMdd-HHmmss>-" + spec.ResolvedHash8) : spec.OutputDirectory;
        return $"{spec.Name}: stages {string.Join(", ", spec.Stages)}; encoders {encoders}; dataset {dataset}{benchmark}; seed {spec.Seed}; output {output}";
    }

    private static int ValidateManifest(IAnsiConsole console, TextWriter stderr, string path, bool checkFiles)
    {
        ManifestReport report;
        try
        {
            report = ManifestValidator.Validate(path, checkFiles);
        }
        catch (ManifestFormatException e)
        {
            stderr.WriteLine($"crlm validate: {e.Message}");
            return ExitCodes.BadInput;
        }

        foreach (var issue in report.Issues)
        {
            string colour = issue.IsError ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{Markup.Escape(issue.ToString())}[/]");
        }

        var manifestData = report.Manifest;
        console.MarkupLine(Markup.Escape(
            $"{path}: {manifestData.Scans.Count} scans, {manifestData.Patients().Count} patients, {manifestData.Sites().Count} sites; " +
            $"{report.ErrorCount} error(s), {report.WarningCount} warning(s)"));
        return report.HasErrors ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
