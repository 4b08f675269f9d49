using System.Globalization;
using Crlm.Core.Imaging;

namespace Crlm.Core.IO.Nifti;

/// <summary>
/// The fields of a NIfTI-1 or NIfTI-2 header that this code base uses, widened to double/long so both
/// versions share one record. Built by <see cref="NiftiReader.ReadHeader"/> or by the writer.
/// </summary>
/// <remarks>
/// Voxel-to-world selection (<see cref="Affine"/>) follows nibabel 5.0 exactly, including its load-time
/// repairs: an xform code outside 0..5 counts as 0, and a qfac (pixdim[0]) other than ±1 counts as 1.
/// Where nibabel silently repairs spacing (pixdim 0 becomes 1, negative becomes its absolute value) we
/// refuse instead, but only when that pixdim is actually used (qform or fallback affine): a silently
/// invented spacing is worse than an error in a measurement pipeline.
/// </remarks>
public sealed record NiftiHeader
{
    /// <summary>1 for a 348-byte NIfTI-1 header, 2 for a 540-byte NIfTI-2 header.</summary>
    public required int Version { get; init; }

    /// <summary>Byte order of the file (detected from sizeof_hdr).</summary>
    public bool IsBigEndian { get; init; }

    /// <summary>dim[0]: the number of dimensions the file declares (1..7; beyond 3 only with extents of 1).</summary>
    public required int NDim { get; init; }

    /// <summary>dim[1..3]; axes a file with NDim &lt; 3 lacks are 1.</summary>
    public required Int3 Size { get; init; }

    public required NiftiDataType DataType { get; init; }
    public int BitPix { get; init; }

    /// <summary>pixdim[0..7]: pixdim[0] is qfac, pixdim[1..3] the voxel spacing in xyzt_units.</summary>
    public required double[] PixDim { get; init; }

    /// <summary>Byte offset of the voxel data in the (uncompressed) file.</summary>
    public required long VoxOffset { get; init; }

    public double SclSlope { get; init; }
    public double SclInter { get; init; }
    public short QformCode { get; init; }
    public short SformCode { get; init; }
    public double QuaternB { get; init; }
    public double QuaternC { get; init; }
    public double QuaternD { get; init; }
    public double QOffsetX { get; init; }
    public double QOffsetY { get; init; }
    public double QOffsetZ { get; init; }
    public double[] SRowX { get; init; } = [0, 0, 0, 0];
    public double[] SRowY { get; init; } = [0, 0, 0, 0];
    public double[] SRowZ { get; init; } = [0, 0, 0, 0];
    public int XyztUnits { get; init; }

    /// <summary>The descrip field (trailing NULs removed).</summary>
    public string Description { get; init; } = "";

    public IReadOnlyList<NiftiExtension> Extensions { get; init; } = [];

    /// <summary>The file this header came from, for error messages; null for a header built in memory.</summary>
    public string? SourcePath { get; init; }

    /// <summary>numpy's name for the stored dtype, e.g. "int16".</summary>
    public string DtypeName => DataType.NumpyName();

    public bool IsIntegerType => DataType.IsInteger();

    /// <summary>Number of voxels in the (3D) grid.</summary>
    public long VoxelCount => Size.Product;

    /// <summary>Which transform <see cref="Affine"/> uses: "sform", "qform" or "pixdim" (nibabel's fallback).</summary>
    public string AffineSource =>
        EffectiveCode(SformCode) != 0 ? "sform" : EffectiveCode(QformCode) != 0 ? "qform" : "pixdim";

    /// <summary>
    /// The (slope, intercept) to apply to stored values, or null when the header says "no scaling"
    /// (slope 0 or not finite, the NIfTI rule as nibabel applies it). A finite slope with a non-finite
    /// intercept is an error, as in nibabel.
    /// </summary>
    public (double Slope, double Inter)? Scaling()
    {
        if (SclSlope == 0 || !double.IsFinite(SclSlope))
        {
            return null;
        }

        if (!double.IsFinite(SclInter))
        {
            throw Fail($"scl_slope is {Fmt(SclSlope)} but scl_inter is {Fmt(SclInter)} (not finite)");
        }

        return (SclSlope, SclInter);
    }

    /// <summary>
    /// The 4x4 voxel-to-world (RAS+ mm) affine, row-major, chosen as nibabel's <c>get_best_affine</c>: the
    /// sform when sform_code is non-zero, else the qform when qform_code is non-zero, else nibabel's
    /// <c>get_base_affine</c> (pixdim diagonal with x flipped, centred on the grid).
    /// </summary>
    public double[,] Affine() => AffineSource switch
    {
        "sform" => SformAffine(),
        "qform" => QformAffine(),
        _ => BaseAffine(),
    };

