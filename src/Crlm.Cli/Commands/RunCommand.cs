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
        var command = new Command("run", "Run a YAML pipeline end to end; outputs land in the spec's output folder (default reports/<name>/).")
        {
            spec,
        };
        command.SetAction((parse, cancellation) =>
        {
            PipelineSpec pipeline;
            try
            {
                pipeline = PipelineSpecReader.Read(parse.GetValue(spec)!.ToString(), PipelineRunner.DefaultStageNames());
            }
            catch (PipelineSpecException e)
            {
                foreach (var issue in e.Issues)
                {
                    stderr.WriteLine(issue.ToString());
                }

                return Task.FromResult(ExitCodes.BadInput);
            }

            console.MarkupLine($"[bold]crlm run[/] {Markup.Escape(pipeline.Name)} (seed {pipeline.Seed}) -> {Markup.Escape(pipeline.OutputDirectory)}");
            var runner = new PipelineRunner(PipelineRunner.DefaultStages(new EncoderFactory(), new TabularBenchmarkLearner()), new ConsoleRunObserver(console), TimeProvider.System);
            var record = runner.Run(pipeline, cancellation);
            bool ok = record.Status == "completed";
            console.MarkupLine(ok
                ? $"[green]done[/] in {(record.Finished - record.Started).TotalSeconds:F1} s; run record: {Markup.Escape(Path.Combine(pipeline.OutputDirectory, "run.json"))}"
                : $"[red]failed[/] at stage '{Markup.Escape(record.Stages[^1].Name)}'");
            return Task.FromResult(ok ? ExitCodes.Ok : ExitCodes.RunFailed);
        });
        return command;
    }
}
