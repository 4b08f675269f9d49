using Crlm.Pipelines.Running;
using Spectre.Console;

namespace Crlm.Cli;

/// <summary>
/// Renders a run on the console. Progress is printed in 10% steps rather than as a live bar, so
/// logs of unattended sweeps (no terminal) stay readable.
/// </summary>
internal sealed class ConsoleRunObserver(IAnsiConsole console) : IRunObserver
{
    private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void StageStarted(string stage, string description) =>
        Write($"[bold blue]>[/] [bold]{Markup.Escape(stage)}[/]: {Markup.Escape(description)}");

    public void StageFinished(string stage, StageOutcome outcome, TimeSpan elapsed)
    {
        string colour = outcome == StageOutcome.Failed ? "red" : "green";
        Write($"  [{colour}]{outcome.ToString().ToLowerInvariant()}[/] {Markup.Escape(stage)} in {elapsed.TotalSeconds:F1} s");
    }

    public void Info(string stage, string message) => Write($"  {Markup.Escape(message)}");

    public void Warning(string stage, string message) => Write($"  [yellow]{Markup.Escape(message)}[/]");

    public void Progress(string stage, int done, int total)
    {
        int decile = total <= 0 ? 10 : done * 10 / total;
        lock (_gate)
        {
            if (_lastDecile.TryGetValue(stage, out int last) && decile <= last)
            {
                return;
            }

            _lastDecile[stage] = decile;
        }

        Write($"  {Markup.Escape(stage)}: {done}/{total}");
    }

    private void Write(string markup)
    {
        lock (_gate)
        {
            console.MarkupLine(markup);
        }
    }
}
