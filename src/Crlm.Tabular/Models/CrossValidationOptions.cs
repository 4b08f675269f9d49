namespace Crlm.Tabular.Models;

/// <summary>How a fold of <see cref="BenchmarkCrossValidator"/> fits its model.</summary>
public enum FoldFitPath
{
    /// <summary>Scaler on arrays, no ML.NET normaliser per fold (the default; same results as <see cref="MlNet"/>, see docs/fm-benchmark-model.md).</summary>
    Arrays,

    /// <summary>Exactly <see cref="BenchmarkModelTrainer.Fit"/>, the saved model's fit: kept as the reference the fast path is tested against.</summary>
    MlNet,
}

/// <summary>Execution settings of <see cref="BenchmarkCrossValidator"/>; none of them changes a result.</summary>
public sealed record CrossValidationOptions
{
    /// <summary>
    /// Folds fitted at once (default: every core). Each fold has its own SMOTE stream and writes only its own
    /// rows' out-of-fold probabilities, so results are the same for every value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public FoldFitPath FitPath { get; init; } = FoldFitPath.Arrays;

    /// <summary>
    /// On the <see cref="FoldFitPath.Arrays"/> path, keep each fold's scaler, SMOTE rows and full PCA basis across
    /// trials on the same folds and seed, so a trial only projects and fits the classifier (default: true). Off, every
    /// trial refits them with <see cref="BenchmarkModelTrainer.FitFold"/>; the results are the same either way (test).
    /// </summary>
    public bool ReuseFoldPreparation { get; init; } = true;
}
