namespace Crlm.Pipelines.Running;

/// <summary>Tells several observers the same things, in order (the CLI: the console and the run folder's run.log).</summary>
public sealed class FanOutRunObserver(params IRunObserver[] observers) : IRunObserver
{
    public void StageStarted(string stage, string description) => Each(o => o.StageStarted(stage, description));

    public void StageFinished(string stage, StageOutcome outcome, TimeSpan elapsed) => Each(o => o.StageFinished(stage, outcome, elapsed));

    public void Info(string stage, string message) => Each(o => o.Info(stage, message));

    public void Warning(string stage, string message) => Each(o => o.Warning(stage, message));

    public void Progress(string stage, int done, int total) => Each(o => o.Progress(stage, done, total));

    private void Each(Action<IRunObserver> tell)
    {
        foreach (var observer in observers)
        {
            tell(observer);
        }
    }
}
