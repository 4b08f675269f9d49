using System.Globalization;
using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;

namespace Crlm.Core.Embedding;

/// <summary>
/// How one encoder wants its input: a named, versioned preprocessing (orientation is always RAS; spacing,
/// box, HU window and intensity mapping per <see cref="PreprocessOptions"/>) plus how the box is fed to the
/// model: whole, or as fixed-size patches on a sliding window. Each published foundation model was trained
/// on its own mapping; feeding it another one silently degrades its embeddings, so the profile is part of an
/// embedding's cache key (<see cref="CanonicalText"/>), and a change of meaning bumps <see cref="Version"/>.
/// </summary>
/// <param name="Name">e.g. "ctfm"; "study" is the study's common preprocessing.</param>
/// <param name="Version">Bumped whenever the profile's numbers change.</param>
/// <param name="Preprocess">Spacing, box, window, normalisation of the box the encoder sees.</param>
/// <param name="Patch">The model's fixed input (x, y, z) voxels, tiled over the box; null feeds the whole box.</param>
/// <param name="Overlap">Patch overlap fraction in [0, 1).</param>
/// <param name="MultipleOf">Every box edge must be a multiple of this (U-Net encoders that halve the size 4 times need 16).</param>
public sealed record EncoderProfile(string Name, int Version, PreprocessOptions Preprocess, Int3? Patch = null, double Overlap = 0, int MultipleOf = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the profile and the first bad value.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        try
        {
            Preprocess.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"profile '{Name}': {e.Message}", e);
        }

        if (Version < 1)
        {
            throw new ArgumentException($"profile '{Name}': version must be at least 1, got {Version}");
        }

        if (!(Overlap >= 0 && Overlap < 1))
        {
            throw new ArgumentException(Invariant($"profile '{Name}': overlap must be in [0, 1), got {Overlap}"));
        }

        if (Patch is { } p && (p.X < 1 || p.Y < 1 || p.Z < 1))
        {
            throw new ArgumentException($"profile '{Name}': patch must be positive, got {p}");
        }

        var box = Preprocess.Box;
        if (MultipleOf < 1 || box.X % MultipleOf != 0 || box.Y % MultipleOf != 0 || box.Z % MultipleOf != 0)
        {
            throw new ArgumentException($"profile '{Name}': every box edge must be a multiple of {MultipleOf}, got {box}");
        }
    }

    /// <summary>Everything that changes what the encoder sees, as stable invariant text (the profile's part of a cache key).</summary>
    public string CanonicalText() => string.Join(';',
        "profile=" + Name,
        Invariant($"version={Version}"),
        "preprocess=" + Preprocess.CanonicalText(),
        "patch=" + (Patch is { } p ? Invariant($"{p.X},{p.Y},{p.Z}") : "whole"),
        Invariant($"overlap={Overlap:R}"),
        Invariant($"multiple={MultipleOf}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The built-in profiles: the study's common preprocessing and the input preparation each studied foundation
/// model was published with (tools/export_encoders.py documents the same). Boxes are chosen as whole multiples
/// of the patch, so the sliding window never pads.
/// </summary>
public static class EncoderProfiles
{
    /// <summary>The study's common preprocessing (1 x 1 x 2.5 mm, 256 x 256 x 96, [-37, 171] HU, z-score over the liver), fed whole.</summary>
    public static EncoderProfile Study { get; } = new("study", 1, PreprocessOptions.Default);

    /// <summary>FMCIB: (HU + 1024) / 3072 clipped to [0, 1], 1 mm isotropic, 50³ cubes.</summary>
    public static EncoderProfile Fmcib { get; } = new("fmcib", 1,
        PreprocessOptions.Default with { Spacing = new Vec3(1, 1, 1), Box = new Int3(250, 250, 200), WindowLow = -1024, WindowHigh = 2048, Normalisation = Normalisation.MinMax },
        Patch: new Int3(50, 50, 50));

    /// <summary>CT-FM: [-1024, 2048] HU to [0, 1], 1 x 1 x 3 mm (x, y, z), 24 x 128 x 128 (D, H, W) windows.</summary>
    public static EncoderProfile CtFm { get; } = new("ctfm", 1,
        PreprocessOptions.Default with { Spacing = new Vec3(1, 1, 3), Box = new Int3(256, 256, 96), WindowLow = -1024, WindowHigh = 2048, Normalisation = Normalisation.MinMax },
        Patch: new Int3(128, 128, 24));

    /// <summary>Models Genesis: [-1000, 1000] HU to [0, 1]; its U-Net halves the input four times, so edges are multiples of 16.</summary>
    public static EncoderProfile ModelsGenesis { get; } = new("models_genesis", 1,
        PreprocessOptions.Default with { WindowLow = -1000, WindowHigh = 1000, Normalisation = Normalisation.MinMax },
        MultipleOf: 16);

    /// <summary>
    /// Med3D (MedicalNet): z-score normalisation. MedicalNet z-scores over the non-zero voxels of the whole
    /// volume and fills the background with random noise; here the z-score is over the liver (deterministic, and
    /// the region the study cares about) and nothing random is ever added.
    /// </summary>
    public static EncoderProfile Med3D { get; } = new("med3d", 1,
        PreprocessOptions.Default with { WindowLow = -1024, WindowHigh = 2048, Normalisation = Normalisation.ZScore });

    public static IReadOnlyList<EncoderProfile> All { get; } = [Study, Fmcib, CtFm, ModelsGenesis, Med3D];

    /// <summary>
    /// Handcrafted radiomics: the study's geometry and window, in HU (no normalisation), so that a fixed bin width
    /// means the same number of HU in every scan (IBSI's recommendation for CT).
    /// </summary>
    public static EncoderProfile RadiomicsOn(PreprocessOptions study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return new EncoderProfile("radiomics", 1, study with { Normalisation = Normalisation.None });
    }

    /// <summary>The built-in profile of that name (exact, lower case), or null.</summary>
    public static EncoderProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
