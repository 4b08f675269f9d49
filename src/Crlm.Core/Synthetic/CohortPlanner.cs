using Crlm.Core.Cohort;

namespace Crlm.Core.Synthetic;

/// <summary>Who one synthetic patient is, decided before any image is made.</summary>
internal sealed record PatientPlan(
    int Index,
    string PatientId,
    int SiteIndex,
    SyntheticSiteProfile Site,
    CohortLabel Label,
    int Age,
    PatientSex Sex,
    IReadOnlyList<ContrastPhase> Phases,
    IReadOnlyList<LesionDraft> Lesions)
{
    public string ScanId(ContrastPhase phase) => $"{PatientId}-{phase switch
    {
        ContrastPhase.Arterial => "art",
        ContrastPhase.PortalVenous => "pv",
        ContrastPhase.Delayed => "del",
        _ => "unk",
    }}";
}

/// <summary>
/// Splits the cohort's patients over sites by weight and over labels by each site's class mix,
/// with largest-remainder rounding so that even a small cohort matches the mixes as closely as
/// whole patients allow; label order within a site is shuffled by the site's own stream.
/// Demographics, phases and lesion kinds come from each patient's own stream; lesion volumes are
/// stratified over the whole cohort (<see cref="LesionPlanner.DrawCohort"/>).
/// </summary>
internal static class CohortPlanner
{
    private const ulong DemographicsKey = 11, LesionKindsKey = 12, LesionVolumesKey = 13;

    public static IReadOnlyList<PatientPlan> Plan(SyntheticCohortOptions options)
    {
        var sites = options.Sites;
        var perSite = LargestRemainder(sites.Select(s => s.Weight).ToArray(), options.Patients);
        var plans = new List<PatientPlan>(options.Patients);
        for (int s = 0; s < sites.Count; s++)
        {
            var site = sites[s];
            var mix = site.ClassMix;
            var counts = LargestRemainder([mix.Crlm, mix.NonCrlm, mix.Negative], perSite[s]);
            var labels = new List<CohortLabel>();
            labels.AddRange(Enumerable.Repeat(CohortLabel.Crlm, counts[0]));
            labels.AddRange(Enumerable.Repeat(CohortLabel.NonCrlm, counts[1]));
            labels.AddRange(Enumerable.Repeat(CohortLabel.Negative, counts[2]));
            var siteRng = SynthRandom.ForSite(options.Seed, s);
            for (int n = labels.Count - 1; n > 0; n--)
            {
                int m = siteRng.NextInt(n + 1);
                (labels[n], labels[m]) = (labels[m], labels[n]);
            }

            for (int n = 0; n < labels.Count; n++)
            {
                int index = plans.Count;
                var r = SynthRandom.ForPatient(options.Seed, index).Fork(DemographicsKey);
                var demo = site.Demographics;
                int age = (int)Math.Round(r.TruncatedGaussian(demo.AgeMean, demo.AgeSd, 18, 95));
                double u = r.NextDouble();
                var sex = u < demo.UnknownSexFraction ? PatientSex.Unknown
                    : u < demo.UnknownSexFraction + demo.FemaleFraction ? PatientSex.Female : PatientSex.Male;
                var phases = new List<ContrastPhase>();
                if (r.Chance(site.Phases.Arterial))
                {
                    phases.Add(ContrastPhase.Arterial);
                }

                bool portal = r.Chance(site.Phases.PortalVenous);
                if (r.Chance(site.Phases.Delayed))
                {
                    phases.Add(ContrastPhase.Delayed);
                }

                if (portal || phases.Count == 0)
                {
                    phases.Insert(phases.Count > 0 && phases[0] == ContrastPhase.Arterial ? 1 : 0, ContrastPhase.PortalVenous);
                }

                plans.Add(new PatientPlan(index, $"SYN-{site.Name}-{n + 1:D4}", s, site, labels[n], age, sex, phases, []));
            }
        }

        var kinds = plans.Select(p =>
        {
            var r = SynthRandom.ForPatient(options.Seed, p.Index).Fork(LesionKindsKey);
            return LesionPlanner.DrawKinds(p.Label, ref r);
        }).ToArray();
        var volumeRng = SynthRandom.ForCohort(options.Seed).Fork(LesionVolumesKey);
        var drafts = LesionPlanner.DrawCohort(kinds, options.Difficulty, ref volumeRng);
        return [.. plans.Select((p, n) => p with { Lesions = drafts[n] })];
    }

    /// <summary>Integer counts proportional to <paramref name="weights"/> summing to <paramref name="total"/> (Hamilton's method).</summary>
    public static int[] LargestRemainder(IReadOnlyList<double> weights, int total)
    {
        double sum = weights.Sum();
        var counts = new int[weights.Count];
        var remainders = new (double Remainder, int Index)[weights.Count];
        int assigned = 0;
        for (int n = 0; n < weights.Count; n++)
        {
            double exact = sum > 0 ? total * weights[n] / sum : 0;
            counts[n] = (int)Math.Floor(exact);
            assigned += counts[n];
            remainders[n] = (exact - counts[n], n);
        }

        // Ties go to the earlier entry, so the result never depends on sort stability.
        foreach (var (_, index) in remainders.OrderByDescending(x => x.Remainder).ThenBy(x => x.Index).Take(total - assigned))
        {
            counts[index]++;
        }

        return counts;
    }
}
