namespace Crlm.Core.Evaluation;

/// <summary>
/// Point estimates on one labelled set, as the top level of metrics.py's output: AUC, the set's own Youden threshold
/// and the operating point there, Brier.
/// </summary>
public sealed record BinaryEvaluation(
    int N,
    int NPositive,
    int NNegative,
    double Auc,
    YoudenThreshold Youden,
    OperatingPoint OperatingPoint,
    double Brier)
{
    /// <summary>Needs both classes (the Youden threshold and AUC are undefined otherwise).</summary>
    public static BinaryEvaluation Evaluate(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities)
    {
        Inputs.Check(positive, probabilities);
        var ranked = RankedScores.From(positive, probabilities);
        if (!ranked.HasBothClasses)
        {
            throw new ArgumentException(
                $"need both classes to evaluate ({ranked.TotalPositive} positive, {ranked.TotalNegative} negative)", nameof(positive));
        }

        YoudenThreshold youden = ranked.Youden()!;
        return new BinaryEvaluation(
            positive.Length,
            ranked.TotalPositive,
            ranked.TotalNegative,
            ranked.Auc()!.Value,
            youden,
            OperatingPoint.FromConfusion(ConfusionMatrix.Count(positive, probabilities, youden.Threshold), youden.Threshold),
            BrierScore.Mean(positive, probabilities));
    }
}
