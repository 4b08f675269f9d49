using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// The liver envelope as an approximate signed distance (mm, negative inside): a smooth union of
/// right lobe, left lobe and caudate ellipsoids, clipped by the inside of the abdominal wall (so
/// the lateral surface follows the ribs), by the diaphragm domes above and by an elliptic column
/// around the spine (the crura and retroperitoneal fat keep the liver off it), then wobbled by a low-frequency displacement field so
/// that no two patients share an outline. Organs rendered before the liver carve it further.
/// </summary>
internal sealed class LiverShape
{
    private readonly Ellipsoid _right, _left, _caudate;
    private readonly BodyShape _body;
    private readonly Diaphragm _diaphragm;
    private readonly LatticeNoise _wobble;
    private readonly double _wobbleMm;
    private readonly double _spineX, _spineY, _spineRx, _spineRy;

    public LiverShape(Ellipsoid right, Ellipsoid left, Ellipsoid caudate, BodyShape body, Diaphragm diaphragm,
        LatticeNoise wobble, double wobbleMm, (double X, double Y, double Rx, double Ry) spineKeepOut)
    {
        _right = right;
        _left = left;
        _caudate = caudate;
        _body = body;
        _diaphragm = diaphragm;
        _wobble = wobble;
        _wobbleMm = wobbleMm;
        (_spineX, _spineY, _spineRx, _spineRy) = spineKeepOut;
        BoxMin = Min(right.BoxMin, Min(left.BoxMin, caudate.BoxMin));
        BoxMax = Max(right.BoxMax, Max(left.BoxMax, caudate.BoxMax));
    }

    public Vec3 BoxMin { get; }

    public Vec3 BoxMax { get; }

    /// <summary>Lowest and highest z the liver can reach (for choosing the scan slab).</summary>
    public double TopZ => Math.Min(BoxMax.Z, _diaphragm.MaxZ);

    public double BottomZ => BoxMin.Z;

    public double Sdf(Vec3 p) => Math.Max(SdfWithinCavity(p), _body.CavitySdf(p) + 0.5);

    /// <summary>
    /// As <see cref="Sdf"/> without the abdominal-wall term, for points already known to lie inside
    /// the cavity (painting fills only cavity fat, and the wall term costs three powers per voxel).
    /// </summary>
    public double SdfWithinCavity(Vec3 p)
    {
        double lobes = SmoothMath.SmoothMin(_right.Sdf(p), _left.Sdf(p), 18);
        lobes = SmoothMath.SmoothMin(lobes, _caudate.Sdf(p), 10);
        lobes += _wobbleMm * _wobble.Sample(p);

        // Intersections: the largest of the signed distances.
        double dome = p.Z - _diaphragm.SurfaceZ(p.X, p.Y);
        double sx = (p.X - _spineX) / _spineRx, sy = (p.Y - _spineY) / _spineRy;
        double spine = (1 - Math.Sqrt(sx * sx + sy * sy)) * Math.Min(_spineRx, _spineRy);
        return Math.Max(lobes, Math.Max(dome, spine));
    }

    private static Vec3 Min(Vec3 a, Vec3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));

    private static Vec3 Max(Vec3 a, Vec3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));
}

/// <summary>
/// Body cross-section: superellipses (rounder in front, flatter at the back) for the skin, the
/// inner edge of the subcutaneous fat and the inside of the muscle wall.
/// </summary>
internal sealed record BodyShape(double HalfWidth, double HalfDepth, double Skin, double FatLateral, double FatAnterior,
    double FatPosterior, double MuscleWall, double WidthPerMmZ)
{
    public const double AnteriorExponent = 2.1;
    public const double PosteriorExponent = 3.0;

    public double Width(double z) => HalfWidth * (1 + WidthPerMmZ * z);

    public double CavityHalfWidth(double z) => Width(z) - Skin - FatLateral - MuscleWall;

    public double CavityDepth(double y) => HalfDepth - Skin - (y >= 0 ? FatAnterior : FatPosterior) - MuscleWall;

    /// <summary>Half-width of a layer (0 skin, 1 under skin, 2 under fat, 3 cavity) at row y, slice z; negative outside.</summary>
    public double LayerHalfWidth(int layer, double y, double z)
    {
        double fatAp = y >= 0 ? FatAnterior : FatPosterior;
        double n = y >= 0 ? AnteriorExponent : PosteriorExponent;
        double w = Width(z), d = HalfDepth;
        (double a, double b) = layer switch
        {
            0 => (w, d),
            1 => (w - Skin, d - Skin),
            2 => (w - Skin - FatLateral, d - Skin - fatAp),
            _ => (w - Skin - FatLateral - MuscleWall, d - Skin - fatAp - MuscleWall),
        };
        return SmoothMath.SuperEllipseHalfWidth(y, a, b, n);
    }

    /// <summary>Approximate signed distance to the inside of the muscle wall (negative inside the cavity).</summary>
    public double CavitySdf(Vec3 p)
    {
        double a = CavityHalfWidth(p.Z), b = CavityDepth(p.Y);
        double n = p.Y >= 0 ? AnteriorExponent : PosteriorExponent;
        double r = Math.Pow(Math.Pow(Math.Abs(p.X) / a, n) + Math.Pow(Math.Abs(p.Y) / b, n), 1 / n);
        return (r - 1) * Math.Min(a, b);
    }
}

/// <summary>The two diaphragm domes: the surface height z(x, y) that separates lung above from abdomen below.</summary>
internal sealed record Diaphragm(double RightTopZ, double LeftTopZ, double RightX, double LeftX, double CentreY, double Curvature)
{
    public double MaxZ => Math.Max(RightTopZ, LeftTopZ);

    public double SurfaceZ(double x, double y)
    {
        double dy = y - CentreY;
        double ky = dy < 0 ? 1.25 : 0.8; // the posterior recesses reach lower than the front
        double r2 = (x - RightX) * (x - RightX) + (ky * dy) * (ky * dy);
        double l2 = (x - LeftX) * (x - LeftX) + (ky * dy) * (ky * dy);
        return Math.Max(RightTopZ - r2 / (2 * Curvature), LeftTopZ - l2 / (2 * Curvature));
    }
}
