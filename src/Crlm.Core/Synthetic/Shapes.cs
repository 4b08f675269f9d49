using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>Small smooth-geometry helpers shared by the anatomy and lesion models.</summary>
internal static class SmoothMath
{
    /// <summary>Polynomial smooth minimum (union of two signed distances with a fillet of width k).</summary>
    public static double SmoothMin(double a, double b, double k)
    {
        double h = Math.Clamp(0.5 + 0.5 * (b - a) / k, 0, 1);
        return b + (a - b) * h - k * h * (1 - h);
    }

    /// <summary>Hermite step from 0 at <paramref name="edge0"/> to 1 at <paramref name="edge1"/>.</summary>
    public static double SmoothStep(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    public static double Lerp(double a, double b, double t) => a + (b - a) * t;

    /// <summary>Half-width at height <paramref name="y"/> of the superellipse |x/a|^n + |y/b|^n = 1; negative when outside.</summary>
    public static double SuperEllipseHalfWidth(double y, double a, double b, double n)
    {
        if (a <= 0 || b <= 0)
        {
            return -1;
        }

        double t = Math.Abs(y) / b;
        return t >= 1 ? -1 : a * Math.Pow(1 - Math.Pow(t, n), 1 / n);
    }

    /// <summary>Rotation about z, then y, then x (angles in radians); rows map world offsets into the local frame.</summary>
    public static Matrix3 Rotation(double aboutX, double aboutY, double aboutZ)
    {
        double cx = Math.Cos(aboutX), sx = Math.Sin(aboutX);
        double cy = Math.Cos(aboutY), sy = Math.Sin(aboutY);
        double cz = Math.Cos(aboutZ), sz = Math.Sin(aboutZ);
        var rx = new Matrix3(1, 0, 0, 0, cx, -sx, 0, sx, cx);
        var ry = new Matrix3(cy, 0, sy, 0, 1, 0, -sy, 0, cy);
        var rz = new Matrix3(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
        return rx * ry * rz;
    }
}

/// <summary>
/// An oriented ellipsoid in the patient frame (mm). <see cref="Sdf"/> is an approximate signed
/// distance (exact on the axes), good enough for smooth unions and inside-margins.
/// </summary>
internal readonly record struct Ellipsoid(Vec3 Centre, Vec3 Radii, Matrix3 ToLocal)
{
    public static Ellipsoid AxisAligned(Vec3 centre, Vec3 radii) => new(centre, radii, Matrix3.Identity);

    /// <summary>Squared normalised radius: below 1 inside.</summary>
    public double Level(Vec3 p)
    {
        var q = ToLocal * (p - Centre);
        double x = q.X / Radii.X, y = q.Y / Radii.Y, z = q.Z / Radii.Z;
        return x * x + y * y + z * z;
    }

    public double Sdf(Vec3 p) => (Math.Sqrt(Level(p)) - 1) * MinRadius;

    public double MinRadius => Math.Min(Radii.X, Math.Min(Radii.Y, Radii.Z));

    public double MaxRadius => Math.Max(Radii.X, Math.Max(Radii.Y, Radii.Z));

    public Vec3 BoxMin => Centre - new Vec3(MaxRadius, MaxRadius, MaxRadius);

    public Vec3 BoxMax => Centre + new Vec3(MaxRadius, MaxRadius, MaxRadius);

    public Ellipsoid Grown(double mm) => this with { Radii = Radii + new Vec3(mm, mm, mm) };
}

/// <summary>A tapered tube (a vessel or bowel segment) from <see cref="A"/> to <see cref="B"/>.</summary>
internal readonly record struct Tube(Vec3 A, Vec3 B, double RadiusA, double RadiusB)
{
    public double MaxRadius => Math.Max(RadiusA, RadiusB);

    public double Length => (B - A).Norm;

    /// <summary>Distance from <paramref name="p"/> to the axis minus the local radius: negative inside.</summary>
    public double Sdf(Vec3 p)
    {
        var ab = B - A;
        double len2 = ab.Dot(ab);
        double t = len2 > 0 ? Math.Clamp((p - A).Dot(ab) / len2, 0, 1) : 0;
        var closest = A + t * ab;
        return (p - closest).Norm - SmoothMath.Lerp(RadiusA, RadiusB, t);
    }
}

/// <summary>Vector helpers the imaging <see cref="Vec3"/> does not carry.</summary>
internal static class VecMath
{
    public static Vec3 Cross(Vec3 a, Vec3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    public static Vec3 Normalize(Vec3 v)
    {
        double n = v.Norm;
        return n > 0 ? 1 / n * v : new Vec3(0, 0, 1);
    }

    /// <summary>A random unit vector, uniform on the sphere.</summary>
    public static Vec3 RandomUnit(ref SynthRandom rng)
    {
        double z = rng.Uniform(-1, 1);
        double phi = rng.Uniform(0, 2 * Math.PI);
        double r = Math.Sqrt(1 - z * z);
        return new Vec3(r * Math.Cos(phi), r * Math.Sin(phi), z);
    }

    /// <summary>Rotates <paramref name="v"/> by <paramref name="angle"/> radians about unit <paramref name="axis"/> (Rodrigues).</summary>
    public static Vec3 Rotate(Vec3 v, Vec3 axis, double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return c * v + s * Cross(axis, v) + (1 - c) * axis.Dot(v) * axis;
    }

    /// <summary><paramref name="dir"/> turned by <paramref name="angle"/> towards a random perpendicular direction.</summary>
    public static Vec3 Deflect(Vec3 dir, double angle, ref SynthRandom rng)
    {
        var axis = Normalize(Cross(dir, RandomUnit(ref rng)));
        return Normalize(Rotate(dir, axis, angle));
    }
}
