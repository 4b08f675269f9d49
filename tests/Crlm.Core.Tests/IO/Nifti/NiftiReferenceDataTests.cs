using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>
/// Every NIfTI file in ../shared/data/real against reference.json (nibabel 5.0.0 + numpy 1.24.2):
/// dims, spacing, affine, dtype, stored-value statistics, label counts, sample voxels, extensions.
/// </summary>
public sealed partial class NiftiReferenceDataTests
{
    private const double AffineTolerance = 1e-4;
    private const double SpacingTolerance = 1e-4;

    // reference.json rounds statistics to 6 decimals, so compare to that as well as to rtol 1e-6.
    private const double StatsRelativeTolerance = 1e-6;
    private const double StatsRoundingTolerance = 5e-7;

    [RequiresSharedDataFact]
    public void Inspect_matches_reference_for_every_real_nifti_file()
    {
        var entries = NiftiEntries();
        Assert.True(entries.Count >= 5, $"expected the 5 TotalSegmentator NIfTI files in reference.json, found {entries.Count}");

        foreach (var entry in entries)
        {
            string file = entry.GetProperty("file").GetString()!;
            var inspection = NiftiInspection.Inspect(SharedData.Real(file));

            Assert.Equal(Ints(entry.GetProperty("dims")), inspection.Dims);
            double[] spacing = Doubles(entry.GetProperty("voxel_spacing_mm"));
            for (int axis = 0; axis < 3; axis++)
            {
                Assert.True(Math.Abs(spacing[axis] - inspection.Spacing[axis]) <= SpacingTolerance,
                    $"{file}: spacing[{axis}] expected {spacing[axis]}, got {inspection.Spacing[axis]}");
            }

            var affine = new double[4, 4];
            for (int r = 0; r < 4; r++)
            {
                for (int c = 0; c < 4; c++)
                {
                    affine[r, c] = inspection.Affine[r][c];
                }
            }

            NiftiFixtureTests.AssertAffine(entry.GetProperty("affine_used_by_nibabel"), affine, AffineTolerance, file);
            Assert.Equal(entry.GetProperty("dtype").GetString(), inspection.Datatype);
            Assert.Equal(entry.GetProperty("orientation_axcodes").GetString(), inspection.Orientation);
            Assert.Equal(entry.GetProperty("qform_code").GetInt32(), inspection.QformCode);
            Assert.Equal(entry.GetProperty("sform_code").GetInt32(), inspection.SformCode);

            var stats = entry.GetProperty("stored_value_stats");
            AssertStat(stats.GetProperty("min").GetDouble(), inspection.Min, file + " min");
            AssertStat(stats.GetProperty("max").GetDouble(), inspection.Max, file + " max");
            AssertStat(stats.GetProperty("mean").GetDouble(), inspection.Mean, file + " mean");

            if (entry.TryGetProperty("label_voxel_counts", out var labelCounts))
            {
                var expected = ParseLabelCounts(labelCounts);
                Assert.NotNull(inspection.Labels);
                Assert.Equal(expected.OrderBy(p => p.Key), inspection.Labels!.OrderBy(p => p.Key));
            }
        }
    }

    [RequiresSharedDataFact]
    public void Sample_voxels_and_header_fields_match_reference()
    {
        foreach (var entry in NiftiEntries())
        {
            string file = entry.GetProperty("file").GetString()!;
            string path = SharedData.Real(file);
            var header = NiftiReader.ReadHeader(path);
            var raw = entry.GetProperty("raw_header");

            Assert.Equal(raw.GetProperty("datatype_code").GetInt32(), (int)header.DataType);
            Assert.Equal(raw.GetProperty("bitpix").GetInt32(), header.BitPix);
            Assert.Equal((long)raw.GetProperty("vox_offset").GetDouble(), header.VoxOffset);
            Assert.Equal(entry.GetProperty("xyzt_units").GetInt32(), header.XyztUnits);
            var extensions = entry.GetProperty("extensions").EnumerateArray().ToList();
            Assert.Equal(extensions.Count, header.Extensions.Count);
            for (int n = 0; n < extensions.Count; n++)
            {
                Assert.Equal(extensions[n].GetProperty("ecode").GetInt32(), header.Extensions[n].ECode);
                Assert.Equal(extensions[n].GetProperty("esize_on_disk").GetInt32(), header.Extensions[n].ESize);
            }

            var volume = NiftiReader.Read<double>(path);
            foreach (var sample in entry.GetProperty("sample_voxels").EnumerateArray())
            {
                int[] ijk = Ints(sample.GetProperty("index"));
                Assert.Equal(sample.GetProperty("value").GetDouble(), volume[ijk[0], ijk[1], ijk[2]]);
            }
        }
    }

