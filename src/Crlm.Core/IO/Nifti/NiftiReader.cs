using System.Numerics;
using System.Runtime.CompilerServices;
using Crlm.Core.Imaging;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 and NIfTI-2 images (.nii, or gzip-compressed whatever the name), either byte
/// order. Every malformed or hostile input ends in a <see cref="NiftiFormatException"/> naming the file.
/// </summary>
public static class NiftiReader
{
    /// <summary>
    /// Largest voxel buffer read (stored bytes, and bytes of the returned array): 2 GiB. Declared sizes above
    /// it are refused before anything is allocated.
    /// </summary>
    public const long MaxDataBytes = 1L << 31;

    /// <summary>Reads the header and its extensions only (for gzip, only the bytes up to vox_offset are inflated).</summary>
    public static NiftiHeader ReadHeader(string path)
    {
        using var source = NiftiSource.Open(path);
        return source.Header;
    }

    /// <summary>
    /// Reads the image as <typeparamref name="T"/>: stored value × scl_slope + scl_inter when the slope is
    /// finite and non-zero (the NIfTI rule), else the stored value, converted with CreateChecked semantics
    /// (fractions truncate toward zero; a value outside <typeparamref name="T"/>'s range, or NaN for an
    /// integer type, is a <see cref="NiftiFormatException"/> naming the voxel).
    /// </summary>
    public static Volume<T> Read<T>(string path) where T : unmanaged, INumber<T>
    {
        using var source = NiftiSource.Open(path);
        return Read<T>(source);
    }

    /// <summary>As <see cref="ReadHeader(string)"/> from a seekable stream; <paramref name="name"/> appears in errors.</summary>
    internal static NiftiHeader ReadHeader(Stream stream, string name)
    {
        using var source = NiftiSource.Open(stream, name, ownsStream: false);
        return source.Header;
    }

    /// <summary>As <see cref="Read{T}(string)"/> from a seekable stream; <paramref name="name"/> appears in errors.</summary>
    internal static Volume<T> Read<T>(Stream stream, string name) where T : unmanaged, INumber<T>
    {
        using var source = NiftiSource.Open(stream, name, ownsStream: false);
        return Read<T>(source);
    }

    private static Volume<T> Read<T>(NiftiSource source) where T : unmanaged, INumber<T>
    {
        var header = source.Header;
        source.CheckDataSize(MaxDataBytes);
        long outputBytes = header.VoxelCount * Unsafe.SizeOf<T>();
        if (outputBytes > MaxDataBytes)
        {
            throw source.Fail($"{header.VoxelCount} voxels as {typeof(T).Name} need {outputBytes} bytes, over the {MaxDataBytes}-byte limit");
        }

        // Geometry and scaling are validated before the voxel buffer is allocated.
        var geometry = header.Geometry();
        var scaling = header.Scaling();
        if (scaling is { Slope: 1, Inter: 0 })
        {
            scaling = null;
        }

        var voxels = new T[header.VoxelCount];
        NiftiVoxelDecoder.Decode(source, new ConvertingVoxelSink<T>(voxels, scaling, header));
        return new Volume<T>(geometry, voxels);
    }
}