    /// <summary>The grid this header describes (spacing and direction from <see cref="Affine"/>).</summary>
    public VolumeGeometry Geometry()
    {
        var affine = Affine();
        try
        {
            return VolumeGeometry.FromAffine(Size, affine);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Shear, a zero-length axis, or a scale so extreme the index-to-world matrix cannot be inverted.
            throw Fail($"the {AffineSource} affine does not describe a valid grid ({e.Message})", e);
        }
    }

    /// <summary>The sform rows as a 4x4 matrix; non-finite entries are an error.</summary>
    public double[,] SformAffine()
    {
        var a = new double[4, 4];
        double[][] rows = [SRowX, SRowY, SRowZ];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                double v = rows[r][c];
                if (!double.IsFinite(v))
                {
                    throw Fail($"srow_{"xyz"[r]}[{c}] is {Fmt(v)}; the sform must be finite");
                }

                a[r, c] = v;
            }
        }

        a[3, 3] = 1;
        return a;
    }

    /// <summary>
    /// The qform as nibabel's <c>get_qform</c>: R(b, c, d) * diag(pixdim[1], pixdim[2], qfac * pixdim[3]) plus
    /// the qoffset translation, with qfac = pixdim[0] when it is ±1 and 1 otherwise.
    /// </summary>
    public double[,] QformAffine()
    {
        double[] q = [QuaternB, QuaternC, QuaternD, QOffsetX, QOffsetY, QOffsetZ];
        string[] names = ["quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"];
        for (int n = 0; n < q.Length; n++)
        {
            if (!double.IsFinite(q[n]))
            {
                throw Fail($"{names[n]} is {Fmt(q[n])}; the qform must be finite");
            }
        }

        // nibabel tolerates 1 - (b²+c²+d²) down to -3 eps of the stored precision (float32 in NIfTI-1).
        double tolerance = 3 * (Version == 1 ? Float32MachineEpsilon : Float64MachineEpsilon);
        var rotation = NiftiQuaternion.ToRotation(QuaternB, QuaternC, QuaternD, tolerance)
            ?? throw Fail($"quatern_b/c/d = ({Fmt(QuaternB)}, {Fmt(QuaternC)}, {Fmt(QuaternD)}) is not part of a unit quaternion (b²+c²+d² > 1)");

        double qfac = PixDim[0] is 1.0 or -1.0 ? PixDim[0] : 1.0;
        var zooms = SpatialPixDim(3, "qform");
        var scale = new Vec3(zooms[0], zooms[1], zooms[2] * qfac);
        var m = rotation * Matrix3.Diagonal(scale);
        var a = new double[4, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                a[r, c] = m[r, c];
            }
        }

        a[0, 3] = QOffsetX;
        a[1, 3] = QOffsetY;
        a[2, 3] = QOffsetZ;
        a[3, 3] = 1;
        return a;
    }

    /// <summary>
    /// nibabel's <c>shape_zoom_affine(shape, zooms, x_flip=True)</c>: diag(-zx, zy, zz) with the grid centre
    /// at the world origin. Used when neither sform nor qform is set (Analyze-style files).
    /// </summary>
    public double[,] BaseAffine()
    {
        int used = Math.Min(NDim, 3);
        var zooms = SpatialPixDim(used, "pixdim fallback");
        double[] shape = [Size.X, Size.Y, Size.Z];
        var a = new double[4, 4];
        for (int axis = 0; axis < 3; axis++)
        {
            double zoom = axis < used ? zooms[axis] : 1.0;
            if (axis == 0)
            {
                zoom = -zoom;
            }

            a[axis, axis] = zoom;
            a[axis, 3] = -(shape[axis] - 1) / 2.0 * zoom;
        }

        a[3, 3] = 1;
        return a;
    }

    private double[] SpatialPixDim(int count, string usedBy)
    {
        var zooms = new double[count];
        for (int axis = 0; axis < count; axis++)
        {
            double v = PixDim[axis + 1];
            if (!double.IsFinite(v) || v <= 0)
            {
                throw Fail($"pixdim[{axis + 1}] is {Fmt(v)}; the {usedBy} affine needs a finite positive voxel spacing");
            }

            zooms[axis] = v;
        }

        return zooms;
    }

    // numpy's finfo(...).eps; .NET's float.Epsilon is the smallest subnormal, a different quantity.
    private const double Float32MachineEpsilon = 1.1920928955078125e-07;
    private const double Float64MachineEpsilon = 2.220446049250313e-16;

    /// <summary>nibabel's load-time fix: a code outside the standard's 0..5 is treated as 0 (unknown).</summary>
    internal static int EffectiveCode(short code) => code is >= 0 and <= 5 ? code : 0;

    internal NiftiFormatException Fail(string problem, Exception? inner = null) =>
        NiftiFormatException.For(SourcePath ?? "<in-memory header>", problem, inner);

    private static string Fmt(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
}
