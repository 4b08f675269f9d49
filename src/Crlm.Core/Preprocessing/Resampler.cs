using System.Numerics;
using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// Resampling of a canonical array onto part of a resampled grid, writing straight into an output box.
/// Linear is separable, one axis at a time over contiguous rows (x, then y, then z), in float32, in parallel
/// over slices; nearest is one gather. Only the output voxels inside the box are computed, from only the
/// input voxels they read (the caller's input region), so a 512² CT cropped to 256² never resamples the rest.
/// </summary>
public static class Resampler
{
    /// <summary>
    /// Trilinear resampling (align-corners, scipy.ndimage.zoom order=1 / torch's trilinear) of
    /// <paramref name="input"/>, which holds the canonical voxels of <paramref name="inputRegion"/> (x fastest),
    /// onto the resampled voxels <paramref name="target"/> (inside <paramref name="plan"/>'s output shape).
    /// They are written to <paramref name="output"/>, a volume of <paramref name="outputSize"/> voxels whose
    /// voxel 0 is resampled voxel <paramref name="outputStart"/>.
    /// </summary>
    public static void Linear(
        float[] input, IndexBox inputRegion, ResamplePlan plan, IndexBox target, float[] output, Int3 outputSize, Int3 outputStart)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        Check(input.Length, inputRegion, output.Length, outputSize);
        if (target.IsEmpty)
        {
            return;
        }

        var wx = Weights.For(plan.X, target.Start.X, target.Size.X, inputRegion.Start.X);
        var wy = Weights.For(plan.Y, target.Start.Y, target.Size.Y, inputRegion.Start.Y);
        var wz = Weights.For(plan.Z, target.Start.Z, target.Size.Z, inputRegion.Start.Z);
        CheckInside(wx, inputRegion.Size.X, "x");
        CheckInside(wy, inputRegion.Size.Y, "y");
        CheckInside(wz, inputRegion.Size.Z, "z");

        int rx = inputRegion.Size.X, ry = inputRegion.Size.Y;
        int tx = target.Size.X, ty = target.Size.Y, tz = target.Size.Z;

        // Passes x and y, fused per input slice: only the slices that pass z reads.
        int zFirst = wz.Lower.Min(), zLast = wz.Upper.Max();
        int planeXY = tx * ty;
        var slab = new float[(long)(zLast - zFirst + 1) * planeXY];
        Parallel.For(
            zFirst,
            zLast + 1,
            () => new float[(long)ry * tx],
            (z, _, rows) =>
            {
                for (int y = 0; y < ry; y++)
                {
                    var source = input.AsSpan((z * ry + y) * rx, rx);
                    var row = rows.AsSpan(y * tx, tx);
                    for (int q = 0; q < tx; q++)
                    {
                        row[q] = wx.W0[q] * source[wx.Lower[q]] + wx.W1[q] * source[wx.Upper[q]];
                    }
                }

                var plane = slab.AsSpan((z - zFirst) * planeXY, planeXY);
                for (int q = 0; q < ty; q++)
                {
                    Blend(rows.AsSpan(wy.Lower[q] * tx, tx), rows.AsSpan(wy.Upper[q] * tx, tx), wy.W0[q], wy.W1[q], plane.Slice(q * tx, tx));
                }

                return rows;
            },
            _ => { });

