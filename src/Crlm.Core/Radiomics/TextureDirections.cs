using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// The neighbour offsets (Chebyshev distance 1) of the directional texture matrices, as (di, dj, dk) voxel steps.
/// Only one of each pair m, −m is listed: GLCMs count both orders (symmetric), and a run along −m is the same run.
/// </summary>
public static class TextureDirections
{
    /// <summary>The 4 in-plane directions of 2D and 2.5D: (1,0,0), (0,1,0), (1,1,0), (1,−1,0).</summary>
    public static IReadOnlyList<Int3> InPlane { get; } =
        [new(1, 0, 0), new(0, 1, 0), new(1, 1, 0), new(1, -1, 0)];

    /// <summary>The 13 directions of 3D, in the lexicographic order of the IBSI manual's matrix tables.</summary>
    public static IReadOnlyList<Int3> Volume { get; } =
    [
        new(0, 0, 1), new(0, 1, -1), new(0, 1, 0), new(0, 1, 1), new(1, -1, -1), new(1, -1, 0), new(1, -1, 1),
        new(1, 0, -1), new(1, 0, 0), new(1, 0, 1), new(1, 1, -1), new(1, 1, 0), new(1, 1, 1),
    ];

    /// <summary>The argument checks every directional matrix builder makes: a valid ROI, a slice in the grid, in-plane directions for a slice.</summary>
    internal static void RequireValidRequest(DiscretisedRoi roi, IReadOnlyList<Int3> directions, int? slice)
    {
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(directions);
        roi.Validate();
        RequireSliceInGrid(roi, slice);
        foreach (var direction in directions)
        {
            RequireInPlaneForSlice(direction, slice);
        }
    }

    internal static void RequireInPlaneForSlice(Int3 direction, int? slice)
    {
        if (slice is not null && direction.Z != 0)
        {
            throw new ArgumentException($"direction {direction} leaves the slice; a per-slice matrix takes in-plane directions only");
        }
    }

    internal static void RequireSliceInGrid(DiscretisedRoi roi, int? slice)
    {
        if (slice is { } k && (uint)k >= (uint)roi.Size.Z)
        {
            throw new ArgumentOutOfRangeException(nameof(slice), k, $"slice must be in 0..{roi.Size.Z - 1}");
        }
    }
}
