using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>Kinds of focal liver lesion the generator draws.</summary>
internal enum SyntheticLesionKind
{
    /// <summary>Colorectal metastasis: hypovascular, irregular, sometimes rim-enhancing or necrotic.</summary>
    Metastasis,

    /// <summary>Simple cyst: water attenuation, sharp margin, never enhances.</summary>
    Cyst,

    /// <summary>Haemangioma: peripheral nodular enhancement filling in centripetally by the delayed phase.</summary>
    Haemangioma,

    /// <summary>A benign or non-colorectal lesion that looks like a metastasis (the hard cases of non_crlm).</summary>
    Mimic,
}

/// <summary>
/// One lesion in the patient frame: an ellipsoid whose surface is modulated by a few random
/// harmonics (lobulation, irregular margins) plus the features that decide its appearance.
/// </summary>
internal sealed record SyntheticLesion(
    int Id,
    SyntheticLesionKind Kind,
    Vec3 Centre,
    Vec3 Radii,
    Matrix3 ToLocal,
    double NominalVolumeCm3,
    IReadOnlyList<(Vec3 Direction, double Amplitude, double Frequency, double Phase)> Harmonics,
    IReadOnlyList<Vec3> Nodules,
    bool Rim,
    double NecrosisRadius,
    bool FlashFilling,
    double HuJitter)
{
    public double MaxExtent => Math.Max(Radii.X, Math.Max(Radii.Y, Radii.Z)) * (1 + HarmonicBound);

    private double HarmonicBound => Harmonics.Sum(h => Math.Abs(h.Amplitude));

    /// <summary>Normalised radius at <paramref name="p"/>: 0 at the centre, 1 on the (irregular) surface.</summary>
    public double NormalizedRadius(Vec3 p, out Vec3 direction)
    {
        var q = ToLocal * (p - Centre);
        var s = new Vec3(q.X / Radii.X, q.Y / Radii.Y, q.Z / Radii.Z);
        double r = s.Norm;
        direction = r > 1e-9 ? 1 / r * s : new Vec3(0, 0, 1);
        double surface = 1;
        foreach (var h in Harmonics)
        {
            surface += h.Amplitude * Math.Cos(h.Frequency * Math.PI * direction.Dot(h.Direction) + h.Phase);
        }

        return r / Math.Max(surface, 0.4);
    }
}
