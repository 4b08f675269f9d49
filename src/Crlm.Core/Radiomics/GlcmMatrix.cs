using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// A symmetric grey level co-occurrence matrix at Chebyshev distance 1 (IBSI chapter 1, GLCM): entry (i, j) counts the
/// ROI voxel pairs with grey levels i and j one step apart along one of the merged directions, both orders counted.
/// Rows and columns are grey-level values 1..LevelCount, absent levels included.
/// </summary>
public sealed class GlcmMatrix
{
    private readonly long[] _counts;

    private GlcmMatrix(int levelCount)
    {
        LevelCount = levelCount;
        _counts = new long[levelCount * levelCount];
    }

    /// <summary>N_g: rows and columns of the matrix.</summary>
    public int LevelCount { get; }

    /// <summary>Sum of all entries (twice the number of voxel pairs).</summary>
    public long Total { get; private set; }

    /// <summary>Count for grey levels <paramref name="i"/> and <paramref name="j"/> (1-based values).</summary>
    public long this[int i, int j] => _counts[((i - 1) * LevelCount) + (j - 1)];

    internal ReadOnlySpan<long> Counts => _counts;

    /// <summary>
    /// The matrix of the given directions summed ("merged"), over one slice k (in-plane directions only) or, when
    /// <paramref name="slice"/> is null, the whole volume.
    /// </summary>
    public static GlcmMatrix Build(DiscretisedRoi roi, IReadOnlyList<Int3> directions, int? slice = null)
    {
        TextureDirections.RequireValidRequest(roi, directions, slice);

        return BuildUnchecked(roi, directions, slice);
    }

    internal static GlcmMatrix BuildUnchecked(DiscretisedRoi roi, IReadOnlyList<Int3> directions, int? slice)
    {
        var matrix = new GlcmMatrix(roi.LevelCount);
        foreach (var direction in directions)
        {
            matrix.Accumulate(roi, direction, slice);
        }

        return matrix;
    }

    /// <summary>One pass over the voxels whose neighbour at +direction lies in the grid; no bounds checks inside.</summary>
    private void Accumulate(DiscretisedRoi roi, Int3 d, int? slice)
    {
        var size = roi.Size;
        var levels = roi.Levels;
        int n = LevelCount;
        int iFrom = Math.Max(0, -d.X), iTo = Math.Min(size.X, size.X - d.X);
        int jFrom = Math.Max(0, -d.Y), jTo = Math.Min(size.Y, size.Y - d.Y);
        int kFrom = Math.Max(0, -d.Z), kTo = Math.Min(size.Z, size.Z - d.Z);
        if (slice is { } only)
        {
            kFrom = only;
            kTo = only + 1;
        }

        int step = d.X + (size.X * (d.Y + (size.Y * d.Z)));
        long pairs = 0;
        var counts = _counts;
        for (int k = kFrom; k < kTo; k++)
        {
            for (int j = jFrom; j < jTo; j++)
            {
                int row = size.X * (j + (size.Y * k));
                for (int i = iFrom; i < iTo; i++)
                {
                    int a = levels[row + i];
                    if (a == 0)
                    {
                        continue;
                    }

                    int b = levels[row + i + step];
                    if (b == 0)
                    {
                        continue;
                    }

                    counts[((a - 1) * n) + (b - 1)]++;
                    counts[((b - 1) * n) + (a - 1)]++;
                    pairs++;
                }
            }
        }

        Total += 2 * pairs;
    }
}
