namespace Crlm.Core.Evaluation;

/// <summary>Mean squared error of the probabilities against the 0/1 outcome (sklearn's brier_score_loss).</summary>
public static class BrierScore
{
    /// <summary>mean((p − y)²); null for an empty set.</summary>
    public static double? Compute(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities)
    {
        Inputs.Check(positive, probabilities);
        return positive.IsEmpty ? null : Mean(positive, probabilities);
    }

    internal static double Mean(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities)
    {
        double sum = 0;
        for (int i = 0; i < positive.Length; i++)
        {
            double d = probabilities[i] - (positive[i] ? 1.0 : 0.0);
            sum += d * d;
        }

        return sum / positive.Length;
    }
}
