using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;
using static Crlm.Core.Tests.IO.Nifti.NiftiTestFiles;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>
/// One test per way a file can be broken: each must end in a <see cref="NiftiFormatException"/> whose
/// message names the file and the problem (error messages are part of the contract).
/// </summary>
public sealed class NiftiHostileInputTests : IDisposable
{
    // NIfTI-1 field offsets (nifti1.h).
    private const int Dim0 = 40, Dim1 = 42, Dim2 = 44, Dim3 = 46, Dim4 = 48;
    private const int DataTypeOffset = 70, PixDim0 = 76, PixDim1 = 80, VoxOffset = 108, SclSlope = 112, SclInter = 116;
    private const int QformCode = 252, SformCode = 254, QuaternB = 256, SRowX = 280, Magic = 344;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Empty_file_is_a_truncated_header()
    {
        var e = ReadFails([], "header truncated");
        Assert.Contains("holds 0 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_cut_short_is_a_truncated_header() =>
        ReadFails(ValidInt16File()[..200], "header truncated: 200 bytes where a NIfTI-1 header needs 348");

    [Fact]
    public void Nifti2_header_cut_short_is_a_truncated_header() =>
        ReadFails(FixtureBytes("nifti2_float32.nii.gz")[..400], "header truncated: 400 bytes where a NIfTI-2 header needs 540");

    [Fact]
    public void Missing_voxel_data_is_reported_before_allocating()
    {
        byte[] b = ValidInt16File();
        ReadFails(b[..(b.Length - 10)], "file is 552 bytes but dims 7x5x3 of int16 need 210 bytes after vox_offset 352");
    }

    [Fact]
    public void Gzip_stream_of_a_truncated_file_fails_on_premature_end()
    {
        byte[] b = ValidInt16File();
        ReadFails(Gzip(b[..(b.Length - 10)]), "voxel data truncated: 200 of the 210 bytes", "cut.nii.gz");
    }

    [Fact]
    public void Gzip_file_cut_in_the_middle_fails_cleanly()
    {
        byte[] gz = Gzip(Nifti1Bytes(Sweep<double>(ObliqueGrid())));
        ReadFails(gz[..(gz.Length / 2)], "truncated", "half.nii.gz");
    }

    [Fact]
    public void Gzip_garbage_is_reported_as_corrupt_gzip()
    {
        byte[] garbage = new byte[600];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0x1f;
        garbage[1] = 0x8b;
        garbage[2] = 8;
        var e = ReadFails(garbage, "gzip stream is corrupt", "garbage.nii.gz");
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Bad_magic_is_not_a_nifti_file()
    {
        byte[] b = ValidInt16File();
        "XYZ\0"u8.CopyTo(b.AsSpan(Magic));
        ReadFails(b, "bad magic 58595A00");
    }

    [Fact]
    public void Pair_magic_is_refused_as_unsupported()
    {
        byte[] b = ValidInt16File();
        "ni1\0"u8.CopyTo(b.AsSpan(Magic));
        ReadFails(b, ".hdr/.img pair; only single-file NIfTI");
    }

    [Fact]
    public void Wrong_sizeof_hdr_is_not_a_nifti_file()
    {
        byte[] b = ValidInt16File();
        PutInt32(b, 0, 349);
        ReadFails(b, "sizeof_hdr is 349 in either byte order (expected 348 for NIfTI-1 or 540 for NIfTI-2)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-3)]
    public void Number_of_dimensions_outside_1_to_7_is_refused(short ndim)
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim0, ndim);
        ReadFails(b, $"dim[0] (number of dimensions) is {ndim}; it must be 1..7");
    }

    [Theory]
    [InlineData(Dim1, 0, "dim[1] is 0")]
    [InlineData(Dim2, -5, "dim[2] is -5")]
    [InlineData(Dim3, 0, "dim[3] is 0")]
    public void Non_positive_dimension_is_refused(int offset, short value, string message)
    {
        byte[] b = ValidInt16File();
        PutInt16(b, offset, value);
        ReadFails(b, message + "; every used dimension must be positive");
    }

    [Fact]
    public void True_4D_image_is_refused_as_only_3D_supported()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim0, 4);
        PutInt16(b, Dim4, 3);
        ReadFails(b, "dim[4] is 3: a 4D image; only 3D images are supported");
    }

    [Fact]
    public void Singleton_fourth_dimension_is_accepted()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim0, 4);
        PutInt16(b, Dim4, 1);
        Assert.Equal(new Crlm.Core.Imaging.Int3(7, 5, 3), NiftiReader.Read<short>(Save(b)).Size);
    }

    [Fact]
    public void Dims_product_beyond_an_array_is_refused_before_allocating()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim1, 32767);
        PutInt16(b, Dim2, 32767);
        PutInt16(b, Dim3, 32767);
        ReadFails(b, "dims 32767x32767x32767 declare 35181150961663 voxels, more than one array can hold");
    }

    [Fact]
    public void Dims_disagreeing_with_the_file_size_are_refused()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim3, 300);
        ReadFails(b, "dims 7x5x300 of int16 need 21000 bytes after vox_offset 352");
    }

    [Fact]
    public void Gzip_declaring_more_data_than_it_can_hold_is_refused_before_allocating()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, Dim1, 30000);
        PutInt16(b, Dim2, 30000);
        PutInt16(b, Dim3, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadFails(Gzip(b), "more than a", "huge.nii.gz");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "refusal must come before the 1.8 GB buffer");
    }

    [Fact]
    public void Data_over_the_size_cap_is_refused()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, DataTypeOffset, (short)NiftiDataType.Float64);
        PutInt16(b, Dim1, 32767);
        PutInt16(b, Dim2, 32767);
        PutInt16(b, Dim3, 2);
        ReadFails(b, "over the 2147483648-byte limit");
    }

    [Theory]
    [InlineData(0f, "pixdim[1] is 0")]
    [InlineData(-2f, "pixdim[1] is -2")]
    [InlineData(float.NaN, "pixdim[1] is NaN")]
    [InlineData(float.PositiveInfinity, "pixdim[1] is Infinity")]
    public void Bad_spacing_is_refused_when_the_qform_uses_it(float spacing, string message)
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 0);
        PutFloat(b, PixDim1, spacing);
        ReadFails(b, message + "; the qform affine needs a finite positive voxel spacing");
    }

    [Fact]
    public void Bad_spacing_is_refused_when_the_pixdim_fallback_uses_it()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 0);
        PutInt16(b, QformCode, 0);
        PutFloat(b, PixDim1 + 8, 0f);
        ReadFails(b, "pixdim[3] is 0; the pixdim fallback affine needs a finite positive voxel spacing");
    }

    [Fact]
    public void Bad_spacing_is_ignored_when_the_sform_is_used()
    {
        byte[] b = ValidInt16File();
        PutFloat(b, PixDim1, -7f);
        var v = NiftiReader.Read<short>(Save(b));
        Assert.Equal(0.7, v.Geometry.Spacing.X, 5);
    }

    [Fact]
    public void Non_finite_sform_is_refused()
    {
        byte[] b = ValidInt16File();
        PutFloat(b, SRowX + 12, float.NaN);
        ReadFails(b, "srow_x[3] is NaN; the sform must be finite");
    }

    [Fact]
    public void Non_finite_quaternion_is_refused_when_the_qform_is_used()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 0);
        PutFloat(b, QuaternB + 4, float.NegativeInfinity);
        ReadFails(b, "quatern_c is -Infinity; the qform must be finite");
    }

    [Fact]
    public void Non_unit_quaternion_is_refused()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 0);
        PutFloat(b, QuaternB, 0.9f);
        PutFloat(b, QuaternB + 4, 0.9f);
        ReadFails(b, "is not part of a unit quaternion");
    }

    [Fact]
    public void Sheared_sform_is_refused_as_not_a_grid_but_can_be_inspected()
    {
        byte[] b = ValidInt16File();
        PutFloat(b, SRowX, 0.7f);
        PutFloat(b, SRowX + 4, 0.5f);
        PutFloat(b, SRowX + 8, 0f);
        string path = Save(b);

        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<short>(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("the sform affine does not describe a valid grid", e.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, NiftiInspection.Inspect(path).Affine[0][1], 6); // inspect reports the affine as stored
    }

    [Theory]
    [InlineData(100f, "vox_offset 100 is smaller than the header (352 bytes")]
    [InlineData(0f, "vox_offset 0 is smaller than the header")]
    [InlineData(1e9f, "vox_offset 1000000000 is absurd")]
    [InlineData(400.5f, "vox_offset 400.5 is not a whole number of bytes")]
    [InlineData(float.NaN, "vox_offset NaN is not a whole number of bytes")]
    [InlineData(4096f, "vox_offset 4096 lies beyond the end of the 562-byte file")]
    public void Bad_vox_offset_is_refused(float offset, string message)
    {
        byte[] b = ValidInt16File();
        PutFloat(b, VoxOffset, offset);
        ReadFails(b, message);
    }

    [Fact]
    public void Extension_larger_than_the_space_before_the_data_is_refused()
    {
        byte[] b = FixtureBytes("ext_uint8.nii");
        PutInt32(b, 352, 4000);
        ReadFails(b, "header extension 0 has esize 4000; it must be 8..48");
    }

    [Fact]
    public void Unsupported_datatype_reads_its_header_but_not_its_data()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, DataTypeOffset, (short)NiftiDataType.Complex64);
        string path = Save(b);

        Assert.Equal("complex64", NiftiReader.ReadHeader(path).DtypeName);
        ReadFails(b, "datatype 32 (complex64) is not supported");
    }

    [Fact]
    public void Value_out_of_range_for_the_requested_type_names_the_voxel()
    {
        var v = Sweep<short>(ObliqueGrid());
        v[0, 0, 0] = 7;
        v[3, 2, 1] = 300;
        string path = Save(Nifti1Bytes(v));
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<byte>(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit in Byte", e.Message, StringComparison.Ordinal);
        Assert.Contains("voxel (", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_read_as_an_integer_type_names_the_voxel()
    {
        var v = new Crlm.Core.Imaging.Volume<float>(ObliqueGrid());
        v[3, 2, 1] = float.NaN;
        string path = Save(Nifti1Bytes(v));
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<int>(path));
        Assert.Contains("voxel (3, 2, 1) holds NaN, which does not fit in Int32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaled_value_out_of_range_mentions_the_scaling()
    {
        byte[] b = ValidInt16File();
        PutFloat(b, SclSlope, 1000f);
        string path = Save(b);
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<short>(path));
        Assert.Contains("after scl_slope/scl_inter scaling, which does not fit in Int16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_slope_with_non_finite_intercept_is_refused()
    {
        byte[] b = ValidInt16File();
        PutFloat(b, SclSlope, 2f);
        PutFloat(b, SclInter, float.PositiveInfinity);
        ReadFails(b, "scl_slope is 2 but scl_inter is Infinity (not finite)");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    public void Slope_zero_or_NaN_means_no_scaling(float slope)
    {
        byte[] b = ValidInt16File();
        PutFloat(b, SclSlope, slope);
        PutFloat(b, SclInter, 55f);
        var v = NiftiReader.Read<short>(Save(b));
        Assert.Equal(Sweep<short>(ObliqueGrid()).Voxels, v.Voxels);
    }

    [Fact]
    public void Invalid_xform_code_counts_as_unset_as_in_nibabel()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 9);
        PutFloat(b, SRowX, float.NaN); // would fail if the sform were used
        Assert.Equal("qform", NiftiReader.ReadHeader(Save(b)).AffineSource);
        Assert.NotNull(NiftiReader.Read<short>(Save(b)));
    }

    [Fact]
    public void Qfac_other_than_plus_or_minus_one_counts_as_one_as_in_nibabel()
    {
        byte[] b = ValidInt16File();
        PutInt16(b, SformCode, 0);
        PutFloat(b, PixDim0, 0f);
        var a = NiftiReader.ReadHeader(Save(b)).Affine();
        var det = new Crlm.Core.Imaging.Matrix3(a[0, 0], a[0, 1], a[0, 2], a[1, 0], a[1, 1], a[1, 2], a[2, 0], a[2, 1], a[2, 2]).Determinant;
        Assert.True(det > 0, "qfac 0 must be read as +1, giving a proper rotation");
    }

    [Fact]
    public void Damaged_nifti2_end_of_line_bytes_are_refused()
    {
        byte[] b = FixtureBytes("nifti2_float32.nii.gz");
        b[9] = 13;
        ReadFails(b, "NIfTI-2 end-of-line check bytes are damaged");
    }

    [Fact]
    public void Nifti2_sform_too_small_to_invert_is_refused()
    {
        byte[] b = FixtureBytes("nifti2_float32.nii.gz");
        const int srowX = 400, srowY = 432, srowZ = 464; // NIfTI-2 offsets of the float64 sform rows
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(srowX), 1e-160);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(srowY + 8), 1e-160);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(srowZ + 16), 1e-160);
        string path = Save(b);

        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<float>(path));
        Assert.Contains("the sform affine does not describe a valid grid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_plain_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => NiftiReader.ReadHeader(_temp.File("nope.nii")));
    }

    private string Save(byte[] bytes, string name = "bad.nii")
    {
        string path = _temp.File(Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Asserts that Read, Inspect (and ReadHeader, for header problems) fail naming the file and the problem.</summary>
    private NiftiFormatException ReadFails(byte[] bytes, string problem, string name = "bad.nii")
    {
        string path = Save(bytes, name);
        var e = Assert.Throws<NiftiFormatException>(() => NiftiReader.Read<float>(path));
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);

        var again = Assert.Throws<NiftiFormatException>(() => NiftiInspection.Inspect(path));
        Assert.Contains(path, again.Message, StringComparison.Ordinal);
        return e;
    }
}
