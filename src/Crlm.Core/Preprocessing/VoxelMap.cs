using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// Where stored voxels (i, j, k) land in a canonical array, or in a box-shaped part of one: a base offset plus
/// one signed stride per stored axis, and the stored index range of each axis that falls inside the box. This
/// lets a decoder write straight into canonical order (no second copy) and drop the rows the crop never uses.
/// </summary>
internal readonly struct VoxelMap
{
    private readonly long _base;
    private readonly long _strideI;
    private readonly long _strideJ;
    private readonly long _strideK;
    private readonly int _iLo;
    private readonly int _iHi;
    private readonly int _jLo;
    private readonly int _jHi;
    private readonly int _kLo;
    private readonly int _kHi;

    private VoxelMap(long origin, long[] strides, int[] lo, int[] hi, Int3 stored)
    {
        VoxelLimit = ((long)hi[2] * stored.Y + hi[1]) * stored.X + hi[0] + 1;
        _base = origin;
        _strideI = strides[0];
        _strideJ = strides[1];
        _strideK = strides[2];
        (_iLo, _jLo, _kLo) = (lo[0], lo[1], lo[2]);
        (_iHi, _jHi, _kHi) = (hi[0], hi[1], hi[2]);
    }

    /// <summary>Stored voxels (in file order) up to and including the region's last one: decoding can stop there.</summary>
    public long VoxelLimit { get; }

    /// <summary>Stored → whole canonical array.</summary>
    public static VoxelMap ToCanonical(CanonicalAxes axes, Int3 stored) =>
        ToRegion(axes, stored, new IndexBox(new Int3(0, 0, 0), axes.CanonicalSize(stored)));

    /// <summary>Stored → <paramref name="region"/> of the canonical array (region index i fastest); voxels outside are dropped.</summary>
    public static VoxelMap ToRegion(CanonicalAxes axes, Int3 stored, IndexBox region)
    {
        Span<int> n = [stored.X, stored.Y, stored.Z];
        long[] regionStride = [1, region.Size.X, (long)region.Size.X * region.Size.Y];
        var strides = new long[3];
        var lo = new int[3];
        var hi = new int[3];
        long origin = 0;
        for (int c = 0; c < 3; c++)
        {
            int s = axes.Source(c);
            int start = region.Start.At(c);
            int end = start + region.Size.At(c) - 1;
            if (axes.Flip(c))
            {
                // canonical coordinate = n − 1 − stored index
                strides[s] = -regionStride[c];
                origin += (long)(n[s] - 1 - start) * regionStride[c];
                (lo[s], hi[s]) = (n[s] - 1 - end, n[s] - 1 - start);
            }
            else
            {
                strides[s] = regionStride[c];
                origin -= (long)start * regionStride[c];
                (lo[s], hi[s]) = (start, end);
            }

            lo[s] = Math.Max(lo[s], 0);
            hi[s] = Math.Min(hi[s], n[s] - 1);
        }

        return new VoxelMap(origin, strides, lo, hi, stored);
    }

    /// <summary>
    /// The stored i range [a, b] of the row (i0 .. i0 + length − 1, j, k) that lands inside the region; false
    /// when none does. Lets a caller convert only what is kept.
    /// </summary>
    public bool Clip(int i0, int length, int j, int k, out int a, out int b)
    {
        a = Math.Max(i0, _iLo);
        b = Math.Min(i0 + length - 1, _iHi);
        return j >= _jLo && j <= _jHi && k >= _kLo && k <= _kHi && a <= b;
    }

    /// <summary>
    /// Writes stored voxels (a .. a + values.Length − 1, j, k), all inside the region (see <see cref="Clip"/>),
    /// to their places in <paramref name="dest"/>: a block copy when stored i runs along canonical x (reversed
    /// when x flips), a strided loop otherwise (permuted axes, rare in CT).
    /// </summary>
    public void Place<T>(ReadOnlySpan<T> values, int a, int j, int k, T[] dest) where T : unmanaged
    {
        long first = _base + a * _strideI + j * _strideJ + k * _strideK;
        if (_strideI == 1)
        {
            values.CopyTo(dest.AsSpan((int)first, values.Length));
        }
        else if (_strideI == -1)
        {
            var target = dest.AsSpan((int)(first - values.Length + 1), values.Length);
            values.CopyTo(target);
            target.Reverse();
        }
        else
        {
            long at = first;
            foreach (var v in values)
            {
                dest[at] = v;
                at += _strideI;
            }
        }
    }

    /// <summary>Writes the part of a stored row (i0 .., j, k) that lies inside the region; the rest is dropped.</summary>
    public void ScatterRow<T>(ReadOnlySpan<T> values, int i0, int j, int k, T[] dest) where T : unmanaged
    {
        if (Clip(i0, values.Length, j, k, out int a, out int b))
        {
            Place(values.Slice(a - i0, b - a + 1), a, j, k, dest);
        }
    }
}
