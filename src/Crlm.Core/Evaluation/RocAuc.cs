namespace Crlm.Core.Evaluation;

/// <summary>Area under the ROC curve.</summary>
public static class RocAuc
{
    /// <summary>
    /// The Mann–Whitney statistic P(p₊ &gt; p₋) + ½·P(p₊ = p₋), equal to sklearn's roc_auc_score, in O(n log n).
    /// Null when only one class is present: the AUC is undefined there, and 0.5 would look like a real value.
    /// </summary>
    public static double? Compute(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        Inputs.Check(positive, scores);
        return RankedScores.From(positive, scores).Auc();
    }
}
