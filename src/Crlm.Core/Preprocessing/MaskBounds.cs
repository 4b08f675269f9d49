using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>An inclusive bounding box of voxel indices: lo and hi are the first and last occupied index per axis.</summary>
public readonly record struct VoxelBounds(Int3 Lo, Int3 Hi)
{
    /// <summary>hi − lo + 1 per axis.</summary>
    public Int3 Extent => new(Hi.X - Lo.X + 1, Hi.Y - Lo.Y + 1, Hi.Z - Lo.Z + 1);

    /// <summary>⌊(lo + hi) / 2⌋ per axis in integer arithmetic (floor, also for negative sums), as the peer.</summary>
    public Int3 Centre => new(FloorHalf(Lo.X + Hi.X), FloorHalf(Lo.Y + Hi.Y), FloorHalf(Lo.Z + Hi.Z));

    private static int FloorHalf(int sum) => sum >> 1;
}

/// <summary>
/// The bounding box of a mask after nearest-neighbour resampling, found without resampling it. Nearest
/// sampling picks one input index per output index on each axis, so resampled voxel (a, b, c) is set exactly
/// when input voxel (ix[a], iy[b], iz[c]) is; projecting the input mask over the picked rows and slices gives
/// the resampled box in one pass over (at most) the input, whatever the output size.
/// </summary>
public static class MaskBounds
{
    /// <summary>
    /// The bounding box, on <paramref name="plan"/>'s output grid, of the non-zero voxels of the canonical
    /// mask <paramref name="mask"/> (shape <paramref name="size"/>, x fastest); null when none survives.
    /// </summary>
    public static VoxelBounds? Resampled(byte[] mask, Int3 size, ResamplePlan plan)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(plan);
        if (mask.LongLength != size.Product)
        {
            throw new ArgumentException($"mask holds {mask.LongLength} voxels but its size {size} has {size.Product}", nameof(mask));
        }

        var ix = Picked(plan.X);
        var iy = Picked(plan.Y);
        var iz = Picked(plan.Z);
        var usedY = Used(iy, size.Y);
        var usedZ = Used(iz, size.Z);

        // Only input columns that some output voxel picks may count: when x is downsampled, a mask voxel in a
        // skipped column vanishes from the resampled mask and must not widen the y or z range.
        int[] columns = ix.Distinct().Order().ToArray();
        bool everyColumn = columns.Length == size.X;

        // For each picked slice (in parallel), which picked rows hold mask voxels and which x they cover.
        var hasX = new byte[size.X];
        var hasY = new bool[size.Y];
        var hasZ = new bool[size.Z];
        var gate = new Lock();
        Parallel.For(0, size.Z, () => (X: new byte[size.X], Y: new bool[size.Y]), (z, _, local) =>
        {
            if (!usedZ[z])
            {
                return local;
            }

            for (int y = 0; y < size.Y; y++)
            {
                if (!usedY[y])
                {
                    continue;
                }

                var row = mask.AsSpan((z * size.Y + y) * size.X, size.X);
                if (everyColumn ? !row.ContainsAnyExcept((byte)0) : !AnyPicked(row, columns))
                {
                    continue;
                }

                hasZ[z] = true;
                local.Y[y] = true;
                Or(row, local.X);
            }

            return local;
        }, local =>
        {
            lock (gate)
            {
                Or(local.X, hasX);
                for (int y = 0; y < size.Y; y++)
                {
                    hasY[y] |= local.Y[y];
                }
            }
        });

        if (!First(ix, n => hasX[n] != 0, out int x0, out int x1)
            || !First(iy, n => hasY[n], out int y0, out int y1)
            || !First(iz, n => hasZ[n], out int z0, out int z1))
        {
            return null;
        }

        return new VoxelBounds(new Int3(x0, y0, z0), new Int3(x1, y1, z1));
    }

    /// <summary>The nearest input index of every output index of an axis.</summary>
    private static int[] Picked(ResampleAxis axis)
    {
        var picked = new int[axis.OutputLength];
        for (int o = 0; o < picked.Length; o++)
        {
            picked[o] = axis.Nearest(o);
        }

        return picked;
    }

    private static bool[] Used(int[] picked, int length)
    {
        var used = new bool[length];
        foreach (int p in picked)
        {
            used[p] = true;
        }

        return used;
    }

    /// <summary>The first and last output index whose picked input index is occupied.</summary>
    private static bool First(int[] picked, Func<int, bool> occupied, out int first, out int last)
    {
        first = Array.FindIndex(picked, p => occupied(p));
        last = Array.FindLastIndex(picked, p => occupied(p));
        return first >= 0;
    }

    private static bool AnyPicked(ReadOnlySpan<byte> row, int[] columns)
    {
        foreach (int x in columns)
        {
            if (row[x] != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void Or(ReadOnlySpan<byte> source, Span<byte> target)
    {
        for (int n = 0; n < source.Length; n++)
        {
            target[n] |= source[n];
        }
    }
}
