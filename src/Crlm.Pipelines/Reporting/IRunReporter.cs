namespace Crlm.Pipelines.Reporting;

/// <summary>
/// Renders a run folder's artifacts as the reviewer's report. Implemented at the composition root (src/Crlm.Cli, over
/// Crlm.Reporting) so that Crlm.Pipelines needs no plotting library.
/// </summary>
public interface IRunReporter
{
    /// <summary>Writes the report of <paramref name="runDirectory"/> to <paramref name="htmlPath"/> (atomically) and returns how many sections it has.</summary>
    int Write(string runDirectory, string htmlPath);
}
