using Crlm.Core.Search;

namespace Crlm.Pipelines.Benchmark;

/// <summary>Rows of one encoder's embeddings (plus any covariates): one per scan, row-major features, binary target.</summary>
public sealed record BenchmarkRows(IReadOnlyList<float[]> Features, IReadOnlyList<bool> Labels, IReadOnlyList<string> PatientIds, IReadOnlyList<string> Sites)
{
    public int Count => Labels.Count;

    public int Dimension => Features.Count == 0 ? 0 : Features[0].Length;

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public BenchmarkRows Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new BenchmarkRows(
            indices.Select(i => Features[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(),
            indices.Select(i => PatientIds[i]).ToArray(), indices.Select(i => Sites[i]).ToArray());
    }
}

/// <summary>Per-fold validation AUCs (null for a single-class fold), their mean and the out-of-fold probabilities in row order.</summary>
public sealed record BenchmarkCrossValidation(IReadOnlyList<double?> FoldAucs, double MeanAuc, IReadOnlyList<double> OutOfFold);

/// <summary>A fitted model: probabilities for new rows, and its file.</summary>
public interface IBenchmarkModel
{
    double[] Predict(IReadOnlyList<float[]> features);

    void Save(string path);
}

/// <summary>
/// The per-encoder model the benchmark stage searches (standardise -> SMOTE -> PCA -> logistic regression in this
/// build), behind an interface so that Crlm.Pipelines does not reference Crlm.Tabular: ML.NET and ONNX Runtime bring
/// native libraries that Crlm.Core.Tests (which references Crlm.Pipelines) has no use for. The composition root
/// (src/Crlm.Cli/TabularBenchmarkLearner.cs) supplies the real one, as it supplies the embed stage's encoders.
/// Implementations must be safe to call from several threads at once (trials run in parallel).
/// </summary>
public interface IBenchmarkLearner
{
    /// <summary>Names the model and its code version; part of the trial store's key, so a changed model never reuses old trials.</summary>
    string Identity { get; }

    /// <summary>k-fold CV of one configuration on fixed folds (<paramref name="foldOfRow"/>: 0..k-1 per row).</summary>
    BenchmarkCrossValidation CrossValidate(BenchmarkRows rows, IReadOnlyList<int> foldOfRow, ParameterAssignment parameters, long seed);

    /// <summary>Fits one configuration on all of <paramref name="rows"/>.</summary>
    IBenchmarkModel Fit(BenchmarkRows rows, ParameterAssignment parameters, long seed);

    /// <summary>The configuration as the model reads it (for benchmark.json), e.g. with defaults for absent parameters.</summary>
    IReadOnlyDictionary<string, object?> Describe(ParameterAssignment parameters);
}
