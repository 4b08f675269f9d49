namespace Crlm.Core.Imaging;

/// <summary>
/// A 3D image: one contiguous voxel buffer plus its <see cref="VolumeGeometry"/>.
/// </summary>
/// <remarks>
/// Memory order is NIfTI's on-disk order: i (x) fastest, then j (y), then k (z), i.e. a C array
/// indexed [k, j, i]. Voxel (i, j, k) lives at <c>i + Nx * (j + Ny * k)</c>. An axial slice k is
/// therefore one contiguous run, which <see cref="Slice"/> exposes without copying.
/// </remarks>
public sealed class Volume<T> where T : unmanaged
{
    public Volume(VolumeGeometry geometry, T[] voxels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        if (voxels.LongLength != geometry.VoxelCount)
        {
            throw new ArgumentException(
                $"buffer holds {voxels.LongLength} voxels but the grid {geometry.Size} needs {geometry.VoxelCount}",
                nameof(voxels));
        }

        Geometry = geometry;
        Voxels = voxels;
    }

    /// <summary>A zero-filled volume on <paramref name="geometry"/>.</summary>
    public Volume(VolumeGeometry geometry)
        : this(geometry, new T[checked((int)geometry.VoxelCount)])
    {
    }

    public VolumeGeometry Geometry { get; }

    /// <summary>The voxel buffer, i fastest (see the type's remarks).</summary>
    public T[] Voxels { get; }

    public Int3 Size => Geometry.Size;

    public int LinearIndex(int i, int j, int k) => i + Size.X * (j + Size.Y * k);

    public T this[int i, int j, int k]
    {
        get => Voxels[LinearIndex(i, j, k)];
        set => Voxels[LinearIndex(i, j, k)] = value;
    }

    /// <summary>Axial slice k as a copy-free view, row j at offset j * Nx.</summary>
    public Span<T> Slice(int k)
    {
        if ((uint)k >= (uint)Size.Z)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"slice index outside 0..{Size.Z - 1}");
        }

        int plane = Size.X * Size.Y;
        return Voxels.AsSpan(k * plane, plane);
    }

    /// <summary>A new volume on the same grid with every voxel mapped by <paramref name="map"/>.</summary>
    public Volume<TOut> Map<TOut>(Func<T, TOut> map) where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(map);
        var output = new TOut[Voxels.Length];
        for (int n = 0; n < output.Length; n++)
        {
            output[n] = map(Voxels[n]);
        }

        return new Volume<TOut>(Geometry, output);
    }
}
