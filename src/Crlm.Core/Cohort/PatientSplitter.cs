using Crlm.Core.Randomness;

namespace Crlm.Core.Cohort;

/// <summary>Options of the study's splits; every default is the study's.</summary>
public sealed record SplitOptions
{
    /// <summary>Fraction of each internal site's patients held out for testing (the study: 30%).</summary>
    public double TestFraction { get; init; } = 0.3;

    /// <summary>Number of cross-validation folds inside the training set (the study's benchmark: 10).</summary>
    public int Folds { get; init; } = 10;

    /// <summary>Sites whose patients are only ever tested on (external validation).</summary>
    public IReadOnlySet<string> ExternalSites { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public long Seed { get; init; }

    public void Validate()
    {
        if (!(TestFraction >= 0 && TestFraction < 1))
        {
            throw new ArgumentException($"test fraction must be in [0, 1), got {TestFraction}");
        }

        if (Folds < 2)
        {
            throw new ArgumentException($"cross-validation needs at least 2 folds, got {Folds}");
        }
    }
}

public enum SplitSet
{
    Train,
    Test,
}

/// <summary>Where one patient went. <see cref="Fold"/> is the CV fold (0-based) for training patients, -1 for test.</summary>
public sealed record PatientAssignment(string PatientId, string Site, CohortLabel Label, SplitSet Set, int Fold, bool ExternalSite);

/// <summary>The split of a cohort, by patient, with any warnings about thin strata.</summary>
public sealed record CohortSplit(IReadOnlyList<PatientAssignment> Patients, int Folds, IReadOnlyList<string> Warnings)
{
    public IEnumerable<PatientAssignment> Train => Patients.Where(p => p.Set == SplitSet.Train);

    public IEnumerable<PatientAssignment> Test => Patients.Where(p => p.Set == SplitSet.Test);

    /// <summary>Training patients for CV fold <paramref name="fold"/>: every train patient outside that fold.</summary>
    public IEnumerable<PatientAssignment> FoldTrain(int fold) => Train.Where(p => p.Fold != fold);

    /// <summary>Validation patients for CV fold <paramref name="fold"/>.</summary>
    public IEnumerable<PatientAssignment> FoldValidation(int fold) => Train.Where(p => p.Fold == fold);
}

/// <summary>
/// The study's patient-level splits. Train/test: per internal site, label-stratified, so each
/// label's test count is within one patient of <c>fraction * n</c> and the site's test total is
/// <c>round(fraction * N)</c> (largest-remainder rounding); external sites go wholly to test.
/// CV folds: stratified by label over the training patients, dealt round robin after a seeded
/// shuffle within each site, so folds differ in size by at most one patient, each label's count
/// per fold is within one of <c>n / k</c>, and sites spread over folds.
/// </summary>
/// <remarks>
/// Deterministic: patients are sorted by id first and every random draw comes from a
/// <see cref="SplitMix64"/> stream derived from (seed, purpose, site, label), so the manifest's
/// row order does not matter and adding one site leaves the others' splits unchanged.
/// A patient is the unit throughout: every scan of a patient lands on the same side.
/// </remarks>
public static class PatientSplitter
{
    public static CohortSplit Split(IReadOnlyList<PatientRecord> patients, SplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var duplicate = patients.GroupBy(p => p.PatientId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"patient '{duplicate.Key}' is listed twice", nameof(patients));
        }

        var warnings = new List<string>();
        var test = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in patients.GroupBy(p => p.Site, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (options.ExternalSites.Contains(site.Key))
            {
                test.UnionWith(site.Select(p => p.PatientId));
                continue;
            }

            test.UnionWith(ChooseTestPatients(site.Key, site.ToArray(), options));
        }

        var train = patients.Where(p => !test.Contains(p.PatientId)).ToArray();
        var folds = AssignFolds(train, options, warnings);
        foreach (string external in options.ExternalSites.Where(s => !patients.Any(p => p.Site == s)).Order(StringComparer.Ordinal))
        {
            warnings.Add($"external site '{external}' has no patients in this cohort");
        }

        var assignments = patients
            .OrderBy(p => p.PatientId, StringComparer.Ordinal)
            .Select(p => new PatientAssignment(
                p.PatientId,
                p.Site,
                p.Label,
                test.Contains(p.PatientId) ? SplitSet.Test : SplitSet.Train,
                folds.GetValueOrDefault(p.PatientId, -1),
                options.ExternalSites.Contains(p.Site)))
            .ToArray();
        return new CohortSplit(assignments, options.Folds, warnings);
    }

    private static IEnumerable<string> ChooseTestPatients(string site, PatientRecord[] sitePatients, SplitOptions options)
    {
        var strata = sitePatients
            .GroupBy(p => p.Label)
            .OrderBy(g => g.Key)
            .Select(g => (Label: g.Key, Patients: g.OrderBy(p => p.PatientId, StringComparer.Ordinal).ToList()))
            .ToArray();
        int total = (int)Math.Round(options.TestFraction * sitePatients.Length, MidpointRounding.AwayFromZero);
        var counts = LargestRemainder(strata.Select(s => options.TestFraction * s.Patients.Count).ToArray(), total);
        for (int s = 0; s < strata.Length; s++)
        {
            var shuffled = strata[s].Patients;
            SplitMix64.Derive(options.Seed, "test-split", site, strata[s].Label.Name()).Shuffle(shuffled);
            foreach (var p in shuffled.Take(counts[s]))
            {
                yield return p.PatientId;
            }
        }
    }

    /// <summary>
    /// Integer counts that sum to <paramref name="total"/> with each within one of its exact share:
    /// floors first, then one more to the largest remainders (ties to the earlier stratum).
    /// </summary>
    internal static int[] LargestRemainder(double[] exact, int total)
    {
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        int left = total - counts.Sum();
        foreach (int s in Enumerable.Range(0, exact.Length).OrderByDescending(s => exact[s] - counts[s]).ThenBy(s => s))
        {
            if (left <= 0)
            {
                break;
            }

            counts[s]++;
            left--;
        }

        return counts;
    }

    private static Dictionary<string, int> AssignFolds(PatientRecord[] train, SplitOptions options, List<string> warnings)
    {
        var folds = new Dictionary<string, int>(StringComparer.Ordinal);
        int next = 0;
        foreach (var label in train.GroupBy(p => p.Label).OrderBy(g => g.Key))
        {
            if (label.Count() < options.Folds)
            {
                warnings.Add(
                    $"only {label.Count()} training patients are '{label.Key.Name()}', fewer than {options.Folds} folds: some validation folds lack that class");
            }

            // Shuffle within each site, then lay sites end to end: dealing that sequence round robin
            // spreads each site over the folds as evenly as the label's count allows.
            var sequence = new List<PatientRecord>();
            foreach (var site in label.GroupBy(p => p.Site, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var members = site.OrderBy(p => p.PatientId, StringComparer.Ordinal).ToList();
                SplitMix64.Derive(options.Seed, "cv-folds", site.Key, label.Key.Name()).Shuffle(members);
                sequence.AddRange(members);
            }

            // The counter runs on across labels so that fold sizes stay within one patient overall.
            foreach (var p in sequence)
            {
                folds[p.PatientId] = next;
                next = (next + 1) % options.Folds;
            }
        }

        return folds;
    }
}
