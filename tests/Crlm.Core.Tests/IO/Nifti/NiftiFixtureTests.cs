using System.Text.Json;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>
/// Our reader against nibabel 5.0.0's reading of the committed fixtures (made by
/// tests/reference/make_nifti_fixtures.py): big-endian, NIfTI-2, qform-only with qfac = -1, scaling,
/// uint16/int8/float64, an extension, the pixdim fallback affine and a 4D file with dim4 = 1.
/// </summary>
public sealed class NiftiFixtureTests
{
    private const double AffineTolerance = 1e-6;
    private const double ValueRelativeTolerance = 1e-6;

    public static TheoryData<string> FixtureNames() => new(Names());

    private static List<string> Names() =>
        Readings().GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString()!).ToList();

    [Fact]
    public void Every_fixture_kind_is_present()
    {
        var names = Names();
        Assert.Equal(10, names.Count);
        Assert.All(names, n => Assert.True(File.Exists(Path.Combine(SharedData.Fixtures("nifti"), n)), n));
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Header_and_affine_match_nibabel(string name)
    {
        var expected = Reading(name);
        var header = NiftiReader.ReadHeader(FixturePath(name));

        Assert.Equal(expected.GetProperty("version").GetInt32(), header.Version);
        Assert.Equal(expected.GetProperty("big_endian").GetBoolean(), header.IsBigEndian);
        int[] shape = expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(shape.Length, header.NDim);
        Assert.Equal(shape[..3], new[] { header.Size.X, header.Size.Y, header.Size.Z });
        Assert.Equal(expected.GetProperty("dtype").GetString(), header.DtypeName);
        Assert.Equal(expected.GetProperty("qform_code").GetInt32(), header.QformCode);
        Assert.Equal(expected.GetProperty("sform_code").GetInt32(), header.SformCode);
        Assert.Equal(expected.GetProperty("vox_offset").GetInt64(), header.VoxOffset);

        var extensions = expected.GetProperty("extensions").EnumerateArray().ToList();
        Assert.Equal(extensions.Count, header.Extensions.Count);
        for (int n = 0; n < extensions.Count; n++)
        {
            Assert.Equal(extensions[n].GetProperty("ecode").GetInt32(), header.Extensions[n].ECode);
            Assert.Equal(extensions[n].GetProperty("esize").GetInt32(), header.Extensions[n].ESize);
        }

        AssertAffine(expected.GetProperty("affine"), header.Affine(), AffineTolerance, name);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Scaled_voxel_values_match_nibabel(string name)
    {
        var expected = Reading(name);
        var volume = NiftiReader.Read<double>(FixturePath(name));
        double[] v = volume.Voxels;

        AssertClose(expected.GetProperty("min").GetDouble(), v.Min(), name + " min");
        AssertClose(expected.GetProperty("max").GetDouble(), v.Max(), name + " max");
        AssertClose(expected.GetProperty("mean").GetDouble(), v.Average(), name + " mean");
        double weighted = 0;
        for (int n = 0; n < v.Length; n++)
        {
            weighted += v[n] * (n % 97 + 1);
        }

        AssertClose(expected.GetProperty("weighted_sum").GetDouble(), weighted, name + " weighted sum (voxel order)");
        foreach (var sample in expected.GetProperty("samples").EnumerateArray())
        {
            int[] ijk = sample.GetProperty("index").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            AssertClose(sample.GetProperty("value").GetDouble(), volume[ijk[0], ijk[1], ijk[2]], $"{name} voxel ({string.Join(",", ijk)})");
        }
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Inspection_matches_nibabel(string name)
    {
        var expected = Reading(name);
        var inspection = NiftiInspection.Inspect(FixturePath(name));

        AssertClose(expected.GetProperty("min").GetDouble(), inspection.Min, name + " min");
        AssertClose(expected.GetProperty("max").GetDouble(), inspection.Max, name + " max");
        AssertClose(expected.GetProperty("mean").GetDouble(), inspection.Mean, name + " mean");
        var affine = new double[4, 4];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                affine[r, c] = inspection.Affine[r][c];
            }
        }

        AssertAffine(expected.GetProperty("affine"), affine, AffineTolerance, name);
        bool scaled = expected.GetProperty("slope").GetDouble() != 1 || expected.GetProperty("inter").GetDouble() != 0;
        Assert.Equal(scaled, inspection.Scaling is not null);
    }

    [Fact]
    public void Scaling_fixture_applies_slope_and_intercept_and_is_not_a_label_map()
    {
        var header = NiftiReader.ReadHeader(FixturePath("scaled_int16.nii.gz"));
        var inspection = NiftiInspection.Inspect(FixturePath("scaled_int16.nii.gz"));

        Assert.Equal((double)0.37f, header.SclSlope);
        Assert.Equal(-12.5, header.SclInter);
        Assert.Null(inspection.Labels);
    }

    [Fact]
    public void Qform_only_fixture_uses_the_qform_with_qfac_minus_one()
    {
        var header = NiftiReader.ReadHeader(FixturePath("qform_only_qfac_neg.nii"));

        Assert.Equal("qform", header.AffineSource);
        Assert.Equal(-1.0, header.PixDim[0]);
        Assert.True(header.Geometry().Direction.Determinant < 0);
    }

    [Fact]
    public void No_transform_fixture_uses_nibabels_centred_pixdim_fallback()
    {
        var header = NiftiReader.ReadHeader(FixturePath("no_xform_int32.nii"));
        var a = header.Affine();

        Assert.Equal("pixdim", header.AffineSource);
        Assert.Equal(-1.2, a[0, 0], 6);
        Assert.Equal(1.2 * 3, a[0, 3], 6);   // -(7 - 1) / 2 * -1.2
        Assert.Equal(-0.8 * 2.5, a[1, 3], 6); // -(6 - 1) / 2 * 0.8
    }

    [Fact]
    public void Extension_content_is_returned_unmodified()
    {
        var ext = Assert.Single(NiftiReader.ReadHeader(FixturePath("ext_uint8.nii")).Extensions);

        Assert.Equal(6, ext.ECode);
        Assert.StartsWith("Crlm test fixture: labels 0..3", System.Text.Encoding.ASCII.GetString(ext.Content.Span));
    }

    private static string FixturePath(string name) => Path.Combine(SharedData.Fixtures("nifti"), name);

    private static JsonElement Readings()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath("nibabel_readings.json")));
        return doc.RootElement.Clone();
    }

    private static JsonElement Reading(string name) =>
        Readings().GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == name);

    internal static void AssertAffine(JsonElement expected, double[,] actual, double tolerance, string what)
    {
        var rows = expected.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        for (int r = 0; r < 4; r++)
        {
            var cols = rows[r].EnumerateArray().ToList();
            for (int c = 0; c < 4; c++)
            {
                double e = cols[c].GetDouble();
                Assert.True(Math.Abs(e - actual[r, c]) <= tolerance,
                    $"{what}: affine[{r},{c}] expected {e}, got {actual[r, c]} (atol {tolerance})");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        double tol = ValueRelativeTolerance * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected}, got {actual}");
    }
}
