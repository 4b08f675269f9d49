using System.Globalization;
using System.Text;
using Crlm.Core.IO;

namespace Crlm.Core.Cohort;

/// <summary>Patients per site, set and label: the cohort table a reviewer checks first.</summary>
public sealed record SiteSplitSummary(
    string Site,
    bool External,
    int TrainCrlm,
    int TrainNonCrlm,
    int TrainNegative,
    int TestCrlm,
    int TestNonCrlm,
    int TestNegative)
{
    public int Train => TrainCrlm + TrainNonCrlm + TrainNegative;

    public int Test => TestCrlm + TestNonCrlm + TestNegative;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Site}{(External ? " (external)" : "")}: train {Train} (crlm {TrainCrlm}, non_crlm {TrainNonCrlm}, negative {TrainNegative}), " +
        $"test {Test} (crlm {TestCrlm}, non_crlm {TestNonCrlm}, negative {TestNegative})");
}

public static class SplitSummary
{
    public static IReadOnlyList<SiteSplitSummary> BySite(CohortSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.Patients
            .GroupBy(p => p.Site, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                int Count(SplitSet set, CohortLabel label) => g.Count(p => p.Set == set && p.Label == label);
                return new SiteSplitSummary(
                    g.Key,
                    g.Any(p => p.ExternalSite),
                    Count(SplitSet.Train, CohortLabel.Crlm),
                    Count(SplitSet.Train, CohortLabel.NonCrlm),
                    Count(SplitSet.Train, CohortLabel.Negative),
                    Count(SplitSet.Test, CohortLabel.Crlm),
                    Count(SplitSet.Test, CohortLabel.NonCrlm),
                    Count(SplitSet.Test, CohortLabel.Negative));
            })
            .ToArray();
    }

    public static void Write(string path, IReadOnlyList<SiteSplitSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder("site,external,train_crlm,train_non_crlm,train_negative,test_crlm,test_non_crlm,test_negative\n");
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{CsvTable.Escape(r.Site)},{(r.External ? "true" : "false")},{r.TrainCrlm},{r.TrainNonCrlm},{r.TrainNegative},{r.TestCrlm},{r.TestNonCrlm},{r.TestNegative}\n");
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }
}
