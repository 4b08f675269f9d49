using System.Globalization;
using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>A preprocessed scan: the normalised image and the masks on the same box grid, and what was done.</summary>
/// <param name="Image">float32 box, normalised; its geometry is the output affine.</param>
/// <param name="Liver">0/1 liver mask on the box.</param>
/// <param name="Lesions">Lesion labels on the box, when a lesion mask was given.</param>
public sealed record PreprocessResult(Volume<float> Image, Volume<byte> Liver, Volume<byte>? Lesions, PreprocessReport Report);

/// <summary>
/// The study's CT preprocessing of one scan, step for step as ../shared/peers/preprocess.py (README section
/// 3): canonical (RAS) orientation by the affine; linear resampling of the image and nearest of the masks to
/// the target spacing; a fixed box centred on the liver's bounding box (image padded with air, masks with 0);
/// the HU window; per-scan normalisation; the output affine. Lesion masks follow the liver mask's geometry.
/// </summary>
/// <remarks>
/// Differences from the peer, all deliberate: the crop is decided before any image voxel is resampled, so
/// only the box is computed and only the input rows it reads are decoded (same numbers, a fraction of the
/// work and memory); an empty liver mask is an error by default, or (<see cref="EmptyLiverPolicy.BodyCentre"/>)
/// centres the box on the body, where the peer silently takes the volume's centre.
/// </remarks>
public static class ScanPreprocessor
{
    /// <summary>Preprocesses NIfTI files. Throws <see cref="PreprocessingException"/> or a NIfTI/IO error naming the file.</summary>
    public static PreprocessResult Run(string imagePath, string liverMaskPath, string? lesionMaskPath, PreprocessOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentException.ThrowIfNullOrEmpty(liverMaskPath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run(new NiftiScanSource(imagePath, liverMaskPath, lesionMaskPath), options);
    }

    /// <summary>Preprocesses volumes already in memory (any orientation); the liver mask is read as the files would be.</summary>
    public static PreprocessResult Run(Volume<float> image, Volume<byte> liverMask, Volume<byte>? lesionMask, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(liverMask);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run(new VolumeScanSource(image, liverMask, lesionMask), options);
    }

    private static PreprocessResult Run(IScanSource scan, PreprocessOptions options)
    {
        var plan = ResamplePlan.Create(scan.Size, scan.Zooms, options.Spacing, options.Grid);
        RequireUsable(plan, scan, options);
        var warnings = new List<string>();
        var box = options.Box;

        // 1. Where the box goes, from the liver mask alone (its resampled bounding box, found by projection).
        byte[] liver = scan.LiverMask(options.LiverLabel);
        var bounds = MaskBounds.Resampled(liver, scan.Size, plan);
        float[]? wholeImage = null;
        Int3 centre;
        if (bounds is { } b)
        {
            centre = b.Centre;
            var extent = b.Extent;
            if (extent.X > box.X || extent.Y > box.Y || extent.Z > box.Z)
            {
                warnings.Add($"the liver spans {extent} voxels on the resampled grid, more than the box {box}: " +
                    "the box is centred on the liver and cuts it");
            }
        }
        else if (options.EmptyLiver == EmptyLiverPolicy.Error)
        {
            throw new PreprocessingException($"the liver mask {scan.LiverName} has no liver voxel ({LiverRule(options)}) " +
                "on the resampled grid; fix the mask, or choose the empty-liver policy 'body_centre' to centre the box on the body");
        }
        else
        {
            wholeImage = scan.Image(new IndexBox(new Int3(0, 0, 0), scan.Size));
            var body = MaskBounds.Resampled(BodyMask(wholeImage), scan.Size, plan);
            var shape = plan.OutputShape;
            centre = body?.Centre ?? new Int3((shape.X - 1) / 2, (shape.Y - 1) / 2, (shape.Z - 1) / 2);
            warnings.Add($"the liver mask {scan.LiverName} has no liver voxel ({LiverRule(options)}): the box is centred on " +
                (body is null ? "the volume (no voxel above " + Hu(PreprocessOptions.BodyThresholdHu) + " HU either)" : "the body (voxels above " + Hu(PreprocessOptions.BodyThresholdHu) + " HU)"));
        }

        var start = new Int3(centre.X - box.X / 2, centre.Y - box.Y / 2, centre.Z - box.Z / 2);
        var target = new IndexBox(start, box).ClipTo(plan.OutputShape);
        var region = InputRegion(plan, target);

        // 2. Resample only the box: image linear, masks nearest; outside the volume stays padding.
        var image = new float[box.Product];
        Array.Fill(image, (float)options.PadHu);
        if (wholeImage is null)
        {
            Resampler.Linear(scan.Image(region), region, plan, target, image, box, start);
        }
        else
        {
            Resampler.Linear(wholeImage, new IndexBox(new Int3(0, 0, 0), scan.Size), plan, target, image, box, start);
        }

        var liverBox = new byte[box.Product];
        long liverVoxels = Resampler.Nearest(liver, new IndexBox(new Int3(0, 0, 0), scan.Size), plan, target, liverBox, box, start);
        byte[]? lesionBox = null;
        long? lesionVoxels = null;
        if (scan.HasLesions)
        {
            lesionBox = new byte[box.Product];
            lesionVoxels = Resampler.Nearest(scan.Lesions(region), region, plan, target, lesionBox, box, start);
        }

        // 3. Window, then normalise.
        Intensity.Clip(image, options.WindowLow, options.WindowHigh);
        var normalisation = Normalise(image, liverBox, options);
        var stats = ValueStats.Of(image);

        var affine = OutputAffine(scan.Affine, plan.Step, start);
        var geometry = VolumeGeometry.FromAffine(box, affine);
        var report = new PreprocessReport
        {
            Resample = PreprocessOptions.GridName(options.Grid),
            InputShape = Ints(scan.Size),
            InputSpacing = scan.Zooms.ToArray(),
            InputAxcodes = scan.StoredAxisCodes,
            ResampledShape = Ints(plan.OutputShape),
            TargetSpacing = options.Spacing.ToArray(),
            Spacing = geometry.Spacing.ToArray(),
            Shape = Ints(box),
            LiverBboxLo = bounds is { } lo ? Ints(lo.Lo) : null,
            LiverBboxHi = bounds is { } hi ? Ints(hi.Hi) : null,
            CropStart = Ints(start),
            Window = [options.WindowLow, options.WindowHigh],
            Normalisation = normalisation,
            Mean = stats.Mean,
            Std = stats.Std,
            Min = stats.Min,
            Max = stats.Max,
            LiverVoxels = liverVoxels,
            LesionVoxels = lesionVoxels,
            Affine = Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 4).Select(c => affine[r, c]).ToArray()).ToArray(),
            Warnings = warnings,
        };
        return new PreprocessResult(
            new Volume<float>(geometry, image),
            new Volume<byte>(geometry, liverBox),
            lesionBox is null ? null : new Volume<byte>(geometry, lesionBox),
            report);
    }

    /// <summary>
    /// Output voxel v is resampled voxel v + start, i.e. input voxel (v + start)·step, so the output affine is
    /// A_canonical · [diag(step) | diag(step)·start] (the peer's formula, same operation order).
    /// </summary>
    public static double[,] OutputAffine(double[,] canonical, Vec3 step, Int3 start)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var a = new double[4, 4];
        double[] shift = [step.X * start.X, step.Y * start.Y, step.Z * start.Z];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                a[r, c] = canonical[r, c] * step[c];
            }

            a[r, 3] = canonical[r, 0] * shift[0] + canonical[r, 1] * shift[1] + canonical[r, 2] * shift[2] + canonical[r, 3];
        }

        a[3, 3] = 1;
        return a;
    }

    /// <summary>The input voxels (canonical) that the resampled voxels of <paramref name="target"/> read, linear or nearest.</summary>
    internal static IndexBox InputRegion(ResamplePlan plan, IndexBox target)
    {
        Span<int> lo = stackalloc int[3];
        Span<int> size = stackalloc int[3];
        for (int a = 0; a < 3; a++)
        {
            var (first, last) = plan[a].InputSpan(target.Start.At(a), target.End.At(a));
            lo[a] = first;
            size[a] = last - first + 1;
        }

        return new IndexBox(Int3Axes.FromSpan(lo), Int3Axes.FromSpan(size));
    }

    private static NormalisationReport Normalise(float[] image, byte[] liver, PreprocessOptions options)
    {
        switch (options.Normalisation)
        {
            case Normalisation.ZScore:
                var z = Intensity.ZScore(image, liver);
                Intensity.Affine(image, z.Mean, z.Std);
                return new NormalisationReport { Method = "zscore", Mean = z.Mean, Std = z.Std, Over = z.Over };
            case Normalisation.MinMax:
                Intensity.Affine(image, options.WindowLow, options.WindowHigh - options.WindowLow);
                return new NormalisationReport { Method = "minmax" };
            default:
                return new NormalisationReport { Method = "none" };
        }
    }

    /// <summary>Zoom mode gives a zero step (a degenerate affine) when an axis resamples to a single voxel.</summary>
    private static void RequireUsable(ResamplePlan plan, IScanSource scan, PreprocessOptions options)
    {
        for (int a = 0; a < 3; a++)
        {
            if (plan[a].OutputLength < 2 && options.Grid == GridMode.Zoom)
            {
                throw new PreprocessingException(string.Create(CultureInfo.InvariantCulture,
                    $"the image {scan.ImageName} has {scan.Size.At(a)} voxels of {scan.Zooms[a]:G6} mm along {"xyz"[a]}, " +
                    $"which resample to a single voxel at {options.Spacing[a]:G6} mm: too short to preprocess"));
            }
        }
    }

    private static byte[] BodyMask(float[] image)
    {
        var body = new byte[image.Length];
        float threshold = (float)PreprocessOptions.BodyThresholdHu;
        for (int n = 0; n < body.Length; n++)
        {
            body[n] = image[n] > threshold ? (byte)1 : (byte)0;
        }

        return body;
    }

    private static string LiverRule(PreprocessOptions options) =>
        options.LiverLabel is { } l ? string.Create(CultureInfo.InvariantCulture, $"no voxel equal to label {l}") : "no voxel > 0";

    private static string Hu(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static int[] Ints(Int3 v) => [v.X, v.Y, v.Z];
}
