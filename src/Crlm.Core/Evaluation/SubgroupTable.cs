namespace Crlm.Core.Evaluation;

/// <summary>One subgroup (site, dataset, phase) evaluated at the overall threshold.</summary>
/// <param name="Auc">Null when the subgroup has one class only.</param>
public sealed record SubgroupRow(string Group, int N, int NPositive, double? Auc, double Brier, OperatingPoint OperatingPoint);

/// <summary>
/// Per-subgroup metrics, as metrics.py's per_group: every subgroup at the <b>overall</b> threshold (a per-site
/// threshold would flatter each site), rows sorted by group name as ordinal strings.
/// </summary>
public static class SubgroupTable
{
    public static IReadOnlyList<SubgroupRow> By(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, IReadOnlyList<string> groups, double threshold)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Inputs.Check(positive, probabilities);
        if (groups.Count != positive.Length)
        {
            throw new ArgumentException($"groups ({groups.Count}) and labels ({positive.Length}) differ in length", nameof(groups));
        }

        var members = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < groups.Count; i++)
        {
            string g = groups[i] ?? throw new ArgumentException($"group {i} is null", nameof(groups));
            if (!members.TryGetValue(g, out var list))
            {
                members[g] = list = [];
            }

            list.Add(i);
        }

        var rows = new List<SubgroupRow>(members.Count);
        foreach (var (group, idx) in members)
        {
            var yy = new bool[idx.Count];
            var pp = new double[idx.Count];
            for (int k = 0; k < idx.Count; k++)
            {
                yy[k] = positive[idx[k]];
                pp[k] = probabilities[idx[k]];
            }

            var ranked = RankedScores.From(yy, pp);
            rows.Add(new SubgroupRow(
                group,
                idx.Count,
                ranked.TotalPositive,
                ranked.Auc(),
                BrierScore.Mean(yy, pp),
                OperatingPoint.FromConfusion(ConfusionMatrix.Count(yy, pp, threshold), threshold)));
        }

        return rows;
    }

    public static IReadOnlyList<SubgroupRow> BySite(IReadOnlyList<PatientPrediction> patients, double threshold) =>
        By(patients, p => p.Site, threshold);

    /// <summary>Per dataset, e.g. internal test vs external.</summary>
    public static IReadOnlyList<SubgroupRow> ByDataset(IReadOnlyList<PatientPrediction> patients, double threshold) =>
        By(patients, p => p.Dataset, threshold);

    /// <summary>
    /// Per contrast phase. Phase belongs to a scan, not a patient, so each patient contributes one row per phase they
    /// were scanned in: the mean over that patient's scans of that phase (<see cref="PatientAggregation.ByPatientAndPhase"/>).
    /// </summary>
    public static IReadOnlyList<SubgroupRow> ByPhase(IReadOnlyList<ScanPrediction> scans, double threshold)
    {
        var rows = PatientAggregation.ByPatientAndPhase(scans);
        return By(rows, p => p.Phase!, threshold);
    }

    private static IReadOnlyList<SubgroupRow> By(IReadOnlyList<PatientPrediction> patients, Func<PatientPrediction, string> group, double threshold)
    {
        ArgumentNullException.ThrowIfNull(patients);
        bool[] y = patients.Select(p => p.Positive).ToArray();
        double[] p = patients.Select(p => p.Probability).ToArray();
        return By(y, p, patients.Select(group).ToArray(), threshold);
    }
}
