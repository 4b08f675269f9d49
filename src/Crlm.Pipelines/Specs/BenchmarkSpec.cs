using Crlm.Core.Harmonisation;
using Crlm.Core.Search;

namespace Crlm.Pipelines.Specs;

/// <summary>The search's sampler: Optuna-style TPE (the study's) or plain random search.</summary>
public enum BenchmarkSampler
{
    Tpe,
    Random,
}

/// <summary>Where the operating point's threshold comes from.</summary>
public enum BenchmarkThreshold
{
    /// <summary>Youden on the training out-of-fold predictions, carried unchanged to test (honest; the default).</summary>
    YoudenCv,

    /// <summary>Youden chosen on the test set itself (optimistic; what many papers report).</summary>
    YoudenTest,
}

/// <summary>A clinical covariate appended to the embedding (the study's multivariable model).</summary>
public enum BenchmarkCovariate
{
    Age,
    Sex,
}

/// <summary>
/// The spec's <c>benchmark:</c> block (docs/pipelines.md): how the per-encoder SMOTE -> PCA -> logistic-regression
/// model is searched, harmonised and evaluated. Every default is the study's.
/// </summary>
public sealed record BenchmarkSpec
{
    public BenchmarkSampler Sampler { get; init; } = BenchmarkSampler.Tpe;

    /// <summary>Total trials per encoder (resumed ones included).</summary>
    public int Trials { get; init; } = 50;

    /// <summary>Wall-clock budget per encoder's search; null = none.</summary>
    public double? TimeBudgetSeconds { get; init; }

    /// <summary>CV folds; null = the split stage's folds.</summary>
    public int? Folds { get; init; }

    /// <summary>
    /// Trials proposed from the same history and run in parallel. Part of the search's identity, so it is a fixed
    /// number rather than the core count: the same spec gives the same trials on a 2-core laptop and a 64-core server.
    /// </summary>
    public int Batch { get; init; } = 4;

    /// <summary>Upper bound on pca_components besides n_features and the smallest training fold (the peer's --pca-max).</summary>
    public int? PcaMax { get; init; }

    /// <summary>Parameters that replace the default space's definition of the same name (docs/search.md's YAML shape).</summary>
    public IReadOnlyList<ParameterDefinition> Space { get; init; } = [];

    /// <summary>ComBat by site, fitted inside each training fold (and on all training rows for the final model).</summary>
    public bool Combat { get; init; }

    /// <summary>What ComBat does with held-out rows of a site without training rows; null = not given (an error if met).</summary>
    public UnseenSitePolicy? CombatUnseenSites { get; init; }

    public IReadOnlyList<BenchmarkCovariate> Covariates { get; init; } = [];

    /// <summary>Bootstrap resamples over patients for the 95% CIs.</summary>
    public int Bootstrap { get; init; } = 1000;

    public BenchmarkThreshold Threshold { get; init; } = BenchmarkThreshold.YoudenCv;
}
