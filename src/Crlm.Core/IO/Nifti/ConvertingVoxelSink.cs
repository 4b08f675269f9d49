using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Crlm.Core.Imaging;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// Fills a voxel buffer of type <typeparamref name="T"/> from stored values: scaled by (slope, inter) when
/// the header asks for it, converted with CreateChecked so a value that does not fit is an error that
/// names the voxel, never a silent wrap.
/// </summary>
internal sealed class ConvertingVoxelSink<T>(T[] voxels, (double Slope, double Inter)? scaling, NiftiHeader header)
    : IVoxelSink where T : unmanaged, INumber<T>
{
    public void Accept<TStored>(ReadOnlySpan<TStored> chunk, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        var dest = voxels.AsSpan((int)firstVoxel, chunk.Length);
        try
        {
            if (scaling is not { } s)
            {
                if (typeof(TStored) == typeof(T))
                {
                    MemoryMarshal.Cast<TStored, T>(chunk).CopyTo(dest);
                    return;
                }

                for (int n = 0; n < chunk.Length; n++)
                {
                    dest[n] = T.CreateChecked(chunk[n]);
                }
            }
            else
            {
                for (int n = 0; n < chunk.Length; n++)
                {
                    dest[n] = T.CreateChecked(double.CreateTruncating(chunk[n]) * s.Slope + s.Inter);
                }
            }
        }
        catch (OverflowException e)
        {
            throw OutOfRange(chunk, firstVoxel, e);
        }
    }

    /// <summary>Slow path, only after a failure: convert again voxel by voxel to name the first offender.</summary>
    private NiftiFormatException OutOfRange<TStored>(ReadOnlySpan<TStored> chunk, long firstVoxel, OverflowException e)
        where TStored : unmanaged, INumber<TStored>
    {
        for (int n = 0; n < chunk.Length; n++)
        {
            double value = double.CreateTruncating(chunk[n]);
            try
            {
                _ = scaling is { } s ? T.CreateChecked(value * s.Slope + s.Inter) : T.CreateChecked(chunk[n]);
            }
            catch (OverflowException)
            {
                return Describe(firstVoxel + n, scaling is { } t ? value * t.Slope + t.Inter : value, e);
            }
        }

        return header.Fail($"a voxel value does not fit in {typeof(T).Name}", e);
    }

    private NiftiFormatException Describe(long linear, double value, OverflowException e)
    {
        Int3 size = header.Size;
        long i = linear % size.X;
        long j = linear / size.X % size.Y;
        long k = linear / ((long)size.X * size.Y);
        string scaled = scaling is null ? "" : " after scl_slope/scl_inter scaling";
        return header.Fail(
            $"voxel ({i}, {j}, {k}) holds {value.ToString("G9", CultureInfo.InvariantCulture)}{scaled}, " +
            $"which does not fit in {typeof(T).Name}; read it as a wider type", e);
    }
}
