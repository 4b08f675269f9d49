using System.Diagnostics;
using System.Globalization;
using Crlm.Pipelines.Running;
using Spectre.Console;

namespace Crlm.Cli;

/// <summary>
/// Renders a run on the console. Progress is a text bar printed in 10% steps (with rate and ETA) rather
/// than a live, redrawn bar, so logs of unattended sweeps (no terminal) stay readable line by line.
/// </summary>
internal sealed class ConsoleRunObserver(IAnsiConsole console) : IRunObserver
{
    private const int BarWidth = 20;

    private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stopwatch> _started = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void StageStarted(string stage, string description)
    {
        lock (_gate)
        {
            _started[stage] = Stopwatch.StartNew();
            _lastDecile.Remove(stage);
        }

        Write($"[bold blue]>[/] [bold]{Markup.Escape(stage)}[/]: {Markup.Escape(description)}");
    }

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
        double seconds;
        lock (_gate)
        {
            if (_lastDecile.TryGetValue(stage, out int last) && decile <= last)
            {
                return;
            }

            _lastDecile[stage] = decile;
            // A stage may report several bars (the embed stage one per encoder, as "embed: NAME"): each is timed
            // from its own first report, so its rate and ETA are its own.
            if (!_started.TryGetValue(stage, out var watch))
            {
                watch = Stopwatch.StartNew();
                _started[stage] = watch;
            }

            seconds = watch.Elapsed.TotalSeconds;
        }

        Write(Markup.Escape(ProgressLine(stage, done, total, seconds)));
    }

    private void Write(string markup)
    {
        lock (_gate)
        {
            console.MarkupLine(markup);
        }
    }

    /// <summary>e.g. "  preprocess [##########..........]  65/129  21.3/s  ETA 3 s".</summary>
    internal static string ProgressLine(string stage, int done, int total, double seconds)
    {
        int filled = total <= 0 ? BarWidth : (int)((long)Math.Clamp(done, 0, total) * BarWidth / total);
        string bar = new string('#', filled) + new string('.', BarWidth - filled);
        string line = string.Create(CultureInfo.InvariantCulture, $"  {stage} [{bar}] {done}/{total}");
        if (done > 0 && seconds > 0)
        {
            double rate = done / seconds;
            line += string.Create(CultureInfo.InvariantCulture, $"  {rate:F1}/s");
            if (done < total)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"  ETA {Math.Ceiling((total - done) / rate):F0} s");
            }
        }

        return line;
    }
}
