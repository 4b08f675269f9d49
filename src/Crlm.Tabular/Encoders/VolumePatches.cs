using Crlm.Core.Imaging;

namespace Crlm.Tabular.Encoders;

/// <summary>
/// Sliding-window tiling of a volume into fixed-size patches, for encoders that take a fixed input
/// (CT-FM's 24 x 128 x 128 windows, FMCIB's 50^3 cubes). Along each axis: a volume no longer than the patch
/// gets one patch centred on it (the rest is padding); a longer one gets patches every <c>stride</c> voxels
/// from 0, plus one flush with the far end, so every voxel is covered and the tiling is symmetric in count.
/// </summary>
public static class VolumePatches
{
    /// <summary>Start offsets (may be negative: padding) of the patches along one axis.</summary>
    public static int[] Starts(int length, int patch, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (length <= patch)
        {
            // Centred; floor division so that odd differences put the extra padding voxel at the far end.
            return [-((patch - length) / 2)];
        }

        var starts = new List<int>();
        for (int s = 0; s + patch < length; s += stride)
        {
            starts.Add(s);
        }

        starts.Add(length - patch);
        return starts.Distinct().ToArray();
    }

    /// <summary>The stride for an overlap fraction in [0, 1): round(patch · (1 − overlap)), at least 1.</summary>
    public static int Stride(int patch, double overlap)
    {
        if (!(overlap >= 0 && overlap < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "overlap must be in [0, 1)");
        }

        return Math.Max(1, (int)Math.Round(patch * (1 - overlap), MidpointRounding.AwayFromZero));
    }

    /// <summary>Every patch origin (x, y, z) of a tiling, z slowest then y then x.</summary>
    public static IReadOnlyList<Int3> Origins(Int3 size, Int3 patch, double overlap)
    {
        var xs = Starts(size.X, patch.X, Stride(patch.X, overlap));
        var ys = Starts(size.Y, patch.Y, Stride(patch.Y, overlap));
        var zs = Starts(size.Z, patch.Z, Stride(patch.Z, overlap));
        var origins = new List<Int3>(xs.Length * ys.Length * zs.Length);
        foreach (int z in zs)
        {
            foreach (int y in ys)
            {
                foreach (int x in xs)
                {
                    origins.Add(new Int3(x, y, z));
                }
            }
        }

        return origins;
    }

    /// <summary>
    /// Copies the patch at <paramref name="origin"/> of a volume (x fastest, as <see cref="Volume{T}"/>) into
    /// <paramref name="destination"/> in D, H, W = z, y, x order (the same memory order, so rows copy whole);
    /// voxels outside the volume get <paramref name="pad"/>.
    /// </summary>
    public static void CopyPatchDhw(ReadOnlySpan<float> voxels, Int3 size, Int3 origin, Int3 patch, float pad, Span<float> destination)
    {
        if (voxels.Length != size.Product)
        {
            throw new ArgumentException($"{voxels.Length} voxels for a {size} volume", nameof(voxels));
        }

        if (destination.Length != patch.Product)
        {
            throw new ArgumentException($"{destination.Length} values for a {patch} patch", nameof(destination));
        }

        destination.Fill(pad);
        int x0 = Math.Max(0, origin.X), x1 = Math.Min(size.X, origin.X + patch.X);
        if (x1 <= x0)
        {
            return;
        }

        for (int z = 0; z < patch.Z; z++)
        {
            int sz = origin.Z + z;
            if (sz < 0 || sz >= size.Z)
            {
                continue;
            }

            for (int y = 0; y < patch.Y; y++)
            {
                int sy = origin.Y + y;
                if (sy < 0 || sy >= size.Y)
                {
                    continue;
                }

                var source = voxels.Slice((sz * size.Y + sy) * size.X + x0, x1 - x0);
                source.CopyTo(destination.Slice((z * patch.Y + y) * patch.X + (x0 - origin.X), x1 - x0));
            }
        }
    }
}
