using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>A set of tissues as a 64-bit mask: which labels a shape may paint over.</summary>
internal readonly record struct TissueSet(ulong Bits)
{
    public static TissueSet Of(params Tissue[] tissues)
    {
        ulong bits = 0;
        foreach (var t in tissues)
        {
            bits |= 1UL << (int)t;
        }

        return new TissueSet(bits);
    }

    public bool Contains(Tissue t) => (Bits & (1UL << (int)t)) != 0;

    public bool Contains(byte t) => (Bits & (1UL << t)) != 0;
}

/// <summary>
/// The rasterised phantom of one patient on its canonical grid: a tissue label per voxel, the
/// liver envelope, lesion ids (1-based index into the patient's lesion list, 0 = none) and a
/// texture value shared by every phase. Phases differ only in how labels map to HU.
/// </summary>
internal sealed class PatientLabels
{
    public PatientLabels(ScanGrid grid)
    {
        Grid = grid;
        int n = grid.VoxelCount;
        TissueMap = new byte[n];
        Liver = new byte[n];
        LesionIds = new byte[n];
        Texture = new sbyte[n];
    }

    public ScanGrid Grid { get; }

    public byte[] TissueMap { get; }

    public byte[] Liver { get; }

    public byte[] LesionIds { get; }

    /// <summary>Texture in units of 1/<see cref="TextureUnit"/> SD, clamped to the sbyte range.</summary>
    public sbyte[] Texture { get; }

    public const float TextureUnit = 40f;

    public int Index(int i, int j, int k) => i + Grid.Size.X * (j + Grid.Size.Y * k);

    /// <summary>
    /// Calls <paramref name="shader"/> (patient-frame position, voxel index) for every voxel of the
    /// canonical grid inside the box whose current tissue is in <paramref name="over"/>, and writes the
    /// tissue it returns. Returning <see cref="Tissue.Air"/> means "leave this voxel alone": no shape
    /// paints air inside the body, so the value is free to act as the no-op.
    /// </summary>
    public void Paint(Vec3 boxMin, Vec3 boxMax, TissueSet over, Func<Vec3, int, Tissue> shader)
    {
        if (!TryRange(boxMin, boxMax, out var lo, out var hi))
        {
            return;
        }

        var g = Grid;
        for (int k = lo.Z; k <= hi.Z; k++)
        {
            for (int j = lo.Y; j <= hi.Y; j++)
            {
                int row = Index(0, j, k);
                var p0 = g.PatientPosition(0, j, k);
                for (int i = lo.X; i <= hi.X; i++)
                {
                    int v = row + i;
                    if (!over.Contains(TissueMap[v]))
                    {
                        continue;
                    }

                    var t = shader(new Vec3(p0.X + i * g.Spacing.X, p0.Y, p0.Z), v);
                    if (t != Tissue.Air)
                    {
                        TissueMap[v] = (byte)t;
                    }
                }
            }
        }
    }

    /// <summary>Inclusive voxel ranges covering a patient-frame box; false when it misses the grid.</summary>
    public bool TryRange(Vec3 boxMin, Vec3 boxMax, out Int3 lo, out Int3 hi)
    {
        var a = Grid.CanonicalIndex(boxMin);
        var b = Grid.CanonicalIndex(boxMax);
        lo = new Int3(Math.Max(0, (int)Math.Floor(a.X)), Math.Max(0, (int)Math.Floor(a.Y)), Math.Max(0, (int)Math.Floor(a.Z)));
        hi = new Int3(Math.Min(Grid.Size.X - 1, (int)Math.Ceiling(b.X)), Math.Min(Grid.Size.Y - 1, (int)Math.Ceiling(b.Y)),
            Math.Min(Grid.Size.Z - 1, (int)Math.Ceiling(b.Z)));
        return lo.X <= hi.X && lo.Y <= hi.Y && lo.Z <= hi.Z;
    }
}
