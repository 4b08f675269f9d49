namespace Crlm.Core.Imaging;

/// <summary>
/// Where a voxel grid sits in the patient. One convention for the whole code base: world
/// coordinates are RAS+ millimetres, as in NIfTI and nibabel (+x towards the patient's Right,
/// +y Anterior, +z Superior). Readers of other formats (DICOM is LPS+) convert at the boundary.
/// </summary>
/// <remarks>
/// Voxel index (i, j, k) maps to world <c>origin + Direction * diag(Spacing) * (i, j, k)</c>, so
/// the columns of <see cref="Direction"/> are the unit directions of the i, j and k axes and
/// <see cref="Origin"/> is the centre of voxel (0, 0, 0). Geometry is validated on construction:
/// positive finite spacing, finite origin, orthonormal direction (to <see cref="DirectionTolerance"/>,
/// since headers carry float32 rounding).
/// </remarks>
public sealed record VolumeGeometry
{
    /// <summary>Tolerance on direction orthonormality: file headers carry float32 rounding.</summary>
    public const double DirectionTolerance = 1e-3;

    /// <summary>Default tolerance, in mm, when comparing two grids (different readers round differently).</summary>
    public const double DefaultMatchToleranceMm = 1e-3;

    public VolumeGeometry(Int3 size, Vec3 spacing, Vec3 origin, Matrix3 direction)
    {
        if (size.X <= 0 || size.Y <= 0 || size.Z <= 0)
        {
            throw new ArgumentException($"grid size must be positive on every axis, got {size}", nameof(size));
        }

        if (!spacing.IsFinite || spacing.X <= 0 || spacing.Y <= 0 || spacing.Z <= 0)
        {
            throw new ArgumentException($"spacing must be finite and positive, got {spacing}", nameof(spacing));
        }

        if (!origin.IsFinite)
        {
            throw new ArgumentException($"origin must be finite, got {origin}", nameof(origin));
        }

        if (!direction.IsFinite || direction.OrthonormalityError() > DirectionTolerance)
        {
            throw new ArgumentException("direction must be an orthonormal 3x3 matrix (no shear)", nameof(direction));
        }

        Size = size;
        Spacing = spacing;
        Origin = origin;
        Direction = direction;
        _indexToWorld = direction * Matrix3.Diagonal(spacing);
        _worldToIndex = _indexToWorld.Inverse();
    }

    private readonly Matrix3 _indexToWorld;
    private readonly Matrix3 _worldToIndex;

    public Int3 Size { get; }
    public Vec3 Spacing { get; }
    public Vec3 Origin { get; }
    public Matrix3 Direction { get; }

    /// <summary>Number of voxels in the grid.</summary>
    public long VoxelCount => Size.Product;

    /// <summary>Identity direction, zero origin: handy for synthetic data and tests.</summary>
    public static VolumeGeometry Axial(Int3 size, Vec3 spacing) => new(size, spacing, new Vec3(0, 0, 0), Matrix3.Identity);

    /// <summary>
    /// Builds a geometry from a 4x4 voxel-to-world (RAS+) affine, row-major. Spacing is the length of
    /// each of the first three columns, direction those columns normalised.
    /// </summary>
    public static VolumeGeometry FromAffine(Int3 size, double[,] affine)
    {
        ArgumentNullException.ThrowIfNull(affine);
        if (affine.GetLength(0) < 3 || affine.GetLength(1) != 4)
        {
            throw new ArgumentException("affine must be 3x4 or 4x4", nameof(affine));
        }

        var c0 = new Vec3(affine[0, 0], affine[1, 0], affine[2, 0]);
        var c1 = new Vec3(affine[0, 1], affine[1, 1], affine[2, 1]);
        var c2 = new Vec3(affine[0, 2], affine[1, 2], affine[2, 2]);
        var spacing = new Vec3(c0.Norm, c1.Norm, c2.Norm);
        if (spacing.X == 0 || spacing.Y == 0 || spacing.Z == 0)
        {
            throw new ArgumentException($"affine has a zero-length axis (spacing {spacing})", nameof(affine));
        }

        var direction = Matrix3.FromColumns(1 / spacing.X * c0, 1 / spacing.Y * c1, 1 / spacing.Z * c2);
        return new VolumeGeometry(size, spacing, new Vec3(affine[0, 3], affine[1, 3], affine[2, 3]), direction);
    }

    /// <summary>The 4x4 voxel-to-world affine (RAS+ mm), row-major, as nibabel reports it.</summary>
    public double[,] Affine()
    {
        var a = new double[4, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                a[r, c] = _indexToWorld[r, c];
            }

            a[r, 3] = Origin[r];
        }

        a[3, 3] = 1;
        return a;
    }

    /// <summary>World (RAS+ mm) position of a continuous voxel index.</summary>
    public Vec3 IndexToWorld(Vec3 index) => Origin + _indexToWorld * index;

    /// <summary>World (RAS+ mm) position of a voxel centre.</summary>
    public Vec3 IndexToWorld(int i, int j, int k) => IndexToWorld(new Vec3(i, j, k));

    /// <summary>Continuous voxel index of a world (RAS+ mm) point; round it to get the nearest voxel.</summary>
    public Vec3 WorldToIndex(Vec3 world) => _worldToIndex * (world - Origin);

    public bool Contains(int i, int j, int k) =>
        (uint)i < (uint)Size.X && (uint)j < (uint)Size.Y && (uint)k < (uint)Size.Z;

    /// <summary>
    /// True when both grids have the same size and their voxel centres agree to within
    /// <paramref name="toleranceMm"/> at every corner of the grid (so small direction
    /// differences that add up across a large grid are caught too).
    /// </summary>
    public bool SameGridAs(VolumeGeometry other, double toleranceMm = DefaultMatchToleranceMm)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Size != other.Size)
        {
            return false;
        }

        foreach (int i in new[] { 0, Size.X - 1 })
        {
            foreach (int j in new[] { 0, Size.Y - 1 })
            {
                foreach (int k in new[] { 0, Size.Z - 1 })
                {
                    if ((IndexToWorld(i, j, k) - other.IndexToWorld(i, j, k)).Norm > toleranceMm)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Orientation codes as nibabel's <c>aff2axcodes</c> gives them: for each voxel axis, the world
    /// direction it points to most (R/L, A/P, S/I). "RAS" for an identity direction.
    /// </summary>
    public string AxisCodes()
    {
        Span<char> codes = stackalloc char[3];
        ReadOnlySpan<char> positive = "RAS";
        ReadOnlySpan<char> negative = "LPI";
        for (int c = 0; c < 3; c++)
        {
            var col = Direction.Column(c);
            int best = 0;
            for (int r = 1; r < 3; r++)
            {
                if (Math.Abs(col[r]) > Math.Abs(col[best]))
                {
                    best = r;
                }
            }

            codes[c] = col[best] >= 0 ? positive[best] : negative[best];
        }

        return new string(codes);
    }

    public override string ToString() => $"{Size} @ {Spacing} mm, origin {Origin}, axes {AxisCodes()}";
}
