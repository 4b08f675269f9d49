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
}
