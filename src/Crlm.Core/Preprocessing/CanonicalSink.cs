using System.Globalization;
using System.Numerics;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Preprocessing;

/// <summary>Turns a run of stored values into output values (one converter per kind of image).</summary>
internal interface IValueConverter<TOut> where TOut : unmanaged
{
    /// <param name="firstVoxel">Stored linear index of <paramref name="source"/>[0], for error messages.</param>
    void Convert<TStored>(ReadOnlySpan<TStored> source, Span<TOut> target, long firstVoxel) where TStored : unmanaged, INumber<TStored>;
}

/// <summary>
/// Receives decoded chunks in stored order, cuts them into stored rows, and converts and places only the part
/// of each row that falls inside the target region (see <see cref="VoxelMap"/>).
/// </summary>
internal sealed class CanonicalSink<TOut>(VoxelMap map, Int3 stored, TOut[] output, IValueConverter<TOut> converter) : IVoxelSink
    where TOut : unmanaged
{
    private TOut[] _row = new TOut[stored.X];

    public void Accept<TStored>(ReadOnlySpan<TStored> chunk, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        int offset = 0;
        while (offset < chunk.Length)
        {
            long linear = firstVoxel + offset;
            int i = (int)(linear % stored.X);
            long row = linear / stored.X;
            int j = (int)(row % stored.Y);
            int k = (int)(row / stored.Y);
            int length = Math.Min(stored.X - i, chunk.Length - offset);
            if (map.Clip(i, length, j, k, out int a, out int b))
            {
                int count = b - a + 1;
                var converted = _row.AsSpan(0, count);
                converter.Convert(chunk.Slice(offset + a - i, count), converted, linear + a - i);
                map.Place<TOut>(converted, a, j, k, output);
            }

            offset += length;
        }
    }
}

/// <summary>
/// CT values as float32, scaled as nibabel's <c>get_fdata(dtype=float32)</c> does: integer and float32 data
/// with a NIfTI-1 (float32) slope and intercept are scaled in float32; float64 data or a NIfTI-2 (float64)
/// scaling in float64, then rounded.
/// </summary>
internal sealed class HuConverter : IValueConverter<float>
{
    private readonly bool _scaled;
    private readonly double _slope;
    private readonly double _inter;
    private readonly bool _singleScaling;

    public HuConverter(NiftiHeader header)
    {
        var scaling = header.Scaling();
        _scaled = scaling is { } s && !(s.Slope == 1 && s.Inter == 0);
        (_slope, _inter) = scaling ?? (1, 0);
        _singleScaling = header.Version == 1;
    }

    public void Convert<TStored>(ReadOnlySpan<TStored> source, Span<float> target, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        if (!_scaled)
        {
            for (int n = 0; n < source.Length; n++)
            {
                target[n] = float.CreateTruncating(source[n]);
            }
        }
        else if (_singleScaling && typeof(TStored) != typeof(double))
        {
            float slope = (float)_slope, inter = (float)_inter;
            for (int n = 0; n < source.Length; n++)
            {
                target[n] = float.CreateTruncating(source[n]) * slope + inter;
            }
        }
        else
        {
            for (int n = 0; n < source.Length; n++)
            {
                target[n] = (float)(double.CreateTruncating(source[n]) * _slope + _inter);
            }
        }
    }
}

/// <summary>Liver mask values as 0/1: value &gt; 0, or value == label when a label is given (after scaling).</summary>
internal sealed class MaskConverter(NiftiHeader header, int? label) : IValueConverter<byte>
{
    private readonly (double Slope, double Inter) _scaling = header.Scaling() ?? (1, 0);

    public void Convert<TStored>(ReadOnlySpan<TStored> source, Span<byte> target, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        bool identity = _scaling is (1, 0);
        if (identity && label is null)
        {
            for (int n = 0; n < source.Length; n++)
            {
                target[n] = source[n] > TStored.Zero ? (byte)1 : (byte)0;
            }

            return;
        }

        for (int n = 0; n < source.Length; n++)
        {
            double v = double.CreateTruncating(source[n]) * _scaling.Slope + _scaling.Inter;
            target[n] = (label is { } l ? v == l : v > 0) ? (byte)1 : (byte)0;
        }
    }
}

/// <summary>Label values (lesion instances) as bytes: ≤ 0 is background; others must be whole numbers 1..255.</summary>
internal sealed class LabelConverter(NiftiHeader header) : IValueConverter<byte>
{
    private readonly (double Slope, double Inter) _scaling = header.Scaling() ?? (1, 0);

    public void Convert<TStored>(ReadOnlySpan<TStored> source, Span<byte> target, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        for (int n = 0; n < source.Length; n++)
        {
            double v = double.CreateTruncating(source[n]) * _scaling.Slope + _scaling.Inter;
            if (v <= 0 || double.IsNaN(v))
            {
                target[n] = 0;
            }
            else if (v <= byte.MaxValue && v == Math.Floor(v))
            {
                target[n] = (byte)v;
            }
            else
            {
                throw header.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"stored voxel {firstVoxel + n} holds {v:G9}; a label map needs whole labels 1..255 (0 or less is background)"));
            }
        }
    }
}