        // Pass z: each output slice blends two planes, row by row into the output box.
        int ox = target.Start.X - outputStart.X, oy = target.Start.Y - outputStart.Y, oz = target.Start.Z - outputStart.Z;
        Parallel.For(0, tz, q =>
        {
            var lower = slab.AsSpan((wz.Lower[q] - zFirst) * planeXY, planeXY);
            var upper = slab.AsSpan((wz.Upper[q] - zFirst) * planeXY, planeXY);
            for (int y = 0; y < ty; y++)
            {
                int at = ((oz + q) * outputSize.Y + oy + y) * outputSize.X + ox;
                Blend(lower.Slice(y * tx, tx), upper.Slice(y * tx, tx), wz.W0[q], wz.W1[q], output.AsSpan(at, tx));
            }
        });
    }

    /// <summary>
    /// Nearest-neighbour resampling (⌊c + 0.5⌋, scipy order=0) of a label array over <paramref name="inputRegion"/>
    /// onto the resampled voxels <paramref name="target"/>, written as in <see cref="Linear"/>. Returns the
    /// number of non-zero voxels written.
    /// </summary>
    public static long Nearest(
        byte[] input, IndexBox inputRegion, ResamplePlan plan, IndexBox target, byte[] output, Int3 outputSize, Int3 outputStart)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        Check(input.Length, inputRegion, output.Length, outputSize);
        if (target.IsEmpty)
        {
            return 0;
        }

        var ix = NearestIndices(plan.X, target.Start.X, target.Size.X, inputRegion.Start.X, inputRegion.Size.X, "x");
        var iy = NearestIndices(plan.Y, target.Start.Y, target.Size.Y, inputRegion.Start.Y, inputRegion.Size.Y, "y");
        var iz = NearestIndices(plan.Z, target.Start.Z, target.Size.Z, inputRegion.Start.Z, inputRegion.Size.Z, "z");
        int rx = inputRegion.Size.X, ry = inputRegion.Size.Y;
        int ox = target.Start.X - outputStart.X, oy = target.Start.Y - outputStart.Y, oz = target.Start.Z - outputStart.Z;
        long total = 0;
        Parallel.For(0, target.Size.Z, () => 0L, (q, _, count) =>
        {
            for (int y = 0; y < iy.Length; y++)
            {
                var source = input.AsSpan((iz[q] * ry + iy[y]) * rx, rx);
                var row = output.AsSpan(((oz + q) * outputSize.Y + oy + y) * outputSize.X + ox, ix.Length);
                for (int x = 0; x < row.Length; x++)
                {
                    byte v = source[ix[x]];
                    row[x] = v;
                    count += v != 0 ? 1 : 0;
                }
            }

            return count;
        }, count => Interlocked.Add(ref total, count));
        return total;
    }

    /// <summary>Nearest input indices (relative to <paramref name="regionStart"/>) of output voxels [from, from + count).</summary>
    internal static int[] NearestIndices(ResampleAxis axis, int from, int count, int regionStart, int regionLength, string name)
    {
        var indices = new int[count];
        for (int q = 0; q < count; q++)
        {
            indices[q] = axis.Nearest(from + q) - regionStart;
            if ((uint)indices[q] >= (uint)regionLength)
            {
                throw new ArgumentException($"output voxel {from + q} along {name} reads input voxel {indices[q] + regionStart}, outside the input region");
            }
        }

        return indices;
    }

    /// <summary>target = w0·a + w1·b over whole rows, Vector&lt;float&gt; wide.</summary>
    private static void Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w0, float w1, Span<float> target)
    {
        int n = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var v0 = new Vector<float>(w0);
            var v1 = new Vector<float>(w1);
            for (; n <= target.Length - Vector<float>.Count; n += Vector<float>.Count)
            {
                (v0 * new Vector<float>(a[n..]) + v1 * new Vector<float>(b[n..])).CopyTo(target[n..]);
            }
        }

        for (; n < target.Length; n++)
        {
            target[n] = w0 * a[n] + w1 * b[n];
        }
    }

    private static void Check(int inputLength, IndexBox inputRegion, int outputLength, Int3 outputSize)
    {
        if (inputRegion.IsEmpty || inputLength != inputRegion.VoxelCount)
        {
            throw new ArgumentException($"input holds {inputLength} voxels but its region {inputRegion} has {inputRegion.VoxelCount}");
        }

        if (outputLength != outputSize.Product)
        {
            throw new ArgumentException($"output holds {outputLength} voxels but its size {outputSize} has {outputSize.Product}");
        }
    }

    private static void CheckInside(Weights w, int regionLength, string name)
    {
        if (w.Lower.Length > 0 && (w.Lower.Min() < 0 || w.Upper.Max() >= regionLength))
        {
            throw new ArgumentException($"the resampled voxels along {name} read input voxels outside the input region");
        }
    }

    /// <summary>Per output voxel of one axis: the two input voxels (relative to the region) and their float32 weights.</summary>
    private sealed record Weights(int[] Lower, int[] Upper, float[] W0, float[] W1)
    {
        public static Weights For(ResampleAxis axis, int from, int count, int regionStart)
        {
            var w = new Weights(new int[count], new int[count], new float[count], new float[count]);
            for (int q = 0; q < count; q++)
            {
                var (lower, upper, t) = axis.Linear(from + q);
                w.Lower[q] = lower - regionStart;
                w.Upper[q] = upper - regionStart;
                w.W0[q] = (float)(1 - t);
                w.W1[q] = (float)t;
            }

            return w;
        }
    }
}
