using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// A box of voxel indices: <see cref="Start"/> (may be negative, for a crop that reaches past the volume) and
/// <see cref="Size"/> voxels along each axis, so it covers [Start, Start + Size) on each axis.
/// </summary>
public readonly record struct IndexBox(Int3 Start, Int3 Size)
{
    /// <summary>One past the last index on each axis.</summary>
    public Int3 End => new(Start.X + Size.X, Start.Y + Size.Y, Start.Z + Size.Z);

    public long VoxelCount => Size.Product;

    public bool IsEmpty => Size.X <= 0 || Size.Y <= 0 || Size.Z <= 0;

    /// <summary>The part of this box inside a volume of <paramref name="shape"/> (empty size when none).</summary>
    public IndexBox ClipTo(Int3 shape)
    {
        var lo = new Int3(Math.Max(Start.X, 0), Math.Max(Start.Y, 0), Math.Max(Start.Z, 0));
        var hi = new Int3(Math.Min(End.X, shape.X), Math.Min(End.Y, shape.Y), Math.Min(End.Z, shape.Z));
        return new IndexBox(lo, new Int3(Math.Max(hi.X - lo.X, 0), Math.Max(hi.Y - lo.Y, 0), Math.Max(hi.Z - lo.Z, 0)));
    }

    public override string ToString() => $"[{Start.X}..{End.X}) x [{Start.Y}..{End.Y}) x [{Start.Z}..{End.Z})";
}

/// <summary>Axis access for <see cref="Int3"/> (0 = x, 1 = y, 2 = z), which the shared type does not have.</summary>
internal static class Int3Axes
{
    public static int At(this Int3 v, int axis) => axis switch
    {
        0 => v.X,
        1 => v.Y,
        2 => v.Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    public static Int3 FromSpan(ReadOnlySpan<int> v) => new(v[0], v[1], v[2]);
}
