namespace Crlm.Core.Synthetic;

/// <summary>Grid size of the synthetic scans.</summary>
public enum SyntheticSize
{
    /// <summary>CI-sized: 160 x 160 in-plane over the site's clinical field of view, 4-5 mm slices, 48-80 slices.</summary>
    Small,

    /// <summary>Clinical: 512 x 512 at the site's pixel spacing, its slice spacing, 100-200 slices.</summary>
    Paper,
}

/// <summary>
/// How hard the cohort is. 1 everywhere is the calibrated default; contrast below 1 makes lesions
/// fade towards the liver, noise above 1 buries small ones, size below 1 shrinks them.
/// </summary>
/// <param name="LesionContrastScale">Multiplies every lesion's HU difference from the liver around it.</param>
/// <param name="NoiseScale">Multiplies every site's noise SD.</param>
/// <param name="LesionSizeScale">Multiplies every lesion's volume.</param>
public sealed record SyntheticDifficulty(double LesionContrastScale = 1, double NoiseScale = 1, double LesionSizeScale = 1)
{
    public static SyntheticDifficulty Default { get; } = new();

    // The accepted ranges, shared with the CLI and the YAML reader so every front end refuses the
    // same values. Contrast and noise may be 0 (invisible lesions, noiseless images: controls);
    // a lesion cannot shrink to nothing, so size must stay above its minimum.
    public const double MaxLesionContrastScale = 3, MaxNoiseScale = 5, MinLesionSizeScale = 0.05, MaxLesionSizeScale = 5;

    public void Validate()
    {
        if (!(LesionContrastScale is >= 0 and <= MaxLesionContrastScale) || !(NoiseScale is >= 0 and <= MaxNoiseScale)
            || !(LesionSizeScale is > MinLesionSizeScale and <= MaxLesionSizeScale))
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"difficulty out of range: contrast {LesionContrastScale} (0..3), noise {NoiseScale} (0..5), size {LesionSizeScale} (0.05..5)"));
        }
    }
}

/// <summary>Everything that decides a synthetic cohort: the same options give byte-identical files.</summary>
/// <param name="Patients">Number of patients over all sites (split by site weight).</param>
/// <param name="Seed">Root seed; each patient's stream is derived from (seed, patient index).</param>
public sealed record SyntheticCohortOptions(int Patients, long Seed)
{
    public SyntheticSize Size { get; init; } = SyntheticSize.Small;

    public IReadOnlyList<SyntheticSiteProfile> Sites { get; init; } = SyntheticSiteDefaults.Study;

    public SyntheticDifficulty Difficulty { get; init; } = SyntheticDifficulty.Default;

    /// <summary>Patients rendered at once; null = one per processor. Lower it to bound memory for paper-sized scans.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>The study-like default: the four internal sites of Table 2 plus the external all-crlm site.</summary>
    public static SyntheticCohortOptions Default(int patients, int seed) => new(patients, seed);

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the offending value.</summary>
    public void Validate()
    {
        if (Patients is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"patients must be 1..1000000, got {Patients}");
        }

        if (!Enum.IsDefined(Size))
        {
            throw new ArgumentException($"unknown size {Size}");
        }

        if (Sites is null || Sites.Count == 0)
        {
            throw new ArgumentException("at least one site is needed");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in Sites)
        {
            ArgumentNullException.ThrowIfNull(site);
            site.Validate();
            if (!names.Add(site.Name))
            {
                throw new ArgumentException($"site '{site.Name}' is listed twice");
            }
        }

        ArgumentNullException.ThrowIfNull(Difficulty);
        Difficulty.Validate();
        if (MaxDegreeOfParallelism is < 1)
        {
            throw new ArgumentException($"max degree of parallelism must be at least 1, got {MaxDegreeOfParallelism}");
        }
    }
}
