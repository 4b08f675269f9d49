namespace Crlm.Pipelines.Running;

/// <summary>
/// What a running pipeline tells the outside world. The runner knows nothing about consoles:
/// the CLI renders these with progress bars, tests record them.
/// </summary>
public interface IRunObserver
{
    void StageStarted(string stage, string description);

    void StageFinished(string stage, StageOutcome outcome, TimeSpan elapsed);

    void Info(string stage, string message);

    void Warning(string stage, string message);

    /// <summary>Progress of long work inside a stage: <paramref name="done"/> of <paramref name="total"/> items.</summary>
    void Progress(string stage, int done, int total);
}

/// <summary>An observer that ignores everything (library callers that want no output).</summary>
public sealed class SilentRunObserver : IRunObserver
{
    public void StageStarted(string stage, string description)
    {
    }

    public void StageFinished(string stage, StageOutcome outcome, TimeSpan elapsed)
    {
    }

    public void Info(string stage, string message)
    {
    }

    public void Warning(string stage, string message)
    {
    }

    public void Progress(string stage, int done, int total)
    {
    }
}
