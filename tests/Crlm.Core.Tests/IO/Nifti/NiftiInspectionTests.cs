using System.Text.Json;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.IO.Nifti;

public sealed class NiftiInspectionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Json_has_exactly_the_documented_keys_and_label_counts()
    {
        var mask = new Volume<byte>(NiftiTestFiles.ObliqueGrid());
        for (int n = 0; n < mask.Voxels.Length; n++)
        {
            mask.Voxels[n] = (byte)(n % 3 == 0 ? 5 : 0);
        }

        mask.Voxels[1] = 200;
        string path = _temp.File("mask.nii.gz");
        NiftiWriter.Write(path, mask);

        using var doc = JsonDocument.Parse(NiftiInspection.Inspect(path).ToJson());
        var root = doc.RootElement;

        Assert.Equal(
            ["dims", "spacing", "affine", "datatype", "min", "max", "mean", "labels", "orientation", "qform_code", "sform_code"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal([7, 5, 3], root.GetProperty("dims").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0.7, root.GetProperty("spacing")[0].GetDouble(), 6);
        Assert.Equal(4, root.GetProperty("affine").GetArrayLength());
        Assert.Equal("uint8", root.GetProperty("datatype").GetString());
        Assert.Equal(0, root.GetProperty("min").GetDouble());
        Assert.Equal(200, root.GetProperty("max").GetDouble());
        Assert.Equal(mask.Voxels.Average(v => (double)v), root.GetProperty("mean").GetDouble(), 12);
        var labels = root.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["0"] = 69, ["5"] = 35, ["200"] = 1 }, labels);
        Assert.Equal("LAS", root.GetProperty("orientation").GetString());
        Assert.Equal(1, root.GetProperty("qform_code").GetInt32());
        Assert.Equal(1, root.GetProperty("sform_code").GetInt32());
    }

    [Fact]
    public void Labels_are_null_for_floats_and_for_more_than_256_distinct_values()
    {
        var grid = new VolumeGeometry(new Int3(20, 20, 2), new Vec3(1, 1, 1), new Vec3(0, 0, 0), Matrix3.Identity);
        var ct = new Volume<short>(grid);
        for (int n = 0; n < ct.Voxels.Length; n++)
        {
            ct.Voxels[n] = (short)(n - 400); // 800 distinct values
        }

        string ctPath = _temp.File("ct.nii");
        NiftiWriter.Write(ctPath, ct);
        string floatPath = _temp.File("f.nii");
        NiftiWriter.Write(floatPath, new Volume<float>(grid));

        Assert.Null(NiftiInspection.Inspect(ctPath).Labels);
        Assert.Null(NiftiInspection.Inspect(floatPath).Labels);
        Assert.Contains("\"labels\": null", NiftiInspection.Inspect(ctPath).ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_256_distinct_integer_values_are_still_labels_with_wide_types()
    {
        var grid = new VolumeGeometry(new Int3(16, 16, 2), new Vec3(1, 1, 1), new Vec3(0, 0, 0), Matrix3.Identity);
        var v = new Volume<int>(grid);
        for (int n = 0; n < v.Voxels.Length; n++)
        {
            v.Voxels[n] = (n % 256) * 1000 - 70000;
        }

        string path = _temp.File("wide.nii");
        NiftiWriter.Write(path, v);
        var labels = NiftiInspection.Inspect(path).Labels;

        Assert.NotNull(labels);
        Assert.Equal(256, labels!.Count);
        Assert.All(labels.Values, c => Assert.Equal(2, c));
        Assert.Equal(-70000, labels.Keys.First());

        v.Voxels[0] = 123; // the 257th distinct value
        NiftiWriter.Write(path, v);
        Assert.Null(NiftiInspection.Inspect(path).Labels);
    }

    [Fact]
    public void NaN_voxels_make_the_statistics_NaN_as_in_numpy_and_null_in_json()
    {
        var v = new Volume<float>(NiftiTestFiles.ObliqueGrid());
        v.Voxels[4] = float.NaN;
        v.Voxels[5] = 3;
        string path = _temp.File("nan.nii");
        NiftiWriter.Write(path, v);

        var inspection = NiftiInspection.Inspect(path);
        using var doc = JsonDocument.Parse(inspection.ToJson());

        Assert.Equal(1, inspection.NanCount);
        Assert.True(double.IsNaN(inspection.Mean));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("min").ValueKind);
    }

    [Fact]
    public void Text_summary_reports_the_grid_orientation_values_and_labels()
    {
        var mask = new Volume<byte>(NiftiTestFiles.ObliqueGrid());
        mask.Voxels[3] = 5;
        string path = _temp.File("m.nii.gz");
        NiftiWriter.Write(path, mask);

        string text = NiftiInspection.Inspect(path).ToText();

        Assert.Contains($"File:         {path}", text, StringComparison.Ordinal);
        Assert.Contains("NIfTI-1 (gzip), little-endian, vox_offset 352, 0 extension(s)", text, StringComparison.Ordinal);
        Assert.Contains("Dims:         7 x 5 x 3", text, StringComparison.Ordinal);
        Assert.Contains("Spacing:      0.7 x 1.3 x 2.9 mm", text, StringComparison.Ordinal);
        Assert.Contains("Orientation:  LAS (affine from sform; qform_code 1, sform_code 1)", text, StringComparison.Ordinal);
        Assert.Contains("min 0, max 5", text, StringComparison.Ordinal);
        Assert.Contains("Labels:       2 distinct value(s)", text, StringComparison.Ordinal);
        Assert.Contains("       5: 1 voxel(s)", text, StringComparison.Ordinal);
    }
}
