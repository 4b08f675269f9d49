using System.CommandLine;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;
using Spectre.Console;

namespace Crlm.Cli.Commands;

/// <summary>`crlm run SPEC.yaml`: validate the whole spec, then run its stages over one run folder.</summary>
internal static class RunCommand
{
    public static Command Build(IAnsiConsole console, TextWriter stderr)
    {
        var spec = new Argument<FileInfo>("spec") { Description = "A pipeline spec (YAML; schema in docs/pipelines.md). pipelines.yaml is the default pipeline." };
        var pipelineName = new Option<string?>("--pipeline") { Description = "Which of the spec's 'pipelines:' to run (required when it defines several)." };
        var from = new Option<string?>("--from") { Description = "Run this stage and every stage listed after it; the stages they need run first, from their caches where possible." };
        var only = new Option<string?>("--only") { Description = "Run this stage alone; the stages it needs run first, from their caches where possible (computed when not cached)." };
        var command = new Command("run", "Run a YAML pipeline end to end; outputs land in a new runs/<name>/<yyyyMMdd-HHmmss>-<hash8>/ folder beside the spec (or the spec's 'output:'), with run.json, run.log and spec.resolved.yaml.")
        {
            spec,
            pipelineName,
            from,
            only,
        };
        command.SetAction((parse, cancellation) =>
        {
            var stages = PipelineRunner.DefaultStages(new EncoderFactory(), new TabularBenchmarkLearner(), new HtmlRunReporter());
            var catalog = PipelineRunner.CatalogOf(stages);
            var selection = new RunSelection(parse.GetValue(from), parse.GetValue(only));
            PipelineSpec pipeline;
            try
            {
                pipeline = PipelineSpecReader.Read(parse.GetValue(spec)!.ToString(), catalog, parse.GetValue(pipelineName));
                PipelineRunner.Plan(pipeline, catalog, selection);
            }
            catch (PipelineSpecException e)
            {
                foreach (var issue in e.Issues)
                {
                    stderr.WriteLine(issue.ToString());
                }

                return Task.FromResult(ExitCodes.BadInput);
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"crlm run: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }

            string runDirectory = PipelineRunner.RunDirectoryFor(pipeline, DateTimeOffset.UtcNow);
            Directory.CreateDirectory(runDirectory);
            using var log = new StreamWriter(Path.Combine(runDirectory, "run.log")) { AutoFlush = true };
            var logConsole = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(log),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            logConsole.Profile.Width = 100_000;
            void Say(string markup)
            {
                console.MarkupLine(markup);
                logConsole.MarkupLine(markup);
            }

            Say($"[bold]crlm run[/] {Markup.Escape(pipeline.Name)} (seed {pipeline.Seed}) -> {Markup.Escape(runDirectory)}");
            var observer = new FanOutRunObserver(new ConsoleRunObserver(console), new ConsoleRunObserver(logConsole));
            var runner = new PipelineRunner(stages, observer, TimeProvider.System);
            var record = runner.Run(pipeline, new RunOptions { Selection = selection, RunDirectory = runDirectory, Versions = LibraryVersions() }, cancellation);
            bool ok = record.Status == "completed";
            Say(ok
                ? $"[green]done[/] in {record.Seconds:F1} s; run record: {Markup.Escape(Path.Combine(runDirectory, "run.json"))}"
                : $"[red]failed[/] at stage '{Markup.Escape(record.Stages.Last(s => s.Role != "skipped").Name)}'");
            if (record.ReportPath is { } report)
            {
                // Last line on purpose: scripts and people take the report from the end of the output.
                Say($"report: {Markup.Escape(report)}");
            }

            return Task.FromResult(ok ? ExitCodes.Ok : ExitCodes.RunFailed);
        });
        return command;
    }

    /// <summary>Versions of the libraries that compute the numbers, which only the composition root references.</summary>
    private static Dictionary<string, string> LibraryVersions() => new(StringComparer.Ordinal)
    {
        ["ML.NET"] = PipelineRunner.AssemblyVersion(typeof(Microsoft.ML.MLContext).Assembly),
        ["ONNX Runtime"] = PipelineRunner.AssemblyVersion(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly),
        ["TorchSharp"] = PipelineRunner.AssemblyVersion(typeof(TorchSharp.torch).Assembly),
    };
}
