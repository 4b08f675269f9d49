namespace Crlm.Tabular.Models;

/// <summary>The logistic regression's penalty, as scikit-learn's <c>penalty</c>.</summary>
public enum Penalty
{
    L1,
    L2,
    ElasticNet,
}

/// <summary>
/// One configuration of the FM benchmark's per-encoder model (standardise -> SMOTE -> PCA -> logistic
/// regression), with the study's parameter names: <c>pca_components</c>, <c>C</c>, <c>penalty</c>,
/// <c>l1_ratio</c>, <c>class_weight</c>, <c>max_iter</c>. The solver is not a parameter: every penalty is
/// fitted by ML.NET's L-BFGS (OWL-QN for L1), and the peer's <c>liblinear</c> is treated as <c>lbfgs</c>
/// (docs/fm-benchmark-model.md says what that changes).
/// </summary>
public sealed record BenchmarkModelConfig(int PcaComponents, double C, Penalty Penalty, double? L1Ratio, bool BalancedClassWeight, int MaxIterations)
{
    /// <summary>SMOTE's k_neighbors in the study (imbalanced-learn's default).</summary>
    public const int SmoteNeighbors = 5;

    /// <summary>Every problem of this configuration, in words; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (PcaComponents < 1)
        {
            problems.Add($"PcaComponents must be at least 1, got {PcaComponents}");
        }

        if (!(C > 0) || double.IsInfinity(C))
        {
            problems.Add($"C must be a positive finite number, got {C}");
        }

        if (Penalty == Penalty.ElasticNet)
        {
            if (L1Ratio is not { } r)
            {
                problems.Add("L1Ratio is required when Penalty is ElasticNet");
            }
            else if (!(r >= 0 && r <= 1))
            {
                problems.Add($"L1Ratio must be in [0, 1], got {r}");
            }
        }
        else if (L1Ratio is not null)
        {
            problems.Add($"L1Ratio applies only to ElasticNet, but Penalty is {Penalty}");
        }

        if (MaxIterations < 1)
        {
            problems.Add($"MaxIterations must be at least 1, got {MaxIterations}");
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem at once.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid benchmark model configuration: " + string.Join("; ", problems));
        }
    }

    /// <summary>
    /// The peer's parameters (fm_benchmark.py <c>best_params</c>). <paramref name="solver"/> is checked but
    /// not kept: lbfgs and liblinear both map to L-BFGS, saga is what the peer uses for l1 and elasticnet.
    /// </summary>
    public static BenchmarkModelConfig FromPeer(int pcaComponents, double c, string penalty, string solver, double? l1Ratio, string classWeight, int maxIter)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(classWeight);
        var p = penalty switch
        {
            "l1" => Penalty.L1,
            "l2" => Penalty.L2,
            "elasticnet" => Penalty.ElasticNet,
            _ => throw new ArgumentException($"penalty must be l1, l2 or elasticnet, got '{penalty}'", nameof(penalty)),
        };
        if (solver is not ("lbfgs" or "liblinear" or "saga"))
        {
            throw new ArgumentException($"solver must be lbfgs, liblinear or saga, got '{solver}'", nameof(solver));
        }

        bool balanced = classWeight switch
        {
            "balanced" => true,
            "none" => false,
            _ => throw new ArgumentException($"class_weight must be balanced or none, got '{classWeight}'", nameof(classWeight)),
        };
        var config = new BenchmarkModelConfig(pcaComponents, c, p, p == Penalty.ElasticNet ? l1Ratio : null, balanced, maxIter);
        config.Validate();
        return config;
    }
}
