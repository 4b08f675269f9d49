using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// A grey level run length matrix (IBSI chapter 1, GLRLM): entry (i, r) counts the maximal runs of grey level i and
/// length r along the merged directions. <see cref="VoxelCount"/> is N_v times the number of merged directions, so
/// run percentage of a merged matrix is N_s / (N_v · directions), as IBSI prescribes.
/// </summary>
public sealed class GlrlmMatrix
{
    private readonly long[] _counts;

    private GlrlmMatrix(int levelCount, int maxRunLength)
    {
        LevelCount = levelCount;
        MaxRunLength = maxRunLength;
        _counts = new long[levelCount * maxRunLength];
    }

    /// <summary>N_g: rows of the matrix.</summary>
    public int LevelCount { get; }

    /// <summary>Columns: the longest run the grid allows (its largest dimension).</summary>
    public int MaxRunLength { get; }

    /// <summary>N_s: number of runs.</summary>
    public long RunCount { get; private set; }

    /// <summary>N_v: ROI voxels in the scanned slices, times the number of merged directions.</summary>
    public long VoxelCount { get; private set; }

    /// <summary>Number of runs of grey level <paramref name="level"/> and length <paramref name="runLength"/> (both 1-based).</summary>
    public long this[int level, int runLength] =>
        runLength > MaxRunLength ? 0 : _counts[((level - 1) * MaxRunLength) + (runLength - 1)];

    /// <summary>Non-zero entries, sorted by run length then grey level.</summary>
    public SizeCount[] Entries()
    {
        var entries = new List<SizeCount>();
        for (int r = 0; r < MaxRunLength; r++)
        {
            for (int level = 0; level < LevelCount; level++)
            {
                long count = _counts[(level * MaxRunLength) + r];
                if (count > 0)
                {
                    entries.Add(new SizeCount(level + 1, r + 1, count));
                }
            }
        }

        return [.. entries];
    }

    /// <summary>
    /// The matrix of the given directions merged, over one slice k (in-plane directions only) or, when
    /// <paramref name="slice"/> is null, the whole volume.
    /// </summary>
    public static GlrlmMatrix Build(DiscretisedRoi roi, IReadOnlyList<Int3> directions, int? slice = null)
    {
        TextureDirections.RequireValidRequest(roi, directions, slice);

        return BuildUnchecked(roi, directions, slice);
    }

    internal static GlrlmMatrix BuildUnchecked(DiscretisedRoi roi, IReadOnlyList<Int3> directions, int? slice)
    {
        var size = roi.Size;
        var matrix = new GlrlmMatrix(roi.LevelCount, Math.Max(size.X, Math.Max(size.Y, size.Z)));
        int kFrom = slice ?? 0, kTo = slice is { } k ? k + 1 : size.Z;
        long voxels = 0;
        var levels = roi.Levels;
        int sliceLength = size.X * size.Y;
        for (int index = kFrom * sliceLength; index < kTo * sliceLength; index++)
        {
            voxels += levels[index] > 0 ? 1 : 0;
        }

        foreach (var direction in directions)
        {
            matrix.Accumulate(roi, direction, kFrom, kTo);
            matrix.VoxelCount += voxels;
        }

        return matrix;
    }

    /// <summary>
    /// Each ROI voxel whose predecessor along the direction has another level (or lies outside) starts a run; the run
    /// is walked to its end. Every voxel is read about twice per direction.
    /// </summary>
    private void Accumulate(DiscretisedRoi roi, Int3 d, int kFrom, int kTo)
    {
        var size = roi.Size;
        var levels = roi.Levels;
        int step = d.X + (size.X * (d.Y + (size.Y * d.Z)));
        var counts = _counts;
        long runs = 0;
        for (int k = kFrom; k < kTo; k++)
        {
            for (int j = 0; j < size.Y; j++)
            {
                for (int i = 0; i < size.X; i++)
                {
                    int index = i + (size.X * (j + (size.Y * k)));
                    int level = levels[index];
                    if (level == 0)
                    {
                        continue;
                    }

                    if (Inside(size, i - d.X, j - d.Y, k - d.Z) && levels[index - step] == level)
                    {
                        continue;
                    }

                    int length = 1;
                    int ci = i + d.X, cj = j + d.Y, ck = k + d.Z, next = index + step;
                    while (Inside(size, ci, cj, ck) && levels[next] == level)
                    {
                        length++;
                        ci += d.X;
                        cj += d.Y;
                        ck += d.Z;
                        next += step;
                    }

                    counts[((level - 1) * MaxRunLength) + (length - 1)]++;
                    runs++;
                }
            }
        }

        RunCount += runs;
    }

    private static bool Inside(Int3 size, int i, int j, int k) =>
        (uint)i < (uint)size.X && (uint)j < (uint)size.Y && (uint)k < (uint)size.Z;
}
