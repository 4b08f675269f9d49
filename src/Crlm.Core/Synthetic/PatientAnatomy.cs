using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// One patient's anatomy as smooth shapes in the patient frame (mm; RAS+ axes, x to the
/// patient's right, y anterior, z superior; origin on the body axis at the liver's mid level).
/// Sampled once per patient by <see cref="AnatomySampler"/>, rasterised by <see cref="AnatomyRasterizer"/>;
/// every scan (phase) of the patient shares it, as a multiphase study shares one breath-hold.
/// </summary>
internal sealed class PatientAnatomy
{
    public required BodyShape Body { get; init; }
    public required Diaphragm Diaphragm { get; init; }
    public required SpineShape Spine { get; init; }
    public required LiverShape Liver { get; init; }
    public required Ellipsoid Heart { get; init; }
    public required Ellipsoid Spleen { get; init; }
    public required Ellipsoid KidneyRight { get; init; }
    public required Ellipsoid KidneyLeft { get; init; }
    public required Ellipsoid Stomach { get; init; }

    /// <summary>Gas rises to the front of a supine patient: above this y the stomach holds air.</summary>
    public required double StomachAirLevelY { get; init; }

    /// <summary>Null after cholecystectomy.</summary>
    public required Ellipsoid? Gallbladder { get; init; }

    public required IReadOnlyList<Tube> Pancreas { get; init; }

    /// <summary>Vessels outside the liver (painted before it, so the liver yields to them).</summary>
    public required IReadOnlyList<Vessel> Vessels { get; init; }

    /// <summary>Portal and hepatic venous branches inside the liver (painted over liver only).</summary>
    public required IReadOnlyList<Vessel> HepaticVessels { get; init; }

    public required IReadOnlyList<BowelSegment> Bowel { get; init; }

    /// <summary>Psoas muscles appear below this z and thicken caudally.</summary>
    public required double PsoasTopZ { get; init; }

    /// <summary>Couch top (y, mm) under the patient's back.</summary>
    public required double TableY { get; init; }

    /// <summary>Low-frequency field for organ outlines (mm-scale wobble).</summary>
    public required LatticeNoise ShapeNoise { get; init; }

    /// <summary>Multiplies all contrast enhancement: cardiac output, dose per kg and timing differ between patients.</summary>
    public required double EnhancementFactor { get; init; }
}

/// <summary>Lumbar spine: vertebral body, canal, posterior elements; discs repeat every <see cref="Pitch"/> mm.</summary>
internal sealed record SpineShape(double BodyY, double BodyRadiusX, double BodyRadiusY, double CanalY, double CanalRadius,
    double SpinousTipY, double Pitch, double DiscThickness, double Phase)
{
    /// <summary>Position within the vertebral cycle, 0..1, with the disc occupying the start.</summary>
    public double Cycle(double z)
    {
        double t = (z - Phase) / Pitch;
        return t - Math.Floor(t);
    }

    public bool InDisc(double z) => Cycle(z) * Pitch < DiscThickness;
}

/// <summary>A vessel segment and the tissue it is drawn with.</summary>
internal readonly record struct Vessel(Tube Tube, Tissue Tissue);

/// <summary>What a bowel segment contains.</summary>
internal enum BowelContent
{
    Fluid,
    Gas,
    Faeces,

    /// <summary>An empty loop: wall only.</summary>
    Collapsed,
}

/// <summary>One bowel (or stomach outlet) segment: a tube with a wall of the given thickness.</summary>
internal readonly record struct BowelSegment(Tube Tube, double Wall, BowelContent Content);
