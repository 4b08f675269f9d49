using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// One streaming pass over the stored values: min, max and mean of the scaled values (float64, compensated
/// summation) and, for unscaled integer data, a count per distinct value while there are at most
/// <see cref="NiftiInspection.MaxLabelCount"/> of them.
/// </summary>
/// <remarks>Min/Max/Mean follow numpy: any NaN voxel makes all three NaN; <see cref="NanCount"/> says how many.</remarks>
internal sealed class NiftiValueStatistics((double Slope, double Inter)? scaling, bool countLabels) : IVoxelSink
{
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _sum;
    private double _compensation;
    private long _count;

    // Dense bins for 8/16-bit types (offset so the minimum value lands in bin 0); a map for wider types.
    private long[]? _bins;
    private int _binOffset;
    private Dictionary<long, long>? _map;
    private bool _labelsAbandoned = !countLabels;

    public long NanCount { get; private set; }
    public double Min => NanCount > 0 ? double.NaN : _min;
    public double Max => NanCount > 0 ? double.NaN : _max;
    public double Mean => NanCount > 0 ? double.NaN : (_sum + _compensation) / _count;

    public void Accept<TStored>(ReadOnlySpan<TStored> chunk, long firstVoxel) where TStored : unmanaged, INumber<TStored>
    {
        double slope = scaling?.Slope ?? 1.0, inter = scaling?.Inter ?? 0.0;
        bool scaled = scaling is not null;
        foreach (var stored in chunk)
        {
            double v = double.CreateTruncating(stored);
            if (scaled)
            {
                v = v * slope + inter;
            }

            if (double.IsNaN(v))
            {
                NanCount++;
                continue;
            }

            if (v < _min) _min = v;
            if (v > _max) _max = v;

            // Neumaier summation: the mean of millions of float voxels stays accurate to ~1 ulp.
            double t = _sum + v;
            _compensation += Math.Abs(_sum) >= Math.Abs(v) ? (_sum - t) + v : (v - t) + _sum;
            _sum = t;
        }

        _count += chunk.Length;
        if (!_labelsAbandoned)
        {
            CountLabels(chunk);
        }
    }

    private void CountLabels<TStored>(ReadOnlySpan<TStored> chunk) where TStored : unmanaged, INumber<TStored>
    {
        if (typeof(TStored) == typeof(byte) || typeof(TStored) == typeof(sbyte)
            || typeof(TStored) == typeof(short) || typeof(TStored) == typeof(ushort))
        {
            CountDense(chunk);
            return;
        }

        _map ??= [];
        foreach (var stored in chunk)
        {
            if (typeof(TStored) == typeof(ulong) && ulong.CreateTruncating(stored) > long.MaxValue)
            {
                Abandon();
                return;
            }

            long key = long.CreateTruncating(stored);
            ref long slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, key, out bool existed);
            slot++;
            if (!existed && _map.Count > NiftiInspection.MaxLabelCount)
            {
                Abandon();
                return;
            }
        }
    }

    private void CountDense<TStored>(ReadOnlySpan<TStored> chunk) where TStored : unmanaged, INumber<TStored>
    {
        if (_bins is null)
        {
            bool signed = typeof(TStored) == typeof(sbyte) || typeof(TStored) == typeof(short);
            int bits = 8 * Unsafe.SizeOf<TStored>();
            _bins = new long[1 << bits];
            _binOffset = signed ? 1 << (bits - 1) : 0;
        }

        foreach (var stored in chunk)
        {
            _bins[int.CreateTruncating(stored) + _binOffset]++;
        }
    }

    private void Abandon()
    {
        _labelsAbandoned = true;
        _map = null;
        _bins = null;
    }

    /// <summary>Value → voxel count, ascending; null when not counted or more than the label limit.</summary>
    public SortedDictionary<long, long>? Labels()
    {
        if (_labelsAbandoned)
        {
            return null;
        }

        var labels = new SortedDictionary<long, long>();
        if (_bins is not null)
        {
            for (int n = 0; n < _bins.Length; n++)
            {
                if (_bins[n] != 0)
                {
                    labels[n - _binOffset] = _bins[n];
                    if (labels.Count > NiftiInspection.MaxLabelCount)
                    {
                        return null;
                    }
                }
            }
        }
        else if (_map is not null)
        {
            foreach (var (value, count) in _map)
            {
                labels[value] = count;
            }
        }

        return labels;
    }
}
