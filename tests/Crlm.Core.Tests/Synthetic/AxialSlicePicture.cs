using Crlm.Core.Imaging;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// Axial slices in radiological display (patient right on the screen's left, anterior up), sampled
/// through the volume's affine so every storage orientation looks the same, windowed to 8 bits.
/// Panels are framed on the body, as a reading workstation zooms, and interpolated bilinearly in
/// plane: the small grid's 2.3 mm pixels shown as nearest-neighbour blocks look like no CT viewer.
/// </summary>
internal static class AxialSlicePicture
{
    // Anything denser than lung counts as body (or couch) for framing.
    private const short BodyHu = -400;
    private const double FrameMarginMm = 8;

    /// <summary>A strip of square panels, one per world z, each <paramref name="pixels"/> wide, framed on the body.</summary>
    public static (byte[] Pixels, int Width, int Height) Strip(Volume<short> volume, IReadOnlyList<double> worldZ, int pixels,
        double level = 60, double width = 300)
    {
        var g = volume.Geometry;
        var (min, max) = BodyFrame(volume);
        int w = pixels * worldZ.Count;
        var output = new byte[w * pixels];
        double lo = level - width / 2;
        for (int panel = 0; panel < worldZ.Count; panel++)
        {
            for (int r = 0; r < pixels; r++)
            {
                for (int c = 0; c < pixels; c++)
                {
                    double x = max.X - (c + 0.5) / pixels * (max.X - min.X);
                    double y = max.Y - (r + 0.5) / pixels * (max.Y - min.Y);
                    double hu = SampleInPlane(volume, g.WorldToIndex(new Vec3(x, y, worldZ[panel])));
                    output[r * w + panel * pixels + c] = double.IsNaN(hu) ? (byte)0 : (byte)Math.Clamp((hu - lo) / width * 255, 0, 255);
                }
            }
        }

        return (output, w, pixels);
    }

    /// <summary>Bilinear in the two in-plane index axes, nearest slice: NaN outside the volume.</summary>
    private static double SampleInPlane(Volume<short> volume, Vec3 index)
    {
        var g = volume.Geometry;
        int k = (int)Math.Round(index.Z);
        if (index.X < -0.5 || index.Y < -0.5 || index.X > g.Size.X - 0.5 || index.Y > g.Size.Y - 0.5 || k < 0 || k >= g.Size.Z)
        {
            return double.NaN;
        }

        double x = Math.Clamp(index.X, 0, g.Size.X - 1), y = Math.Clamp(index.Y, 0, g.Size.Y - 1);
        int i0 = Math.Min((int)x, g.Size.X - 2), j0 = Math.Min((int)y, g.Size.Y - 2);
        double fx = x - i0, fy = y - j0;
        double top = volume[i0, j0, k] * (1 - fx) + volume[i0 + 1, j0, k] * fx;
        double bottom = volume[i0, j0 + 1, k] * (1 - fx) + volume[i0 + 1, j0 + 1, k] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /// <summary>A square world x-y frame round every voxel denser than lung, plus a margin; the whole volume when there is none.</summary>
    public static (Vec3 Min, Vec3 Max) BodyFrame(Volume<short> volume)
    {
        var g = volume.Geometry;
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        for (int k = 0; k < g.Size.Z; k += Math.Max(1, g.Size.Z / 8))
        {
            for (int j = 0; j < g.Size.Y; j++)
            {
                for (int i = 0; i < g.Size.X; i++)
                {
                    if (volume[i, j, k] > BodyHu)
                    {
                        var p = g.IndexToWorld(i, j, k);
                        x0 = Math.Min(x0, p.X);
                        x1 = Math.Max(x1, p.X);
                        y0 = Math.Min(y0, p.Y);
                        y1 = Math.Max(y1, p.Y);
                    }
                }
            }
        }

        var (min, max) = WorldBounds(g);
        if (x0 > x1)
        {
            return (min, max);
        }

        double half = Math.Max(x1 - x0, y1 - y0) / 2 + FrameMarginMm;
        double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        return (new Vec3(cx - half, cy - half, min.Z), new Vec3(cx + half, cy + half, max.Z));
    }

    public static (Vec3 Min, Vec3 Max) WorldBounds(VolumeGeometry g)
    {
        var a = g.IndexToWorld(0, 0, 0);
        var b = g.IndexToWorld(g.Size.X - 1, g.Size.Y - 1, g.Size.Z - 1);
        return (new Vec3(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z)),
            new Vec3(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z)));
    }
}
