using Crlm.Core.Imaging;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>
/// Axial slices in radiological display (patient right on the screen's left, anterior up), sampled
/// through the volume's affine so every storage orientation looks the same, windowed to 8 bits.
/// </summary>
internal static class AxialSlicePicture
{
    /// <summary>A strip of panels, one per world z, each <paramref name="pixels"/> square over the volume's in-plane extent.</summary>
    public static (byte[] Pixels, int Width, int Height) Strip(Volume<short> volume, IReadOnlyList<double> worldZ, int pixels,
        double level = 60, double width = 300)
    {
        var g = volume.Geometry;
        var (min, max) = WorldBounds(g);
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
                    var idx = g.WorldToIndex(new Vec3(x, y, worldZ[panel]));
                    int i = (int)Math.Round(idx.X), j = (int)Math.Round(idx.Y), k = (int)Math.Round(idx.Z);
                    byte value = 0;
                    if (g.Contains(i, j, k))
                    {
                        value = (byte)Math.Clamp((volume[i, j, k] - lo) / width * 255, 0, 255);
                    }

                    output[r * w + panel * pixels + c] = value;
                }
            }
        }

        return (output, w, pixels);
    }

    public static (Vec3 Min, Vec3 Max) WorldBounds(VolumeGeometry g)
    {
        var a = g.IndexToWorld(0, 0, 0);
        var b = g.IndexToWorld(g.Size.X - 1, g.Size.Y - 1, g.Size.Z - 1);
        return (new Vec3(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z)),
            new Vec3(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z)));
    }
}
