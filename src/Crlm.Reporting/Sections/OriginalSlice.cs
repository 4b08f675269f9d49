using System.Globalization;
using Crlm.Core.Imaging;
using Crlm.Core.IO;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;
using Crlm.Reporting.Model;

namespace Crlm.Reporting.Sections;

/// <summary>
/// A scan's original CT where preprocessing cropped it: the axial slice of the original image through the centre of the
/// cached box, in a liver window, radiological display, with the box's footprint and the original liver mask outlined.
/// It shows what the box slice cannot: whether the crop sits on the liver of the whole abdomen.
/// </summary>
/// <remarks>
/// The original is read as its closest canonical (RAS+) array, as preprocessing reads it, so any stored orientation
/// (a flipped x, LPS files) displays the same way as the box slices: patient's right on the viewer's left, anterior up.
/// Only the one slice is decoded. The box's 8 corners come from the cached box's own affine, so the footprint is right
/// whatever spacing the box was resampled to; on an oblique original it is the hull of the projected corners.
/// </remarks>
internal static class OriginalSlice
{
    /// <summary>Liver/abdomen window: level 50 HU, width 400 HU.</summary>
    public const double WindowLevel = 50, WindowWidth = 400;

    public static readonly Rgb BoxColour = new(0, 200, 255);

    /// <summary>The same amber as the box slices' liver outline, so one legend reads both pictures.</summary>
    public static readonly Rgb LiverColour = new(255, 190, 0);

    /// <summary>Pictures are shown no wider than this many screen pixels (the browser scales a 512-wide CT down).</summary>
    private const int MaxDisplayWidth = 384;

    /// <summary>The picture and where it came from.</summary>
    internal sealed record Drawing(RgbRaster Raster, int Slice, int SliceCount, Vec3 Zooms);

    public static ImageBlock Image(string scanId, string patientId, string boxImagePath, string imagePath, string liverPath, int? liverLabel)
    {
        var drawing = Draw(boxImagePath, imagePath, liverPath, liverLabel);
        var raster = drawing.Raster;
        double scale = Math.Min(Math.Max(1, MaxDisplayWidth / raster.Width), (double)MaxDisplayWidth / raster.Width);
        int width = (int)Math.Round(raster.Width * scale);
        int height = (int)Math.Round(raster.Height * scale * drawing.Zooms.Y / drawing.Zooms.X); // true aspect for non-square pixels
        string caption = string.Create(CultureInfo.InvariantCulture,
            $"{patientId} / {scanId}: original CT, axial slice {drawing.Slice} of {drawing.SliceCount} through the box centre, W {WindowWidth} / L {WindowLevel}; crop box cyan, liver amber");
        return new ImageBlock(caption, $"original axial CT slice of scan {scanId} with the crop box and the liver outlined",
            PngEncoder.Rgb(raster.Pixels, raster.Width, raster.Height), width, height);
    }

    public static Drawing Draw(string boxImagePath, string imagePath, string liverPath, int? liverLabel)
    {
        var box = NiftiReader.ReadHeader(boxImagePath).Geometry();
        var original = CanonicalNifti.Open(Existing(imagePath, "original image"));
        var liver = CanonicalNifti.Open(Existing(liverPath, "original liver mask"));
        if (!liver.SameGridAs(original))
        {
            throw new InvalidDataException($"the original liver mask {liverPath} is not on the grid of its image");
        }

        var grid = original.Geometry();
        var size = original.Size;
        var centre = grid.WorldToIndex(box.IndexToWorld(new Vec3((box.Size.X - 1) / 2.0, (box.Size.Y - 1) / 2.0, (box.Size.Z - 1) / 2.0)));
        int k = (int)Math.Round(centre.Z, MidpointRounding.AwayFromZero);
        if (k < 0 || k >= size.Z)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the crop box's centre lies outside the original image (axial index {centre.Z:0.#} of {size.Z})"));
        }

        var region = new IndexBox(new Int3(0, 0, k), new Int3(size.X, size.Y, 1));
        float[] ct = CanonicalNifti.ReadImage(original, region);
        byte[] mask = CanonicalNifti.ReadMask(liver, region, liverLabel);

