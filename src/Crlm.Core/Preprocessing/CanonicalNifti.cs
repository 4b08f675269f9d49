using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// A NIfTI file as its closest canonical (RAS+) array: the header's grid reoriented, without reading voxels.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Header">Its header as stored.</param>
/// <param name="Axes">How stored axes become canonical ones.</param>
/// <param name="Size">Canonical array shape.</param>
/// <param name="Affine">Canonical 4x4 voxel-to-world (RAS+ mm) affine, row-major.</param>
/// <param name="Zooms">Canonical voxel spacing as the peer takes it (see <see cref="CanonicalNifti.Open"/>).</param>
/// <param name="StoredAxisCodes">Orientation of the stored array, e.g. "LPS".</param>
public sealed record CanonicalImage(
    string Path, NiftiHeader Header, CanonicalAxes Axes, Int3 Size, double[,] Affine, Vec3 Zooms, string StoredAxisCodes)
{
    /// <summary>The whole canonical array as a box.</summary>
    public IndexBox Whole => new(new Int3(0, 0, 0), Size);

    /// <summary>The canonical grid as a geometry (spacing = affine column lengths).</summary>
    public VolumeGeometry Geometry() => VolumeGeometry.FromAffine(Size, Affine);

    /// <summary>
    /// True when both files describe the same canonical grid: the same shape and affines equal within
    /// numpy's allclose(atol = 1e-3, rtol = 1e-5), the peer's test.
    /// </summary>
    public bool SameGridAs(CanonicalImage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Size != other.Size)
        {
            return false;
        }

        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                if (!(Math.Abs(Affine[r, c] - other.Affine[r, c]) <= 1e-3 + 1e-5 * Math.Abs(other.Affine[r, c])))
                {
                    return false;
                }
            }
        }

        return true;
    }
}

/// <summary>
/// Reads NIfTI voxels straight into canonical (RAS+) order, optionally only a box of the canonical array:
/// the decoder's chunks are converted and scattered row by row, so reorienting costs no second pass and
/// rows outside the box are never converted or kept. Malformed files raise <see cref="NiftiFormatException"/>.
/// </summary>
public static class CanonicalNifti
{
    /// <summary>
    /// Reads the header and works out the canonical grid. <see cref="CanonicalImage.Zooms"/> follows nibabel as
    /// the peer uses it (<c>as_closest_canonical(img).header.get_zooms()</c>): a file that is already
    /// canonical keeps its pixdim; a reoriented one gets the canonical affine's column lengths, stored as
    /// float32 in a NIfTI-1 header. A pixdim that disagrees with the affine beyond float32 rounding is not
    /// trusted; the affine wins (nibabel would silently use the wrong pixdim).
    /// </summary>
    public static CanonicalImage Open(string path)
    {
        var header = NiftiReader.ReadHeader(path);
        var stored = header.Geometry();
        var axes = CanonicalAxes.FromDirection(stored.Direction);
        var size = axes.CanonicalSize(header.Size);
        var affine = axes.CanonicalAffine(header.Affine(), header.Size);
        Span<double> zooms = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            double norm = Math.Sqrt(affine[0, c] * affine[0, c] + affine[1, c] * affine[1, c] + affine[2, c] * affine[2, c]);
            double pixdim = header.PixDim[c + 1];
            bool pixdimAgrees = double.IsFinite(pixdim) && Math.Abs(pixdim - norm) <= 1e-5 * norm;
            zooms[c] = axes.IsIdentity && pixdimAgrees ? pixdim
                : header.Version == 1 ? (float)norm
                : norm;
        }

        return new CanonicalImage(Path.GetFullPath(path), header, axes, size, affine, new Vec3(zooms[0], zooms[1], zooms[2]), stored.AxisCodes());
    }

    /// <summary>
    /// The image in float32 (scl_slope/scl_inter applied, as nibabel's <c>get_fdata(dtype=float32)</c>), only
    /// the voxels of <paramref name="region"/> (a box inside the canonical array), region x fastest.
    /// </summary>
    public static float[] ReadImage(CanonicalImage image, IndexBox region)
    {
        ArgumentNullException.ThrowIfNull(image);
        var output = new float[CheckedCount(image, region)];
        Decode(image, region, output, new HuConverter(image.Header));
        return output;
    }

    /// <summary>
    /// A liver mask as 0/1 bytes over <paramref name="region"/>: voxels &gt; 0, or equal to
    /// <paramref name="label"/> when given (TotalSegmentator's liver is 5). Values are scaled first, as nibabel's dataobj.
    /// </summary>
    public static byte[] ReadMask(CanonicalImage mask, IndexBox region, int? label)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var output = new byte[CheckedCount(mask, region)];
        Decode(mask, region, output, new MaskConverter(mask.Header, label));
        return output;
    }

    /// <summary>
    /// A label map (e.g. lesion instances) as bytes over <paramref name="region"/>: 0 for values ≤ 0, else the
    /// label, which must be a whole number up to 255 (anything else is an error naming the file and value).
    /// </summary>
    public static byte[] ReadLabels(CanonicalImage labels, IndexBox region)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var output = new byte[CheckedCount(labels, region)];
        Decode(labels, region, output, new LabelConverter(labels.Header));
        return output;
    }

    private static int CheckedCount(CanonicalImage image, IndexBox region)
    {
        var inside = region.ClipTo(image.Size);
        if (region.IsEmpty || inside != region)
        {
            throw new ArgumentException($"region {region} is not inside the canonical array {image.Size} of {image.Path}", nameof(region));
        }

        return checked((int)region.VoxelCount);
    }

    private static void Decode<TOut>(CanonicalImage image, IndexBox region, TOut[] output, IValueConverter<TOut> converter)
        where TOut : unmanaged
    {
        using var source = NiftiSource.Open(image.Path);
        source.CheckDataSize(NiftiReader.MaxDataBytes);
        var map = VoxelMap.ToRegion(image.Axes, source.Header.Size, region);
        NiftiVoxelDecoder.Decode(source, new CanonicalSink<TOut>(map, source.Header.Size, output, converter), map.VoxelLimit);
    }
}
