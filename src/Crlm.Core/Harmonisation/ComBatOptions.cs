namespace Crlm.Core.Harmonisation;

/// <summary>Which batch effects ComBat estimates and removes.</summary>
public enum ComBatVariant
{
    /// <summary>Additive (gamma) and multiplicative (delta²) site effects with parametric empirical-Bayes shrinkage.</summary>
    Parametric,

    /// <summary>Additive site effects only (delta² fixed to 1): a cheap, common variant when site scales look alike.</summary>
    MeanOnly,
}

/// <summary>What <see cref="ComBatModel.Apply"/> does with rows of a site that had no training rows.</summary>
public enum UnseenSitePolicy
{
    /// <summary>Refuse, naming the sites: there is no estimate of their effect, and guessing one hides the gap.</summary>
    Error,

    /// <summary>Return those rows un-harmonised, with a warning naming the sites.</summary>
    PassThrough,
}

/// <summary>What <see cref="ComBatModel.Fit"/> does with a site that has a single training row.</summary>
public enum SingleRowSitePolicy
{
    /// <summary>
    /// One row gives a mean but no variance: remove the (shrunk) mean shift only, delta² = 1, with a warning.
    /// </summary>
    MeanShiftOnly,

    /// <summary>Refuse, naming the sites.</summary>
    Error,
}

/// <summary>How a ComBat model is fitted and applied; the defaults are neuroCombat's parametric EB with explicit errors.</summary>
public sealed record ComBatOptions
{
    public ComBatVariant Variant { get; init; } = ComBatVariant.Parametric;

    public UnseenSitePolicy UnseenSites { get; init; } = UnseenSitePolicy.Error;

    public SingleRowSitePolicy SingleRowSites { get; init; } = SingleRowSitePolicy.MeanShiftOnly;

    /// <summary>The EB iteration stops when the largest relative change of gamma* or delta² is at most this (neuroCombat: 1e-4).</summary>
    public double Convergence { get; init; } = 1e-4;

    /// <summary>A guard against a non-converging iteration (neuroCombat has none); the fixtures need 3 to 5.</summary>
    public int MaxIterations { get; init; } = 10_000;

    public static ComBatOptions Default { get; } = new();
}
