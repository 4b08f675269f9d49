namespace Crlm.Core.Synthetic;

/// <summary>
/// One acquisition site of a synthetic cohort: who its patients are (class, age and sex mix), how
/// its scanners image them (noise, blur, HU calibration, voxel spacing, storage orientation) and
/// how its radiologists annotated them. Spacings are the clinical (<see cref="SyntheticSize.Paper"/>)
/// ones; <see cref="SyntheticSize.Small"/> keeps the same field of view on a coarser grid.
/// </summary>
/// <param name="Name">Site name as the manifest's <c>site</c> column gives it.</param>
/// <param name="External">An external site: test-only downstream, and annotated completely.</param>
/// <param name="Weight">Relative share of the cohort's patients (e.g. the study's patient counts).</param>
/// <param name="NoiseSdHu">Standard deviation of image noise, HU, for an average-sized patient.</param>
/// <param name="BlurSigmaMm">In-plane Gaussian blur (reconstruction kernel sharpness), mm.</param>
/// <param name="HuOffset">Calibration offset added to every voxel, HU.</param>
/// <param name="InPlaneSpacingMm">Clinical pixel spacing, mm (the field of view is 512 times this).</param>
/// <param name="SliceSpacingMm">Clinical slice spacing, mm.</param>
public sealed record SyntheticSiteProfile(
    string Name,
    bool External,
    double Weight,
    double NoiseSdHu,
    double BlurSigmaMm,
    double HuOffset,
    double InPlaneSpacingMm,
    double SliceSpacingMm,
    SyntheticStorage Storage,
    SyntheticClassMix ClassMix,
    SyntheticDemographics Demographics,
    SyntheticPhaseMix Phases)
{
    /// <summary>
    /// Whether every lesion is annotated (manifest <c>lesions_complete</c>). When false, at most
    /// <see cref="MaxAnnotatedLesions"/> metastases per patient are in the lesion mask.
    /// </summary>
    public bool LesionsComplete { get; init; } = External;

    /// <summary>Annotation cap for sites with incomplete annotation (the study annotated up to three).</summary>
    public int MaxAnnotatedLesions { get; init; } = 3;

    // Names go into CSV cells and file names unquoted.
    private static readonly System.Buffers.SearchValues<char> ForbiddenNameCharacters = System.Buffers.SearchValues.Create(",\"\r\n/\\");

    /// <summary>Throws <see cref="ArgumentException"/> naming the site and the bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.AsSpan().IndexOfAny(ForbiddenNameCharacters) >= 0)
        {
            throw new ArgumentException($"site name '{Name}' must be non-empty and free of commas, quotes, slashes and line breaks");
        }

        Require(Weight > 0 && double.IsFinite(Weight), nameof(Weight), Weight);
        Require(NoiseSdHu >= 0 && NoiseSdHu <= 200, nameof(NoiseSdHu), NoiseSdHu);
        Require(BlurSigmaMm >= 0 && BlurSigmaMm <= 5, nameof(BlurSigmaMm), BlurSigmaMm);
        Require(Math.Abs(HuOffset) <= 100, nameof(HuOffset), HuOffset);
        Require(InPlaneSpacingMm >= 0.4 && InPlaneSpacingMm <= 1.2, nameof(InPlaneSpacingMm), InPlaneSpacingMm);
        Require(SliceSpacingMm >= 0.5 && SliceSpacingMm <= 7.5, nameof(SliceSpacingMm), SliceSpacingMm);
        Require(MaxAnnotatedLesions >= 1, nameof(MaxAnnotatedLesions), MaxAnnotatedLesions);
        ArgumentNullException.ThrowIfNull(Storage);
        ClassMix.Validate(Name);
        Demographics.Validate(Name);
        Phases.Validate(Name);
    }

    private void Require(bool ok, string field, double value)
    {
        if (!ok)
        {
            throw new ArgumentException(FormattableString.Invariant($"site '{Name}': {field} = {value} is outside its allowed range"));
        }
    }
}

/// <summary>
/// How a site stores its voxels relative to RAS+ world axes. The affine always tells the truth,
/// so anatomy sits at the same world position whatever the storage; readers that ignore the
/// affine see mirrored or upside-down patients, as with real multi-site data.
/// </summary>
/// <param name="FlipX">Voxel i runs towards patient left (L instead of R).</param>
/// <param name="FlipY">Voxel j runs towards posterior (P instead of A), as in DICOM row order.</param>
/// <param name="ReverseSlices">Slice k runs from head to feet (I instead of S).</param>
public sealed record SyntheticStorage(bool FlipX, bool FlipY, bool ReverseSlices)
{
    public static SyntheticStorage Ras { get; } = new(false, false, false);

    /// <summary>nibabel's axis codes of this storage, e.g. "LPS" for DICOM-like storage.</summary>
    public string AxisCodes => $"{(FlipX ? 'L' : 'R')}{(FlipY ? 'P' : 'A')}{(ReverseSlices ? 'I' : 'S')}";
}

/// <summary>Probabilities of the study's three patient labels at a site (normalised on use).</summary>
public sealed record SyntheticClassMix(double Crlm, double NonCrlm, double Negative)
{
    public void Validate(string site)
    {
        if (!(Crlm >= 0 && NonCrlm >= 0 && Negative >= 0) || Crlm + NonCrlm + Negative <= 0 ||
            !double.IsFinite(Crlm + NonCrlm + Negative))
        {
            throw new ArgumentException($"site '{site}': class mix must be non-negative with a positive sum");
        }
    }
}

/// <summary>Age (normal, clamped to 18..95) and sex mix; the rest of the patients have unknown sex.</summary>
public sealed record SyntheticDemographics(double AgeMean, double AgeSd, double FemaleFraction, double UnknownSexFraction)
{
    public void Validate(string site)
    {
        if (!(AgeMean is >= 18 and <= 95) || !(AgeSd is >= 0 and <= 40) ||
            !(FemaleFraction >= 0) || !(UnknownSexFraction >= 0) || FemaleFraction + UnknownSexFraction > 1)
        {
            throw new ArgumentException($"site '{site}': demographics need age 18..95, SD 0..40 and sex fractions summing to at most 1");
        }
    }
}

/// <summary>
/// Which contrast phases a patient's study contains: each phase is present with its probability
/// (independently); a patient whose draw gives none gets a portal-venous scan, the phase a liver
/// study always has. The expected scans per patient is therefore about the sum of the three.
/// </summary>
public sealed record SyntheticPhaseMix(double Arterial, double PortalVenous, double Delayed)
{
    public static SyntheticPhaseMix PortalVenousOnly { get; } = new(0, 1, 0);

    public void Validate(string site)
    {
        if (!(Arterial is >= 0 and <= 1) || !(PortalVenous is >= 0 and <= 1) || !(Delayed is >= 0 and <= 1))
        {
            throw new ArgumentException($"site '{site}': phase probabilities must lie in 0..1");
        }
    }
}
