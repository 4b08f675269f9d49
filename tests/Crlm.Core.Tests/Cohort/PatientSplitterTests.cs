using Crlm.Core.Cohort;
using Crlm.Core.Randomness;

namespace Crlm.Core.Tests.Cohort;

public class PatientSplitterTests
{
    /// <summary>A cohort with uneven sites and class mixes, some patients with several scans.</summary>
    private static List<PatientRecord> Cohort(int seed = 1)
    {
        var rng = new SplitMix64(seed);
        var patients = new List<PatientRecord>();
        var sites = new (string Site, int Crlm, int NonCrlm, int Negative)[]
        {
            ("site_a", 37, 11, 23), ("site_b", 18, 9, 4), ("site_c", 7, 3, 12), ("site_d", 1, 1, 2), ("external", 25, 0, 0),
        };
        foreach (var (site, crlm, nonCrlm, negative) in sites)
        {
            foreach (var (label, count) in new[] { (CohortLabel.Crlm, crlm), (CohortLabel.NonCrlm, nonCrlm), (CohortLabel.Negative, negative) })
            {
                for (int n = 0; n < count; n++)
                {
                    string id = $"{site}-{label}-{n:D3}";
                    int scans = 1 + rng.NextInt(3);
                    var records = Enumerable.Range(0, scans).Select(s => Scan(id, $"{id}-s{s}", site, label)).ToArray();
                    patients.Add(new PatientRecord(id, site, label, records));
                }
            }
        }

        return patients;
    }

    private static ScanRecord Scan(string patient, string scan, string site, CohortLabel label) =>
        new(patient, scan, site, ContrastPhase.PortalVenous, label, "i", "l", null, false, null, PatientSex.Unknown,
            new Dictionary<string, string>(), 0);

    private static SplitOptions Options(long seed = 42) => new()
    {
        Seed = seed,
        ExternalSites = new HashSet<string> { "external" },
    };

    [Fact]
    public void Every_patient_lands_on_exactly_one_side_and_external_sites_are_test_only()
    {
        var patients = Cohort();
        var split = PatientSplitter.Split(patients, Options());

        Assert.Equal(patients.Count, split.Patients.Count);
        Assert.Equal(patients.Count, split.Patients.Select(p => p.PatientId).Distinct().Count());
        Assert.Empty(split.Train.Select(p => p.PatientId).Intersect(split.Test.Select(p => p.PatientId)));
        Assert.All(split.Patients.Where(p => p.Site == "external"), p => Assert.Equal(SplitSet.Test, p.Set));
        Assert.All(split.Test, p => Assert.Equal(-1, p.Fold));
        Assert.All(split.Train, p => Assert.InRange(p.Fold, 0, 9));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(12345)]
    public void Per_site_class_ratios_hold_within_one_patient(long seed)
    {
        var patients = Cohort();
        var split = PatientSplitter.Split(patients, Options(seed));
        foreach (var site in patients.Where(p => p.Site != "external").GroupBy(p => p.Site))
        {
            foreach (var label in site.GroupBy(p => p.Label))
            {
                double exact = 0.3 * label.Count();
                int test = split.Test.Count(p => p.Site == site.Key && p.Label == label.Key);
                Assert.True(Math.Abs(test - exact) < 1.0, $"{site.Key}/{label.Key}: {test} test patients for an exact share of {exact}");
            }

            int siteTest = split.Test.Count(p => p.Site == site.Key);
            Assert.Equal((int)Math.Round(0.3 * site.Count(), MidpointRounding.AwayFromZero), siteTest);
        }
    }

    [Fact]
    public void Folds_are_stratified_and_balanced()
    {
        var split = PatientSplitter.Split(Cohort(), Options());
        var sizes = Enumerable.Range(0, 10).Select(f => split.FoldValidation(f).Count()).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, $"fold sizes {string.Join(",", sizes)}");
        foreach (var label in split.Train.GroupBy(p => p.Label))
        {
            double exact = label.Count() / 10.0;
            foreach (int fold in Enumerable.Range(0, 10))
            {
                int count = label.Count(p => p.Fold == fold);
                Assert.True(Math.Abs(count - exact) < 1.0, $"{label.Key} fold {fold}: {count} vs {exact}");
            }
        }

        foreach (int fold in Enumerable.Range(0, 10))
        {
            Assert.Empty(split.FoldTrain(fold).Select(p => p.PatientId).Intersect(split.FoldValidation(fold).Select(p => p.PatientId)));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_split_whatever_the_input_order_and_another_seed_differs()
    {
        var patients = Cohort();
        var a = PatientSplitter.Split(patients, Options(3));
        var shuffled = patients.ToList();
        shuffled.Reverse();
        var b = PatientSplitter.Split(shuffled, Options(3));
        var c = PatientSplitter.Split(patients, Options(4));

        Assert.Equal(a.Patients, b.Patients);
        Assert.NotEqual(a.Patients.Select(p => (p.Set, p.Fold)), c.Patients.Select(p => (p.Set, p.Fold)));
    }

    [Fact]
    public void Adding_a_site_leaves_the_other_sites_test_sets_unchanged()
    {
        var patients = Cohort();
        var without = PatientSplitter.Split(patients.Where(p => p.Site != "site_c").ToList(), Options());
        var with = PatientSplitter.Split(patients, Options());
        var testWithout = without.Test.Select(p => p.PatientId).ToHashSet();
        var testWith = with.Test.Where(p => p.Site != "site_c").Select(p => p.PatientId).ToHashSet();
        Assert.Equal(testWithout, testWith);
    }

    [Fact]
    public void Thin_classes_produce_a_warning_and_bad_options_are_refused()
    {
        var patients = Cohort().Where(p => p.Label != CohortLabel.NonCrlm || p.PatientId.EndsWith("000", StringComparison.Ordinal)).ToList();
        var split = PatientSplitter.Split(patients, Options());
        Assert.Contains(split.Warnings, w => w.Contains("non_crlm", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => PatientSplitter.Split(patients, Options() with { Folds = 1 }));
        Assert.Throws<ArgumentException>(() => PatientSplitter.Split(patients, Options() with { TestFraction = 1.0 }));
    }

    [Theory]
    [InlineData(new[] { 2.1, 3.3, 0.3 }, 6, new[] { 2, 3, 1 })]
    [InlineData(new[] { 0.3, 0.3, 0.3 }, 1, new[] { 1, 0, 0 })]
    [InlineData(new[] { 1.5, 1.5 }, 3, new[] { 2, 1 })]
    public void Largest_remainder_rounding_keeps_the_total_and_each_share_within_one(double[] exact, int total, int[] expected) =>
        Assert.Equal(expected, PatientSplitter.LargestRemainder(exact, total));
}
