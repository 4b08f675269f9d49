namespace Crlm.Core.Evaluation;

/// <summary>
/// Threshold metrics, as ../shared/peers/metrics.py reports them under operating_point. A ratio whose denominator is
/// zero is null (undefined), never 0: sensitivity without positives, specificity without negatives, precision when
/// nothing is called positive, F1 when 2TP + FP + FN = 0, balanced accuracy when either rate is undefined.
/// </summary>
public sealed record OperatingPoint(
    double Threshold,
    double? Sensitivity,
    double? Specificity,
    double? BalancedAccuracy,
    double? Precision,
    double? F1,
    double? Accuracy,
    ConfusionMatrix Confusion)
{
    /// <summary>Metrics with positive ⇔ probability ≥ <paramref name="threshold"/>; the threshold usually comes from
    /// development data (<see cref="YoudenThreshold.Find"/>) and is carried unchanged to test data.</summary>
    public static OperatingPoint At(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, double threshold)
    {
        Inputs.Check(positive, probabilities);
        return FromConfusion(ConfusionMatrix.Count(positive, probabilities, threshold), threshold);
    }

    public static OperatingPoint FromConfusion(ConfusionMatrix c, double threshold)
    {
        double? sensitivity = Ratio(c.Tp, c.Tp + c.Fn);
        double? specificity = Ratio(c.Tn, c.Tn + c.Fp);
        double? balanced = sensitivity is double se && specificity is double sp ? (se + sp) / 2 : null;
        return new OperatingPoint(
            threshold,
            sensitivity,
            specificity,
            balanced,
            Ratio(c.Tp, c.Tp + c.Fp),
            Ratio(2 * c.Tp, (2 * c.Tp) + c.Fp + c.Fn),
            Ratio(c.Tp + c.Tn, c.Total),
            c);
    }

    private static double? Ratio(int numerator, int denominator) => denominator > 0 ? (double)numerator / denominator : null;
}
