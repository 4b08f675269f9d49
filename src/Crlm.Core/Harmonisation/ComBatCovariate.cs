namespace Crlm.Core.Harmonisation;

/// <summary>
/// A numeric covariate whose effect ComBat preserves (age; a 0/1 dummy per non-reference level of a categorical such as
/// sex). <see cref="TrainingOnly"/> marks a covariate known on training rows only, the label: it is preserved while the
/// model is fitted, and held-out rows are adjusted without it (docs/combat.md, "Covariates and leakage").
/// </summary>
public sealed record ComBatCovariate(string Name, IReadOnlyList<double> Values, bool TrainingOnly = false)
{
    /// <summary>A covariate held-out rows also carry (age, sex dummies).</summary>
    public static ComBatCovariate Preserved(string name, IReadOnlyList<double> values) => new(name, values);

    /// <summary>A covariate known only when fitting (the label); never passed to <see cref="ComBatModel.Apply"/>.</summary>
    public static ComBatCovariate TrainingOnlyOutcome(string name, IReadOnlyList<double> values) => new(name, values, TrainingOnly: true);
}
