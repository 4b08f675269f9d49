using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// A scan (image, liver mask, optional lesion mask) seen in canonical orientation, handing out only the parts
/// the preprocessing asks for. One implementation streams from NIfTI files, one wraps volumes in memory.
/// </summary>
internal interface IScanSource
{
    /// <summary>Canonical shape, shared by image and masks.</summary>
    Int3 Size { get; }

    /// <summary>Canonical voxel-to-world affine.</summary>
    double[,] Affine { get; }

    /// <summary>Canonical spacing used for resampling.</summary>
    Vec3 Zooms { get; }

    string StoredAxisCodes { get; }

    /// <summary>How the image is named in messages.</summary>
    string ImageName { get; }

    /// <summary>How the liver mask is named in messages.</summary>
    string LiverName { get; }

    bool HasLesions { get; }

    /// <summary>The whole canonical liver mask as 0/1.</summary>
    byte[] LiverMask(int? label);

    float[] Image(IndexBox region);

    byte[] Lesions(IndexBox region);
}

/// <summary>A scan on disk: headers are checked on construction, voxels are read on demand, canonical and cropped.</summary>
internal sealed class NiftiScanSource : IScanSource
{
    private readonly CanonicalImage _image;
    private readonly CanonicalImage _liver;
    private readonly CanonicalImage? _lesion;

    public NiftiScanSource(string imagePath, string liverPath, string? lesionPath)
    {
        _image = CanonicalNifti.Open(imagePath);
        _liver = CanonicalNifti.Open(liverPath);
        _lesion = lesionPath is null ? null : CanonicalNifti.Open(lesionPath);
        RequireSameGrid(_liver, "liver mask");
        if (_lesion is not null)
        {
            RequireSameGrid(_lesion, "lesion mask");
        }
    }

    public Int3 Size => _image.Size;
    public double[,] Affine => _image.Affine;
    public Vec3 Zooms => _image.Zooms;
    public string StoredAxisCodes => _image.StoredAxisCodes;
    public string ImageName => _image.Path;
    public string LiverName => _liver.Path;
    public bool HasLesions => _lesion is not null;

    public byte[] LiverMask(int? label) => CanonicalNifti.ReadMask(_liver, _liver.Whole, label);

    public float[] Image(IndexBox region) => CanonicalNifti.ReadImage(_image, region);

    public byte[] Lesions(IndexBox region) =>
        CanonicalNifti.ReadLabels(_lesion ?? throw new InvalidOperationException("this scan has no lesion mask"), region);

    private void RequireSameGrid(CanonicalImage mask, string what)
    {
        if (!mask.SameGridAs(_image))
        {
            throw new PreprocessingException(
                $"the {what} {mask.Path} is not on the grid of its image {_image.Path}: " +
                $"the {what} is {mask.Header.Geometry()}, the image is {_image.Header.Geometry()}");
        }
    }
}

/// <summary>A scan already in memory (any orientation): reoriented once, then cut as asked.</summary>
internal sealed class VolumeScanSource : IScanSource
{
    private readonly Volume<float> _image;
    private readonly Volume<byte> _liver;
    private readonly Volume<byte>? _lesion;

    public VolumeScanSource(Volume<float> image, Volume<byte> liver, Volume<byte>? lesion)
    {
        StoredAxisCodes = image.Geometry.AxisCodes();
        _image = CanonicalAxes.Reorient(image);
        _liver = CanonicalAxes.Reorient(liver);
        _lesion = lesion is null ? null : CanonicalAxes.Reorient(lesion);
        foreach (var (mask, what) in new[] { (_liver, "liver mask"), (_lesion, "lesion mask") })
        {
            if (mask is not null && !mask.Geometry.SameGridAs(_image.Geometry))
            {
                throw new PreprocessingException($"the {what} is not on the grid of its image: the {what} is {mask.Geometry}, the image is {_image.Geometry}");
            }
        }
    }

    public Int3 Size => _image.Size;
    public double[,] Affine => _image.Geometry.Affine();
    public Vec3 Zooms => _image.Geometry.Spacing;
    public string StoredAxisCodes { get; }
    public string ImageName => "the image";
    public string LiverName => "the liver mask";
    public bool HasLesions => _lesion is not null;

    public byte[] LiverMask(int? label)
    {
        var mask = new byte[_liver.Voxels.Length];
        for (int n = 0; n < mask.Length; n++)
        {
            byte v = _liver.Voxels[n];
            mask[n] = (label is { } l ? v == l : v > 0) ? (byte)1 : (byte)0;
        }

        return mask;
    }

    public float[] Image(IndexBox region) => Cut(_image.Voxels, region);

    public byte[] Lesions(IndexBox region) => Cut((_lesion ?? throw new InvalidOperationException("this scan has no lesion mask")).Voxels, region);

    private T[] Cut<T>(T[] whole, IndexBox region) where T : unmanaged
    {
        var part = new T[region.VoxelCount];
        for (int z = 0; z < region.Size.Z; z++)
        {
            for (int y = 0; y < region.Size.Y; y++)
            {
                int from = ((region.Start.Z + z) * Size.Y + region.Start.Y + y) * Size.X + region.Start.X;
                whole.AsSpan(from, region.Size.X).CopyTo(part.AsSpan((z * region.Size.Y + y) * region.Size.X, region.Size.X));
            }
        }

        return part;
    }
}
