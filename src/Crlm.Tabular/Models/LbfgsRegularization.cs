namespace Crlm.Tabular.Models;

/// <summary>
/// ML.NET L-BFGS regularisation weights equivalent to scikit-learn's (C, penalty, l1_ratio).
/// </summary>
/// <remarks>
/// scikit-learn minimises <c>C·Σ sᵢ·ℓᵢ + R(w)</c> with R = ½‖w‖² (l2), ‖w‖₁ (l1) or
/// r‖w‖₁ + (1−r)/2‖w‖² (elasticnet), sᵢ the sample (class) weights, the intercept unpenalised.
/// ML.NET's LbfgsTrainerBase.DifferentiableFunction returns <c>(Σ sᵢ·ℓᵢ + L2/2‖w‖²) / W</c> with
/// W = Σ sᵢ (biases skipped by the penalty), and its OWL-QN adds <c>(L1/N)·‖w‖₁</c> to that, N the
/// row count. Multiplying by W: <c>Σ sᵢℓᵢ + L2/2‖w‖² + L1·(W/N)‖w‖₁</c>, the same minimiser as
/// scikit-learn's objective divided by C when <c>L2 = (1−r)/C</c> and <c>L1 = r·N/(W·C)</c>
/// (r = 1 for l1, 0 for l2). With unit weights, or the balanced weights n/(2·n_c) (whose sum is n),
/// W = N and L1 = r/C.
/// </remarks>
public readonly record struct LbfgsRegularization(float L1Weight, float L2Weight)
{
    /// <summary>W = Σ sᵢ, or the row count when <paramref name="weights"/> is empty (every weight 1).</summary>
    public static double WeightSum(ReadOnlySpan<float> weights, int rowCount)
    {
        if (weights.IsEmpty)
        {
            return rowCount;
        }

        double sum = 0;
        foreach (float w in weights)
        {
            sum += w;
        }

        return sum;
    }

    public static LbfgsRegularization From(BenchmarkModelConfig config, int rowCount, double weightSum)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        double r = config.Penalty switch
        {
            Penalty.L1 => 1.0,
            Penalty.L2 => 0.0,
            _ => config.L1Ratio ?? throw new ArgumentException("ElasticNet needs L1Ratio", nameof(config)),
        };
        double l1 = r * rowCount / (weightSum * config.C);
        double l2 = (1 - r) / config.C;
        return new LbfgsRegularization((float)l1, (float)l2);
    }
}
