using System.Runtime.CompilerServices;
using Crlm.Core.Search;
using Crlm.Pipelines.Benchmark;
using Crlm.Tabular.Models;
using Microsoft.ML;

namespace Crlm.Cli;

/// <summary>
/// The benchmark stage's model in this build: Crlm.Tabular's standardise -> SMOTE -> exact PCA -> L-BFGS logistic
/// regression (docs/fm-benchmark-model.md). Wired here, at the composition root, so that Crlm.Pipelines need not
/// reference ML.NET. Cross-validation shares one validator per row set (its fold preparation is cached and
/// thread-safe); every refit makes its own MLContext, which is not meant to be shared between concurrent trainings.
/// </summary>
internal sealed class TabularBenchmarkLearner : IBenchmarkLearner
{
    private readonly ConditionalWeakTable<BenchmarkRows, BenchmarkCrossValidator> _validators = new();

    /// <summary>Bump when the model's numbers change for the same configuration, so stored trials are not reused.</summary>
    public string Identity => "crlm-tabular-logreg/1 (standardise, smote k=5, exact pca, lbfgs)";

    public BenchmarkCrossValidation CrossValidate(BenchmarkRows rows, IReadOnlyList<int> foldOfRow, ParameterAssignment parameters, long seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // One validator per row set for the whole search: it keeps each fold's scaler, SMOTE rows and PCA basis,
        // which do not depend on a trial's parameters, so a trial only projects and fits the regression.
        var validator = _validators.GetValue(rows, r => new BenchmarkCrossValidator(new MLContext(seed: 0), ModelRows(r)));
        var result = validator.Evaluate(foldOfRow, Config(parameters), seed);
        return new BenchmarkCrossValidation(result.FoldAucs, result.MeanAuc, result.OutOfFoldProbabilities);
    }

    public IBenchmarkModel Fit(BenchmarkRows rows, ParameterAssignment parameters, long seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int d = rows.Dimension;
        var features = new float[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            rows.Features[i].CopyTo(features, i * d);
        }

        var model = new BenchmarkModelTrainer(new MLContext(seed: 0)).Fit(features, rows.Count, d, rows.Labels.ToArray(), Config(parameters), seed);
        return new Fitted(model);
    }

    public IReadOnlyDictionary<string, object?> Describe(ParameterAssignment parameters)
    {
        var c = Config(parameters);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [BenchmarkSpace.PcaComponents] = c.PcaComponents,
            [BenchmarkSpace.C] = c.C,
            [BenchmarkSpace.Penalty] = c.Penalty switch { Penalty.L1 => "l1", Penalty.L2 => "l2", _ => "elasticnet" },
            [BenchmarkSpace.L1Ratio] = c.L1Ratio,
            [BenchmarkSpace.ClassWeight] = c.BalancedClassWeight ? "balanced" : "none",
            [BenchmarkSpace.MaxIter] = c.MaxIterations,
            ["solver"] = "lbfgs",
        };
    }

    /// <summary>
    /// A trial's parameters as the model's configuration. Absent parameters (a spec space that leaves one out)
    /// take scikit-learn's defaults; l1_ratio is used only with elasticnet, whatever the space says.
    /// </summary>
    internal static BenchmarkModelConfig Config(ParameterAssignment parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var penalty = (parameters.Contains(BenchmarkSpace.Penalty) ? parameters.GetChoice(BenchmarkSpace.Penalty) : "l2") switch
        {
            "l1" => Penalty.L1,
            "elasticnet" => Penalty.ElasticNet,
            _ => Penalty.L2,
        };
        double? l1Ratio = penalty == Penalty.ElasticNet
            ? parameters.Contains(BenchmarkSpace.L1Ratio) ? parameters.GetDouble(BenchmarkSpace.L1Ratio) : 0.5
            : null;
        return new BenchmarkModelConfig(
            parameters.GetInt(BenchmarkSpace.PcaComponents),
            parameters.Contains(BenchmarkSpace.C) ? parameters.GetDouble(BenchmarkSpace.C) : 1.0,
            penalty,
            l1Ratio,
            parameters.Contains(BenchmarkSpace.ClassWeight) && parameters.GetChoice(BenchmarkSpace.ClassWeight) == "balanced",
            parameters.Contains(BenchmarkSpace.MaxIter) ? parameters.GetInt(BenchmarkSpace.MaxIter) : 100);
    }

    private static ModelRow[] ModelRows(BenchmarkRows rows) =>
        [.. Enumerable.Range(0, rows.Count).Select(i => new ModelRow(rows.Features[i], rows.Labels[i], rows.PatientIds[i], rows.Sites[i]))];

    private sealed class Fitted(BenchmarkModel model) : IBenchmarkModel
    {
        public double[] Predict(IReadOnlyList<float[]> features)
        {
            ArgumentNullException.ThrowIfNull(features);
            int d = model.FeatureCount;
            var flat = new float[features.Count * d];
            for (int i = 0; i < features.Count; i++)
            {
                features[i].CopyTo(flat, i * d);
            }

            return model.PredictProbabilities(flat);
        }

        public void Save(string path) => model.Save(path);
    }
}
