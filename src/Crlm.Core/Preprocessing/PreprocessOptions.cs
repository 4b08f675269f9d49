using System.Globalization;
using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>How the resampled grid is laid out (see ../shared/peers/README.md section 3).</summary>
public enum GridMode
{
    /// <summary>
    /// scipy.ndimage.zoom: n_out = round-half-even(n·sp_in/sp_out), first and last voxel centres kept, so the
    /// actual spacing is close to (not exactly) the target. The study's default.
    /// </summary>
    Zoom,

    /// <summary>Exactly the target spacing from the first voxel centre: n_out = ⌊(n−1)·sp_in/sp_out + 1e-6⌋ + 1.</summary>
    Exact,
}

/// <summary>Per-scan intensity normalisation, applied after the HU window.</summary>
public enum Normalisation
{
    /// <summary>(x − μ)/σ with μ, σ over the clipped values inside the cropped liver (population σ).</summary>
    ZScore,

    /// <summary>(x − lo)/(hi − lo): the window maps to [0, 1].</summary>
    MinMax,

    None,
}

/// <summary>What to do when the liver mask has no voxel after resampling.</summary>
public enum EmptyLiverPolicy
{
    /// <summary>Refuse the scan: the crop would be meaningless.</summary>
    Error,

    /// <summary>Centre the box on the body (voxels above <see cref="PreprocessOptions.BodyThresholdHu"/>) and warn.</summary>
    BodyCentre,
}

/// <summary>
/// The study's CT preprocessing parameters. Every default is the study's: 1 x 1 x 2.5 mm, a 256 x 256 x 96
/// box, the liver window [-37, 171] HU (L 67 / W 208), z-score over the liver, air padding.
/// </summary>
public sealed record PreprocessOptions
{
    /// <summary>Voxels above this HU count as body when an empty liver mask falls back to the body's centre.</summary>
    public const double BodyThresholdHu = -500;

    /// <summary>Largest box edge accepted: keeps a typo (25600) from allocating gigabytes.</summary>
    public const int MaxBoxEdge = 4096;

    public static PreprocessOptions Default { get; } = new();

    /// <summary>Target voxel spacing in mm, canonical (RAS) axis order.</summary>
    public Vec3 Spacing { get; init; } = new(1, 1, 2.5);

    /// <summary>Output box in voxels, canonical axis order.</summary>
    public Int3 Box { get; init; } = new(256, 256, 96);

    public double WindowLow { get; init; } = -37;

    public double WindowHigh { get; init; } = 171;

    public Normalisation Normalisation { get; init; } = Normalisation.ZScore;

    /// <summary>Image value outside the scanned volume (air); it becomes the window's low end after clipping.</summary>
    public double PadHu { get; init; } = -1024;

    public GridMode Grid { get; init; } = GridMode.Zoom;

    public EmptyLiverPolicy EmptyLiver { get; init; } = EmptyLiverPolicy.Error;

    /// <summary>The liver's value in the mask; null means every voxel &gt; 0 (a binary mask, or LiTS label 2 with 1).</summary>
    public int? LiverLabel { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!Spacing.IsFinite || Spacing.X <= 0 || Spacing.Y <= 0 || Spacing.Z <= 0)
        {
            throw new ArgumentException($"spacing must be three positive numbers (mm), got {Spacing}");
        }

        if (Box.X is < 1 or > MaxBoxEdge || Box.Y is < 1 or > MaxBoxEdge || Box.Z is < 1 or > MaxBoxEdge)
        {
            throw new ArgumentException($"box must be three whole numbers in 1..{MaxBoxEdge}, got {Box}");
        }

        if (!double.IsFinite(WindowLow) || !double.IsFinite(WindowHigh) || WindowLow >= WindowHigh)
        {
            throw new ArgumentException(Invariant($"window must be two finite HU values with low < high, got [{WindowLow}, {WindowHigh}]"));
        }

        if (!double.IsFinite(PadHu))
        {
            throw new ArgumentException(Invariant($"pad value must be finite, got {PadHu}"));
        }

        if (!Enum.IsDefined(Normalisation) || !Enum.IsDefined(Grid) || !Enum.IsDefined(EmptyLiver))
        {
            throw new ArgumentException("unknown normalisation, grid or empty-liver policy");
        }
    }

    /// <summary>
    /// Every parameter that changes the output, in one stable invariant text (round-trip number format):
    /// the options' part of a cache key.
    /// </summary>
    public string CanonicalText() => string.Join(';',
        Invariant($"spacing={Spacing.X:R},{Spacing.Y:R},{Spacing.Z:R}"),
        Invariant($"box={Box.X},{Box.Y},{Box.Z}"),
        Invariant($"window={WindowLow:R},{WindowHigh:R}"),
        $"norm={NormName(Normalisation)}",
        Invariant($"pad={PadHu:R}"),
        $"grid={GridName(Grid)}",
        $"empty={EmptyLiverName(EmptyLiver)}",
        "label=" + (LiverLabel is { } l ? l.ToString(CultureInfo.InvariantCulture) : "any>0"));

    public static string NormName(Normalisation n) => n switch
    {
        Normalisation.ZScore => "zscore",
        Normalisation.MinMax => "minmax",
        _ => "none",
    };

    public static string GridName(GridMode g) => g == GridMode.Zoom ? "zoom" : "exact";

    public static string EmptyLiverName(EmptyLiverPolicy p) => p == EmptyLiverPolicy.Error ? "error" : "body_centre";

    /// <summary>Parses the names used by the CLI and the YAML spec; null for an unknown name.</summary>
    public static Normalisation? ParseNorm(string text) => text switch
    {
        "zscore" => Normalisation.ZScore,
        "minmax" => Normalisation.MinMax,
        "none" => Normalisation.None,
        _ => null,
    };

    public static GridMode? ParseGrid(string text) => text switch
    {
        "zoom" => GridMode.Zoom,
        "exact" => GridMode.Exact,
        _ => null,
    };

    public static EmptyLiverPolicy? ParseEmptyLiver(string text) => text switch
    {
        "error" => EmptyLiverPolicy.Error,
        "body_centre" or "body-centre" => EmptyLiverPolicy.BodyCentre,
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
