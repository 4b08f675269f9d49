using Crlm.Core.IO;
using Crlm.Pipelines.Reporting;
using Crlm.Pipelines.Running;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// The last stage: one self-contained HTML report of everything the run folder holds (docs/report.md). It is written
/// into the run folder as <c>report.html</c> and copied to <c>reports/NAME/RUN.html</c> beside the spec, the place a
/// reviewer looks; <c>crlm run</c> prints that path as its last line. Sections of stages that did not run are left
/// out with a note, so the stage can close any stage list.
/// </summary>
public sealed class ReportStage(IRunReporter? reporter) : IPipelineStage
{
    public const string FileName = "report.html";

    public string Name => "report";

    public string Description => "write the self-contained HTML report of this run";

    /// <summary>Cohort and split are what every report describes; later sections read whatever the run folder has.</summary>
    public IReadOnlyList<string> Needs { get; } = ["cohort", "split"];

    /// <summary>The report describes every stage of the run, so <c>--only report</c> replays them all (from their caches).</summary>
    public bool ReadsEveryEarlierStage => true;

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (reporter is null)
        {
            throw new StageFailedException("this runner was built without a report writer; run the report stage through `crlm run`");
        }

        string inRun = context.OutputPath(FileName);
        int sections = reporter.Write(context.RunDirectory, inRun);
        string published = PublishedPath(context);
        Directory.CreateDirectory(Path.GetDirectoryName(published)!);
        AtomicFile.WriteAllText(published, File.ReadAllText(inRun));
        context.State.ReportPath = published;
        context.Observer.Info(Name, $"{sections} sections; {published}");
        return StageOutcome.Completed;
    }

    /// <summary>reports/NAME/RUN.html beside the spec, RUN being the run folder's name (a timestamp and the spec's hash, or the fixed output folder's name).</summary>
    public static string PublishedPath(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string specDirectory = Path.GetDirectoryName(Path.GetFullPath(context.Spec.SourcePath)) ?? ".";
        string run = Path.GetFileName(Path.TrimEndingDirectorySeparator(context.RunDirectory));
        return Path.Combine(specDirectory, "reports", context.Spec.Name, run + ".html");
    }
}
