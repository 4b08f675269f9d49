namespace Crlm.Core.Radiomics;

/// <summary>Which voxels join a zone: 8 neighbours within the slice (2D, 2.5D) or 26 in the volume (3D).</summary>
public enum ZoneConnectivity
{
    InPlane8,
    Volume26,
}

/// <summary>
/// A grey level size zone matrix (IBSI chapter 1, GLSZM): entry (i, s) counts the zones (connected groups of ROI
/// voxels with the same grey level) of level i and size s voxels. Zone sizes go up to the ROI size, so the matrix is
/// kept as its sorted non-zero entries rather than dense.
/// </summary>
public sealed class GlszmMatrix
{
    private readonly SizeCount[] _entries;

    private GlszmMatrix(int levelCount, SizeCount[] entries, long voxelCount)
    {
        LevelCount = levelCount;
        _entries = entries;
        VoxelCount = voxelCount;
        ZoneCount = entries.Sum(e => e.Count);
    }

    /// <summary>N_g.</summary>
    public int LevelCount { get; }

    /// <summary>N_s: number of zones.</summary>
    public long ZoneCount { get; }

    /// <summary>N_v: ROI voxels in the scanned slices (the sum of zone sizes).</summary>
    public long VoxelCount { get; }

    /// <summary>Non-zero entries, sorted by zone size then grey level.</summary>
    public IReadOnlyList<SizeCount> Entries => _entries;

    /// <summary>Number of zones of grey level <paramref name="level"/> and <paramref name="zoneSize"/> voxels (a linear scan: for tests and inspection, features read <see cref="Entries"/>).</summary>
    public long this[int level, int zoneSize]
    {
        get
        {
            foreach (var entry in _entries)
            {
                if (entry.Level == level && entry.Size == zoneSize)
                {
                    return entry.Count;
                }
            }

            return 0;
        }
    }

    internal ReadOnlySpan<SizeCount> EntrySpan => _entries;

    /// <summary>
    /// Zones of one slice k or, when <paramref name="slice"/> is null, of the whole volume. With
    /// <see cref="ZoneConnectivity.InPlane8"/> over the whole volume the zones of all slices are merged (2.5D), since
    /// in-plane zones never cross slices.
    /// </summary>
    public static GlszmMatrix Build(DiscretisedRoi roi, ZoneConnectivity connectivity, int? slice = null)
    {
        ArgumentNullException.ThrowIfNull(roi);
        roi.Validate();
        TextureDirections.RequireSliceInGrid(roi, slice);
        if (slice is not null && connectivity == ZoneConnectivity.Volume26)
        {
            throw new ArgumentException("26-connected zones cross slices; a per-slice matrix needs in-plane connectivity", nameof(connectivity));
        }

        return BuildUnchecked(roi, connectivity, slice, new ZoneScratch(roi.Levels.Length));
    }

    /// <summary>
    /// Flood fill with an explicit stack (no recursion, so a liver-sized zone cannot overflow the call stack).
    /// Zones are recorded as sortable keys size · (N_g + 1) + level, then counted.
    /// </summary>
    internal static GlszmMatrix BuildUnchecked(DiscretisedRoi roi, ZoneConnectivity connectivity, int? slice, ZoneScratch scratch)
    {
        var size = roi.Size;
        var levels = roi.Levels;
        int sliceLength = size.X * size.Y;
        int kFrom = slice ?? 0, kTo = slice is { } only ? only + 1 : size.Z;
        int dkMax = connectivity == ZoneConnectivity.Volume26 ? 1 : 0;
        long keyBase = roi.LevelCount + 1L;
        var visited = scratch.Visited;
        var stack = scratch.Stack;
        var keys = scratch.Keys;
        keys.Clear();
        Array.Clear(visited, kFrom * sliceLength, (kTo - kFrom) * sliceLength);
        long voxels = 0;
        for (int seed = kFrom * sliceLength; seed < kTo * sliceLength; seed++)
        {
            int level = levels[seed];
            if (level == 0 || visited[seed])
            {
                continue;
            }

            visited[seed] = true;
            int top = 0;
            stack[top++] = seed;
            int zoneSize = 0;
            while (top > 0)
            {
                int index = stack[--top];
                zoneSize++;
                int k = index / sliceLength, rest = index - (k * sliceLength);
                int j = rest / size.X, i = rest - (j * size.X);
                for (int dk = -dkMax; dk <= dkMax; dk++)
                {
                    int nk = k + dk;
                    if ((uint)nk >= (uint)size.Z)
                    {
                        continue;
                    }

                    for (int dj = -1; dj <= 1; dj++)
                    {
                        int nj = j + dj;
                        if ((uint)nj >= (uint)size.Y)
                        {
                            continue;
                        }

                        for (int di = -1; di <= 1; di++)
                        {
                            int ni = i + di;
                            if ((uint)ni >= (uint)size.X)
                            {
                                continue;
                            }

                            int neighbour = ni + (size.X * nj) + (sliceLength * nk);
                            if (!visited[neighbour] && levels[neighbour] == level)
                            {
                                visited[neighbour] = true;
                                stack[top++] = neighbour;
                            }
                        }
                    }
                }
            }

            keys.Add((zoneSize * keyBase) + level);
            voxels += zoneSize;
        }

        keys.Sort();
        var entries = new List<SizeCount>();
        for (int start = 0; start < keys.Count;)
        {
            int end = start;
            while (end < keys.Count && keys[end] == keys[start])
            {
                end++;
            }

            entries.Add(new SizeCount((int)(keys[start] % keyBase), (int)(keys[start] / keyBase), end - start));
            start = end;
        }

        return new GlszmMatrix(roi.LevelCount, [.. entries], voxels);
    }
}

/// <summary>Buffers of one flood fill, reused over the slices of a 2D aggregation.</summary>
internal sealed class ZoneScratch(int voxelCount)
{
    public bool[] Visited { get; } = new bool[voxelCount];

    /// <summary>Each voxel is pushed at most once (marked on push), so the grid size bounds the stack.</summary>
    public int[] Stack { get; } = new int[voxelCount];

    public List<long> Keys { get; } = [];
}
