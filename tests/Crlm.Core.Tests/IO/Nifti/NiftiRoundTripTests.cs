using System.Numerics;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.IO.Nifti;

public sealed class NiftiRoundTripTests
{
    private const double GeometryToleranceMm = 1e-5;

    [Theory]
    [InlineData(".nii")]
    [InlineData(".nii.gz")]
    public void Every_datatype_round_trips_voxels_and_geometry(string extension)
    {
        using var temp = new TempFolder();
        RoundTrip<byte>(temp, extension, NiftiDataType.UInt8);
        RoundTrip<sbyte>(temp, extension, NiftiDataType.Int8);
        RoundTrip<short>(temp, extension, NiftiDataType.Int16);
        RoundTrip<ushort>(temp, extension, NiftiDataType.UInt16);
        RoundTrip<int>(temp, extension, NiftiDataType.Int32);
        RoundTrip<uint>(temp, extension, NiftiDataType.UInt32);
        RoundTrip<long>(temp, extension, NiftiDataType.Int64);
        RoundTrip<ulong>(temp, extension, NiftiDataType.UInt64);
        RoundTrip<float>(temp, extension, NiftiDataType.Float32);
        RoundTrip<double>(temp, extension, NiftiDataType.Float64);
    }

    private static void RoundTrip<T>(TempFolder temp, string extension, NiftiDataType expectedType)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var original = NiftiTestFiles.Sweep<T>(NiftiTestFiles.ObliqueGrid());
        string path = temp.File(typeof(T).Name + extension);
        NiftiWriter.Write(path, original);

        var header = NiftiReader.ReadHeader(path);
        Assert.Equal(expectedType, header.DataType);
        var back = NiftiReader.Read<T>(path);

        Assert.Equal(original.Voxels, back.Voxels);
        Assert.True(original.Geometry.SameGridAs(back.Geometry, GeometryToleranceMm),
            $"{typeof(T).Name}{extension}: wrote {original.Geometry}, read {back.Geometry}");
        Assert.Equal(extension == ".nii.gz", IsGzip(path));
    }

    [Fact]
    public void Header_records_scanner_codes_mm_units_unit_scaling_and_offset_352()
    {
        using var temp = new TempFolder();
        string path = temp.File("h.nii");
        NiftiWriter.Write(path, NiftiTestFiles.Sweep<short>(NiftiTestFiles.ObliqueGrid()));

        var h = NiftiReader.ReadHeader(path);

        Assert.Equal(1, h.Version);
        Assert.Equal(1, h.QformCode);
        Assert.Equal(1, h.SformCode);
        Assert.Equal(2, h.XyztUnits);
        Assert.Equal(1.0, h.SclSlope);
        Assert.Equal(0.0, h.SclInter);
        Assert.Equal(352, h.VoxOffset);
        Assert.Equal(16, h.BitPix);
        Assert.Equal(-1.0, h.PixDim[0]); // the grid is a reflection: qfac carries it
        Assert.Equal(352 + 7 * 5 * 3 * 2, new FileInfo(path).Length);
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.3, -0.2, 0.1, true)]
    [InlineData(Math.PI, 0.0, 0.0, false)]          // 180° about x: the a ≈ 0 branch of the quaternion
    [InlineData(0.0, Math.PI, 0.0, true)]           // 180° about y, reflected
    [InlineData(Math.PI / 2, Math.PI, -Math.PI / 2, false)]
    public void Stored_qform_alone_reproduces_the_grid(double ax, double ay, double az, bool reflect)
    {
        var direction = Rotation(ax, ay, az) * Matrix3.Diagonal(new Vec3(reflect ? -1 : 1, 1, 1));
        var grid = new VolumeGeometry(new Int3(4, 3, 2), new Vec3(0.9, 1.1, 3.3), new Vec3(12.5, -7.25, 100), direction);
        using var temp = new TempFolder();
        string path = temp.File("q.nii");
        NiftiWriter.Write(path, new Volume<byte>(grid));

        var header = NiftiReader.ReadHeader(path);
        var fromQform = VolumeGeometry.FromAffine(grid.Size, header.QformAffine());

        Assert.True(grid.SameGridAs(fromQform, GeometryToleranceMm), $"expected {grid}, qform gives {fromQform}");
        Assert.Equal(reflect ? -1.0 : 1.0, header.PixDim[0]);
    }

    [Fact]
    public void Overwrites_atomically_and_leaves_no_temporary_file()
    {
        using var temp = new TempFolder();
        string path = temp.File("img.nii.gz");
        File.WriteAllText(path, "an older file");

        NiftiWriter.Write(path, NiftiTestFiles.Sweep<float>(NiftiTestFiles.ObliqueGrid()));

        Assert.Equal(["img.nii.gz"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        Assert.Equal(NiftiDataType.Float32, NiftiReader.ReadHeader(path).DataType);
    }

    [Fact]
    public void A_failed_write_leaves_the_target_untouched_and_no_temporary_file()
    {
        using var temp = new TempFolder();
        string target = temp.File("occupied.nii");
        Directory.CreateDirectory(target); // the final rename onto a directory must fail

        Assert.ThrowsAny<IOException>(() => NiftiWriter.Write(target, NiftiTestFiles.Sweep<short>(NiftiTestFiles.ObliqueGrid())));

        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Reading_with_a_wider_type_converts_stored_values()
    {
        using var temp = new TempFolder();
        string path = temp.File("s.nii.gz");
        var original = NiftiTestFiles.Sweep<short>(NiftiTestFiles.ObliqueGrid());
        NiftiWriter.Write(path, original);

        var asFloat = NiftiReader.Read<float>(path);

        Assert.Equal(original.Voxels.Select(v => (float)v), asFloat.Voxels);
    }

    private static bool IsGzip(string path)
    {
        using var f = File.OpenRead(path);
        return f.ReadByte() == 0x1f && f.ReadByte() == 0x8b;
    }

    private static Matrix3 Rotation(double ax, double ay, double az)
    {
        var rx = new Matrix3(1, 0, 0, 0, Math.Cos(ax), -Math.Sin(ax), 0, Math.Sin(ax), Math.Cos(ax));
        var ry = new Matrix3(Math.Cos(ay), 0, Math.Sin(ay), 0, 1, 0, -Math.Sin(ay), 0, Math.Cos(ay));
        var rz = new Matrix3(Math.Cos(az), -Math.Sin(az), 0, Math.Sin(az), Math.Cos(az), 0, 0, 0, 1);
        return rz * ry * rx;
    }
}
