namespace Crlm.Core.Imaging;

/// <summary>An integer triple in voxel index order (i, j, k) = (x, y, z).</summary>
public readonly record struct Int3(int X, int Y, int Z)
{
    /// <summary>Product of the three components as a 64-bit count (a voxel count never overflows).</summary>
    public long Product => (long)X * Y * Z;

    public override string ToString() => $"{X}x{Y}x{Z}";
}

/// <summary>A real triple: a point or direction in world millimetres, or a spacing.</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    public double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;
    public double Norm => Math.Sqrt(Dot(this));
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    public double[] ToArray() => [X, Y, Z];

    public override string ToString() => FormattableString.Invariant($"({X:G6}, {Y:G6}, {Z:G6})");
}

/// <summary>A 3x3 real matrix, row-major. Used for direction cosines (columns are axis directions).</summary>
public readonly record struct Matrix3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    public static Matrix3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    public static Matrix3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    public static Matrix3 Diagonal(Vec3 d) => new(d.X, 0, 0, 0, d.Y, 0, 0, 0, d.Z);

    public double this[int row, int col] => (row, col) switch
    {
        (0, 0) => M00, (0, 1) => M01, (0, 2) => M02,
        (1, 0) => M10, (1, 1) => M11, (1, 2) => M12,
        (2, 0) => M20, (2, 1) => M21, (2, 2) => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {col}) is outside a 3x3 matrix"),
    };

    public Vec3 Column(int col) => new(this[0, col], this[1, col], this[2, col]);

    public static Vec3 operator *(Matrix3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    public static Matrix3 operator *(Matrix3 a, Matrix3 b) => FromColumns(a * b.Column(0), a * b.Column(1), a * b.Column(2));

    public Matrix3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public Matrix3 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("matrix is singular");
        }

        double inv = 1.0 / det;
        return new(
            (M11 * M22 - M12 * M21) * inv, (M02 * M21 - M01 * M22) * inv, (M01 * M12 - M02 * M11) * inv,
            (M12 * M20 - M10 * M22) * inv, (M00 * M22 - M02 * M20) * inv, (M02 * M10 - M00 * M12) * inv,
            (M10 * M21 - M11 * M20) * inv, (M01 * M20 - M00 * M21) * inv, (M00 * M11 - M01 * M10) * inv);
    }

    public bool IsFinite =>
        double.IsFinite(M00) && double.IsFinite(M01) && double.IsFinite(M02) &&
        double.IsFinite(M10) && double.IsFinite(M11) && double.IsFinite(M12) &&
        double.IsFinite(M20) && double.IsFinite(M21) && double.IsFinite(M22);

    /// <summary>Largest absolute deviation of M^T M from the identity: 0 for a rotation or reflection.</summary>
    public double OrthonormalityError()
    {
        var p = Transpose() * this;
        double err = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                err = Math.Max(err, Math.Abs(p[r, c] - (r == c ? 1 : 0)));
            }
        }

        return err;
    }
}
