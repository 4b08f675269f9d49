using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// How a stored voxel array maps onto the closest canonical (RAS+) array, as nibabel's
/// <c>as_closest_canonical</c>: canonical axis c (0 = x → Right, 1 = y → Anterior, 2 = z → Superior) is fed by
/// stored axis <see cref="Source"/>(c), reversed when <see cref="Flip"/>(c). Only permutations and flips, never
/// interpolation, so reorienting is exact.
/// </summary>
public readonly record struct CanonicalAxes(int SourceX, int SourceY, int SourceZ, bool FlipX, bool FlipY, bool FlipZ)
{
    public static CanonicalAxes Identity => new(0, 1, 2, false, false, false);

    /// <summary>True when the stored array already is canonical (nothing to permute or flip).</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>The stored axis feeding canonical axis <paramref name="c"/>.</summary>
    public int Source(int c) => c switch
    {
        0 => SourceX,
        1 => SourceY,
        2 => SourceZ,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "axis must be 0, 1 or 2"),
    };

    /// <summary>Whether canonical axis <paramref name="c"/> runs against its stored axis.</summary>
    public bool Flip(int c) => c switch
    {
        0 => FlipX,
        1 => FlipY,
        2 => FlipZ,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "axis must be 0, 1 or 2"),
    };

    /// <summary>The canonical axis that stored axis <paramref name="s"/> feeds.</summary>
    public int TargetOf(int s) => SourceX == s ? 0 : SourceY == s ? 1 : 2;

    /// <summary>
    /// nibabel's <c>io_orientation</c>: for each stored axis in turn, the world axis its direction points to
    /// most (first on ties, as numpy's argmax), that world axis then being taken out of the running.
    /// </summary>
    public static CanonicalAxes FromDirection(Matrix3 direction)
    {
        Span<int> source = stackalloc int[3];
        Span<bool> flip = stackalloc bool[3];
        Span<bool> used = stackalloc bool[3];
        for (int s = 0; s < 3; s++)
        {
            var column = direction.Column(s);
            int best = -1;
            for (int w = 0; w < 3; w++)
            {
                if (!used[w] && (best < 0 || Math.Abs(column[w]) > Math.Abs(column[best])))
                {
                    best = w;
                }
            }

            used[best] = true;
            source[best] = s;
            flip[best] = column[best] < 0;
        }

        return new CanonicalAxes(source[0], source[1], source[2], flip[0], flip[1], flip[2]);
    }

    /// <summary>The canonical array's shape for a stored shape.</summary>
    public Int3 CanonicalSize(Int3 stored)
    {
        Span<int> n = [stored.X, stored.Y, stored.Z];
        return new Int3(n[SourceX], n[SourceY], n[SourceZ]);
    }

    /// <summary>
    /// The canonical array's 4x4 voxel-to-world affine: columns permuted and negated where flipped, the origin
    /// moved to the stored voxel that becomes canonical voxel (0, 0, 0). Same arithmetic as nibabel's
    /// <c>affine @ inv_ornt_aff(ornt, shape)</c>.
    /// </summary>
    public double[,] CanonicalAffine(double[,] stored, Int3 storedSize)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Span<int> n = [storedSize.X, storedSize.Y, storedSize.Z];
        Span<double> shift = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            shift[Source(c)] = Flip(c) ? n[Source(c)] - 1 : 0;
        }

        var a = new double[4, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                a[r, c] = Flip(c) ? -stored[r, Source(c)] : stored[r, Source(c)];
            }

            a[r, 3] = stored[r, 0] * shift[0] + stored[r, 1] * shift[1] + stored[r, 2] * shift[2] + stored[r, 3];
        }

        a[3, 3] = 1;
        return a;
    }

    /// <summary>
    /// The canonical copy of <paramref name="volume"/>: the same object when it already is canonical (no copy),
    /// else one pass that reads each stored row once (a row copy, reversed when x flips, when x stays x).
    /// </summary>
    public static Volume<T> Reorient<T>(Volume<T> volume) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        var axes = FromDirection(volume.Geometry.Direction);
        if (axes.IsIdentity)
        {
            return volume;
        }

        var stored = volume.Size;
        var size = axes.CanonicalSize(stored);
        var geometry = VolumeGeometry.FromAffine(size, axes.CanonicalAffine(volume.Geometry.Affine(), stored));
        var output = new T[volume.Voxels.Length];
        var map = VoxelMap.ToCanonical(axes, stored);
        var source = volume.Voxels;
        Parallel.For(0, stored.Z, k =>
        {
            for (int j = 0; j < stored.Y; j++)
            {
                map.ScatterRow(source.AsSpan((k * stored.Y + j) * stored.X, stored.X), 0, j, k, output);
            }
        });
        return new Volume<T>(geometry, output);
    }
}
