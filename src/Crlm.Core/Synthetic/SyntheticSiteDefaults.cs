namespace Crlm.Core.Synthetic;

/// <summary>
/// The default sites: the study's four EuCanImage centres and the external TCIA_CRLM set, with
/// patient shares, class mixes, ages and sex mixes from its Table 2. The acquisition values are
/// ours (the paper does not report them), chosen to span typical clinical protocols and to give
/// every site a different storage orientation so that affine handling is always exercised.
/// </summary>
public static class SyntheticSiteDefaults
{
    // Multiphase liver studies: the study reports 5,592 scans for 2,437 patients (about 2.3 per patient).
    private static readonly SyntheticPhaseMix Multiphase = new(Arterial: 0.6, PortalVenous: 0.95, Delayed: 0.7);

    public static SyntheticSiteProfile Kaunos { get; } = new(
        "KAUNOS", External: false, Weight: 490, NoiseSdHu: 11, BlurSigmaMm: 0.6, HuOffset: 4,
        InPlaneSpacingMm: 0.70, SliceSpacingMm: 2.5, new SyntheticStorage(FlipX: true, FlipY: true, ReverseSlices: false),
        new SyntheticClassMix(0.4836, 0.3041, 0.2122), new SyntheticDemographics(63.5, 13.3, 0.494, 0), Multiphase);

    public static SyntheticSiteProfile Gumed { get; } = new(
        "GUMED", External: false, Weight: 848, NoiseSdHu: 14, BlurSigmaMm: 0.9, HuOffset: -3,
        InPlaneSpacingMm: 0.74, SliceSpacingMm: 5.0, SyntheticStorage.Ras,
        new SyntheticClassMix(0.4163, 0.2464, 0.3372), new SyntheticDemographics(66.3, 11.8, 0.428, 0), Multiphase);

    public static SyntheticSiteProfile Umea { get; } = new(
        "UMEA", External: false, Weight: 401, NoiseSdHu: 9, BlurSigmaMm: 0.5, HuOffset: 1,
        InPlaneSpacingMm: 0.65, SliceSpacingMm: 1.25, new SyntheticStorage(FlipX: false, FlipY: true, ReverseSlices: true),
        new SyntheticClassMix(0.0673, 0.9326, 0.0), new SyntheticDemographics(66.6, 10.1, 0.354, 0.030), Multiphase);

    public static SyntheticSiteProfile Unipi { get; } = new(
        "UNIPI", External: false, Weight: 698, NoiseSdHu: 16, BlurSigmaMm: 1.1, HuOffset: -6,
        InPlaneSpacingMm: 0.72, SliceSpacingMm: 3.0, new SyntheticStorage(FlipX: true, FlipY: false, ReverseSlices: false),
        new SyntheticClassMix(0.1332, 0.3896, 0.4770), new SyntheticDemographics(68.2, 12.5, 0.499, 0), Multiphase);

    /// <summary>External, portal-venous only, every lesion annotated (like TCIA's Colorectal-Liver-Metastases).</summary>
    public static SyntheticSiteProfile TciaCrlm { get; } = new(
        "TCIA_CRLM", External: true, Weight: 197, NoiseSdHu: 13, BlurSigmaMm: 0.8, HuOffset: 0,
        InPlaneSpacingMm: 0.68, SliceSpacingMm: 5.0, new SyntheticStorage(FlipX: true, FlipY: true, ReverseSlices: true),
        new SyntheticClassMix(1, 0, 0), new SyntheticDemographics(59.7, 12.3, 0.594, 0), SyntheticPhaseMix.PortalVenousOnly);

    /// <summary>The five default sites in the order of the study's Table 2.</summary>
    public static IReadOnlyList<SyntheticSiteProfile> Study { get; } = [Kaunos, Gumed, Umea, Unipi, TciaCrlm];

    /// <summary>The default site called <paramref name="name"/> (any case), or null: for <c>--sites</c> lists and YAML.</summary>
    public static SyntheticSiteProfile? Find(string name) =>
        Study.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
