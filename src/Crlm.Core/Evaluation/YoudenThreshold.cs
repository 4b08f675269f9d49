namespace Crlm.Core.Evaluation;

/// <summary>
/// The Youden-optimal threshold (maximum of J = sensitivity + specificity − 1) and its J. Chosen on development data;
/// apply it elsewhere with <see cref="OperatingPoint.At"/>. Decision rule: positive ⇔ probability ≥ threshold.
/// </summary>
public sealed record YoudenThreshold(double Threshold, double J)
{
    /// <summary>
    /// The threshold as ../shared/peers/metrics.py picks it: argmax of TPR − FPR over
    /// sklearn.metrics.roc_curve(drop_intermediate=False), first maximum (= highest threshold among ties). The
    /// threshold is an observed probability whenever some threshold has J &gt; 0; otherwise it is max(p) + 1, as
    /// sklearn 1.2 reports. Null when only one class is present (J is undefined).
    /// </summary>
    public static YoudenThreshold? Find(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities)
    {
        Inputs.Check(positive, probabilities);
        return RankedScores.From(positive, probabilities).Youden();
    }
}
