using Crlm.Core.Cohort;
using Crlm.Pipelines.Running;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// Patient-level splits (the study's): per-site label-stratified train/test, external sites
/// test-only, stratified k-fold inside train. Writes splits.csv and a per-site table.
/// </summary>
public sealed class SplitStage : IPipelineStage
{
    public string Name => "split";

    public string Description => "patient-level train/test split and cross-validation folds";

    public IReadOnlyList<string> Needs { get; } = ["cohort"];

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manifest = context.State.RequireManifest();
        var options = new SplitOptions
        {
            TestFraction = context.Spec.Splits.TestFraction,
            Folds = context.Spec.Splits.Folds,
            ExternalSites = context.State.ExternalSites,
            Seed = context.Spec.Seed,
        };
        var split = PatientSplitter.Split(manifest.Patients(), options);
        foreach (string warning in split.Warnings)
        {
            context.Observer.Warning(Name, warning);
        }

        SplitTable.Write(context.OutputPath("splits.csv"), split);
        var summary = SplitSummary.BySite(split);
        SplitSummary.Write(context.OutputPath("cohort_by_site.csv"), summary);
        foreach (var row in summary)
        {
            context.Observer.Info(Name, row.ToString());
        }

        context.State.Split = split;
        return StageOutcome.Completed;
    }
}
