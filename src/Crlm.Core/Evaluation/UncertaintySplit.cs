namespace Crlm.Core.Evaluation;

/// <summary>Metrics of one part (certain or uncertain) of an uncertainty split.</summary>
/// <param name="Auc">Null with one class.</param>
/// <param name="BalancedAccuracy">At the overall threshold; null when a class is missing or the part is empty.</param>
public sealed record UncertaintyPart(int N, int NPositive, double? Auc, double? BalancedAccuracy);

/// <param name="RetainedFraction">j/10: the share of patients kept as "certain".</param>
/// <param name="NCertain">k = ⌊j·n/10⌋.</param>
public sealed record UncertaintySplitRow(double RetainedFraction, int NCertain, UncertaintyPart Certain, UncertaintyPart Uncertain);

/// <summary>
/// Certain vs uncertain curves, as metrics.py's uncertainty_split: patients sorted by uncertainty ascending (stable, so
/// ties keep input order); for j = 1..9 the first k = ⌊j·n/10⌋ are "certain" and the rest "uncertain"; each part's AUC
/// and balanced accuracy at the overall threshold.
/// </summary>
public static class UncertaintySplit
{
    public static IReadOnlyList<UncertaintySplitRow> Compute(
        ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> uncertainty, double threshold)
    {
        Inputs.Check(positive, probabilities);
        if (uncertainty.Length != positive.Length)
        {
            throw new ArgumentException($"uncertainty ({uncertainty.Length}) and labels ({positive.Length}) differ in length", nameof(uncertainty));
        }

        int n = positive.Length;
        double[] u = uncertainty.ToArray();
        // OrderBy is a stable sort, as numpy's kind="stable".
        int[] order = Enumerable.Range(0, n).OrderBy(i => u[i]).ToArray();
        bool[] y = positive.ToArray();
        double[] p = probabilities.ToArray();

        UncertaintyPart Part(ReadOnlySpan<int> idx)
        {
            var yy = new bool[idx.Length];
            var pp = new double[idx.Length];
            for (int k = 0; k < idx.Length; k++)
            {
                yy[k] = y[idx[k]];
                pp[k] = p[idx[k]];
            }

            var ranked = RankedScores.From(yy, pp);
            double? balanced = idx.IsEmpty ? null : OperatingPoint.FromConfusion(ConfusionMatrix.Count(yy, pp, threshold), threshold).BalancedAccuracy;
            return new UncertaintyPart(idx.Length, ranked.TotalPositive, ranked.Auc(), balanced);
        }

        var rows = new List<UncertaintySplitRow>(9);
        for (int j = 1; j <= 9; j++)
        {
            int k = j * n / 10;
            rows.Add(new UncertaintySplitRow(j / 10.0, k, Part(order.AsSpan(0, k)), Part(order.AsSpan(k))));
        }

        return rows;
    }
}
