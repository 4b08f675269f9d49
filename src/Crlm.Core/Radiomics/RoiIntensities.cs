using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>An IBSI re-segmentation range: ROI voxels with an intensity outside [Lower, Upper] leave the intensity mask.</summary>
public readonly record struct ResegmentationRange(double Lower, double Upper)
{
    public bool Contains(double value) => value >= Lower && value <= Upper;
}

/// <summary>
/// Reads the intensities of a region of interest, the input of the intensity-based families, and builds the IBSI
/// intensity mask (the ROI after re-segmentation). The morphological mask stays the ROI as drawn.
/// </summary>
public static class RoiIntensities
{
    /// <summary>
    /// The ROI's intensities in memory order (i fastest). A voxel is in the ROI when its mask value is non-zero
    /// and, with a <paramref name="range"/>, its intensity lies inside it.
    /// </summary>
    /// <exception cref="ArgumentException">The grids differ, or no voxel is left in the ROI.</exception>
    public static double[] Extract(Volume<float> image, Volume<byte> mask, ResegmentationRange? range = null)
    {
        var intensityMask = range is { } r ? Resegment(image, mask, r) : RequireSameGrid(image, mask);
        var voxels = image.Voxels;
        var inRoi = intensityMask.Voxels;
        int count = 0;
        for (int n = 0; n < inRoi.Length; n++)
        {
            if (inRoi[n] != 0)
            {
                count++;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("the ROI is empty (no mask voxel" + (range is null ? ")" : " inside the re-segmentation range)"), nameof(mask));
        }

        var values = new double[count];
        int next = 0;
        for (int n = 0; n < inRoi.Length; n++)
        {
            if (inRoi[n] != 0)
            {
                values[next++] = voxels[n];
            }
        }

        return values;
    }

    /// <summary>
    /// The IBSI intensity mask: mask voxels (non-zero) whose intensity lies in <paramref name="range"/>, as 1; all else 0.
    /// </summary>
    public static Volume<byte> Resegment(Volume<float> image, Volume<byte> mask, ResegmentationRange range)
    {
        RequireSameGrid(image, mask);
        if (!(range.Lower <= range.Upper))
        {
            throw new ArgumentException($"re-segmentation range [{range.Lower}, {range.Upper}] is empty", nameof(range));
        }

        var output = new byte[mask.Voxels.Length];
        var voxels = image.Voxels;
        var inMask = mask.Voxels;
        for (int n = 0; n < output.Length; n++)
        {
            output[n] = inMask[n] != 0 && range.Contains(voxels[n]) ? (byte)1 : (byte)0;
        }

        return new Volume<byte>(mask.Geometry, output);
    }

    internal static Volume<byte> RequireSameGrid(Volume<float> image, Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        if (image.Size != mask.Size)
        {
            throw new ArgumentException($"image grid {image.Size} and mask grid {mask.Size} differ", nameof(mask));
        }

        return mask;
    }
}
