namespace Crlm.Core.Evaluation;

/// <summary>
/// Scores grouped into distinct values, highest first, with the positives and negatives at each value. AUC, the ROC
/// curve and the Youden threshold all walk these groups, so one sort serves all three (the bootstrap needs all of
/// them per resample).
/// </summary>
internal sealed class RankedScores
{
    private RankedScores(double[] values, int[] positives, int[] negatives, int totalPositive, int totalNegative)
    {
        Values = values;
        Positives = positives;
        Negatives = negatives;
        TotalPositive = totalPositive;
        TotalNegative = totalNegative;
    }

    /// <summary>Distinct scores, descending.</summary>
    public double[] Values { get; }

    /// <summary>Positives whose score equals <see cref="Values"/>[g].</summary>
    public int[] Positives { get; }

    /// <summary>Negatives whose score equals <see cref="Values"/>[g].</summary>
    public int[] Negatives { get; }

    public int TotalPositive { get; }

    public int TotalNegative { get; }

    public bool HasBothClasses => TotalPositive > 0 && TotalNegative > 0;

    /// <summary>Inputs are assumed checked (<see cref="Inputs.Check"/>).</summary>
    public static RankedScores From(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        int n = scores.Length;
        double[] keys = scores.ToArray();
        bool[] labels = positive.ToArray();
        // Order among equal scores does not matter: ties are merged into one group below.
        Array.Sort(keys, labels);

        var values = new List<double>();
        var pos = new List<int>();
        var neg = new List<int>();
        int totalPositive = 0;
        int i = n - 1;
        while (i >= 0)
        {
            double v = keys[i];
            int p = 0, q = 0;
            while (i >= 0 && keys[i] == v)
            {
                if (labels[i])
                {
                    p++;
                }
                else
                {
                    q++;
                }

                i--;
            }

            values.Add(v);
            pos.Add(p);
            neg.Add(q);
            totalPositive += p;
        }

        return new RankedScores(values.ToArray(), pos.ToArray(), neg.ToArray(), totalPositive, n - totalPositive);
    }

    /// <summary>
    /// Mann–Whitney AUC: over all (positive, negative) pairs, 1 when the positive scores higher, ½ when tied. Counting
    /// per tie group keeps it O(n log n); the numerator is a sum of integers and halves, exact in double.
    /// </summary>
    public double? Auc()
    {
        if (!HasBothClasses)
        {
            return null;
        }

        double pairs = 0;
        long negativesBelow = TotalNegative;
        for (int g = 0; g < Values.Length; g++)
        {
            negativesBelow -= Negatives[g];
            pairs += Positives[g] * (negativesBelow + 0.5 * Negatives[g]);
        }

        return pairs / ((double)TotalPositive * TotalNegative);
    }

    /// <summary>
    /// argmax of J = TPR − FPR over the thresholds of sklearn's roc_curve(drop_intermediate=False), scanning from the
    /// highest threshold and keeping the first maximum, as numpy's argmax does. TPR and FPR are computed with the same
    /// operations as sklearn (tp/P, fp/N), so ties in J are resolved identically.
    /// </summary>
    public YoudenThreshold? Youden()
    {
        if (!HasBothClasses)
        {
            return null;
        }

        // sklearn 1.2's first ROC point has threshold max+1 (nothing positive) and J = 0. It wins only when no
        // observed threshold has J > 0 (scores no better than chance everywhere, e.g. reversed or all tied); then
        // the threshold is max+1, not an observed probability, and everything is called negative. Kept as sklearn 1.2
        // does it so the peer's numbers reproduce.
        double bestJ = 0.0;
        double bestThreshold = Values[0] + 1.0;
        int tp = 0, fp = 0;
        for (int g = 0; g < Values.Length; g++)
        {
            tp += Positives[g];
            fp += Negatives[g];
            double j = (double)tp / TotalPositive - (double)fp / TotalNegative;
            if (j > bestJ)
            {
                bestJ = j;
                bestThreshold = Values[g];
            }
        }

        return new YoudenThreshold(bestThreshold, bestJ);
    }
}