    [RequiresSharedDataFact]
    public void Liver_label_of_the_real_mask_has_the_reference_voxel_count_and_bounding_box()
    {
        var entry = NiftiEntries().Single(e => e.GetProperty("file").GetString() == "totalsegmentator/example_seg.nii.gz");
        var liver = entry.GetProperty("liver_label_5");
        var mask = NiftiReader.Read<byte>(SharedData.Real("totalsegmentator/example_seg.nii.gz"));

        int[] lo = [int.MaxValue, int.MaxValue, int.MaxValue], hi = [-1, -1, -1];
        long count = 0;
        for (int k = 0; k < mask.Size.Z; k++)
        {
            for (int j = 0; j < mask.Size.Y; j++)
            {
                for (int i = 0; i < mask.Size.X; i++)
                {
                    if (mask[i, j, k] != 5)
                    {
                        continue;
                    }

                    count++;
                    int[] ijk = [i, j, k];
                    for (int a = 0; a < 3; a++)
                    {
                        lo[a] = Math.Min(lo[a], ijk[a]);
                        hi[a] = Math.Max(hi[a], ijk[a]);
                    }
                }
            }
        }

        Assert.Equal(38634, count);
        Assert.Equal(Ints(liver.GetProperty("min_index_inclusive")), lo);
        Assert.Equal(Ints(liver.GetProperty("max_index_inclusive")), hi);
    }

    private static List<JsonElement> NiftiEntries()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.ReferenceJson));
        return doc.RootElement.GetProperty("images").EnumerateArray()
            .Where(e => e.TryGetProperty("format", out var f) && f.GetString()!.StartsWith("NIfTI", StringComparison.Ordinal))
            .Select(e => e.Clone())
            .ToList();
    }

    /// <summary>
    /// label_voxel_counts is a JSON object ({"5": {"count": 38634, "name": "liver"}} or {"5": 38634}); older
    /// dumps held the repr of a Python dict as a string, which the regex reads too.
    /// </summary>
    internal static Dictionary<long, long> ParseLabelCounts(JsonElement element)
    {
        var counts = new Dictionary<long, long>();
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                long key = long.Parse(p.Name, CultureInfo.InvariantCulture);
                counts[key] = p.Value.ValueKind == JsonValueKind.Object ? p.Value.GetProperty("count").GetInt64() : p.Value.GetInt64();
            }

            return counts;
        }

        foreach (Match m in PythonDictEntry().Matches(element.GetString() ?? ""))
        {
            string value = m.Groups["nested"].Success ? m.Groups["nested"].Value : m.Groups["plain"].Value;
            counts[long.Parse(m.Groups["key"].Value, CultureInfo.InvariantCulture)] = long.Parse(value, CultureInfo.InvariantCulture);
        }

        Assert.NotEmpty(counts);
        return counts;
    }

    [GeneratedRegex("""['"]?(?<key>-?\d+)['"]?\s*:\s*(?:\{[^{}]*?['"]count['"]\s*:\s*(?<nested>\d+)[^{}]*\}|(?<plain>\d+))""")]
    private static partial Regex PythonDictEntry();

    [Fact]
    public void Label_counts_parse_from_json_objects_and_python_dict_strings()
    {
        using var obj = JsonDocument.Parse("""{"0": {"count": 10}, "5": {"count": 3, "name": "liver"}}""");
        using var str = JsonDocument.Parse("""["{0: {'count': 10}, 5: {'count': 3, 'name': 'liver'}}", "{0: 10, 5: 3}"]""");
        var expected = new Dictionary<long, long> { [0] = 10, [5] = 3 };

        Assert.Equal(expected, ParseLabelCounts(obj.RootElement));
        Assert.Equal(expected, ParseLabelCounts(str.RootElement[0]));
        Assert.Equal(expected, ParseLabelCounts(str.RootElement[1]));
    }

    private static void AssertStat(double expected, double actual, string what)
    {
        double tol = Math.Max(StatsRelativeTolerance * Math.Abs(expected), StatsRoundingTolerance);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected}, got {actual}");
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
}