        int w = size.X, h = size.Y;
        var raster = new RgbRaster(w, h);
        double low = WindowLevel - WindowWidth / 2;
        bool Inside(int i, int j) => i >= 0 && j >= 0 && i < w && j < h && mask[i + w * j] > 0;
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < w; i++)
            {
                float v = ct[i + w * j];
                bool edge = Inside(i, j) && (!Inside(i - 1, j) || !Inside(i + 1, j) || !Inside(i, j - 1) || !Inside(i, j + 1));
                byte grey = (byte)Math.Clamp(float.IsFinite(v) ? 255 * (v - low) / WindowWidth : 0, 0, 255);
                (int x, int y) = Display(i, j, w, h);
                raster[x, y] = edge ? LiverColour : Rgb.Grey(grey);
            }
        }

        DrawPolygon(raster, ConvexHull(BoxCorners(box).Select(c => grid.WorldToIndex(c)).Select(p => DisplayPoint(p, w, h))), BoxColour);
        return new Drawing(raster, k, size.Z, original.Zooms);
    }

    /// <summary>Radiological display of a canonical (RAS+) slice, as the box slices: patient's right on the viewer's left, anterior at the top.</summary>
    private static (int X, int Y) Display(int i, int j, int w, int h) => (w - 1 - i, h - 1 - j);

    private static (double X, double Y) DisplayPoint(Vec3 index, int w, int h) => (w - 1 - index.X, h - 1 - index.Y);

    /// <summary>
    /// World positions of the centres of the box's 8 corner voxels: the outline then runs over the box's border
    /// voxels instead of between two pixels, and lands on whole pixels when box and original share a grid.
    /// </summary>
    private static IEnumerable<Vec3> BoxCorners(VolumeGeometry box)
    {
        foreach (int i in new[] { 0, box.Size.X - 1 })
        {
            foreach (int j in new[] { 0, box.Size.Y - 1 })
            {
                foreach (int k in new[] { 0, box.Size.Z - 1 })
                {
                    yield return box.IndexToWorld(i, j, k);
                }
            }
        }
    }

    /// <summary>Andrew's monotone chain: the hull's corners in order (a rectangle for an axis-aligned box).</summary>
    private static List<(double X, double Y)> ConvexHull(IEnumerable<(double X, double Y)> points)
    {
        var sorted = points.Select(p => (X: Math.Round(p.X, 6), Y: Math.Round(p.Y, 6))).Distinct().OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (sorted.Count < 3)
        {
            return sorted;
        }

        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
            (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        var hull = new List<(double X, double Y)>();
        foreach (var pass in new[] { sorted, Enumerable.Reverse(sorted).ToList() })
        {
            int start = hull.Count;
            foreach (var p in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0)
                {
                    hull.RemoveAt(hull.Count - 1);
                }

                hull.Add(p);
            }

            hull.RemoveAt(hull.Count - 1); // the last point of one chain starts the other
        }

        return hull;
    }

    /// <summary>Closed outline through the points, one-pixel lines, clipped to the raster (a box may reach past the image).</summary>
    private static void DrawPolygon(RgbRaster raster, List<(double X, double Y)> points, Rgb colour)
    {
        for (int n = 0; n < points.Count; n++)
        {
            var (a, b) = (points[n], points[(n + 1) % points.Count]);
            int steps = (int)Math.Ceiling(4 * Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y))) + 1;
            for (int s = 0; s <= steps; s++)
            {
                double t = (double)s / steps;
                int x = (int)Math.Round(a.X + t * (b.X - a.X), MidpointRounding.AwayFromZero);
                int y = (int)Math.Round(a.Y + t * (b.Y - a.Y), MidpointRounding.AwayFromZero);
                if (raster.Contains(x, y))
                {
                    raster[x, y] = colour;
                }
            }
        }
    }

    private static string Existing(string path, string what) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{what} {path} not found (moved or deleted?)", path);
}
