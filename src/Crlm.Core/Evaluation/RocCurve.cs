namespace Crlm.Core.Evaluation;

/// <summary>
/// ROC curve points for plotting, as sklearn.metrics.roc_curve(drop_intermediate=False) returns them: one point per
/// distinct score, highest threshold first, preceded by the (0, 0) point. Point i counts p ≥ Thresholds[i] as
/// positive.
/// </summary>
public sealed record RocCurve(IReadOnlyList<double> FalsePositiveRates, IReadOnlyList<double> TruePositiveRates, IReadOnlyList<double> Thresholds)
{
    /// <summary>
    /// The curve, or null when only one class is present (one of the rates would divide by zero). The first threshold
    /// is max(p) + 1, as in sklearn 1.2 (sklearn ≥ 1.3 writes +∞ there): a finite number keeps JSON output valid.
    /// </summary>
    public static RocCurve? Compute(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        Inputs.Check(positive, scores);
        var ranked = RankedScores.From(positive, scores);
        if (!ranked.HasBothClasses)
        {
            return null;
        }

        int points = ranked.Values.Length + 1;
        var fpr = new double[points];
        var tpr = new double[points];
        var thresholds = new double[points];
        thresholds[0] = ranked.Values[0] + 1.0;
        int tp = 0, fp = 0;
        for (int g = 0; g < ranked.Values.Length; g++)
        {
            tp += ranked.Positives[g];
            fp += ranked.Negatives[g];
            tpr[g + 1] = (double)tp / ranked.TotalPositive;
            fpr[g + 1] = (double)fp / ranked.TotalNegative;
            thresholds[g + 1] = ranked.Values[g];
        }

        return new RocCurve(fpr, tpr, thresholds);
    }
}
