using System.Text.Json;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Cli.Tests;

/// <summary>
/// `crlm inspect --json`, the command a user runs, against reference.json (nibabel 5.0.0) for every NIfTI file in
/// ../shared/data/real: the JSON text itself, not the library object behind it.
/// </summary>
public sealed class InspectReferenceTests
{
    [RequiresSharedDataFact]
    public void Inspect_json_matches_nibabel_for_every_real_nifti_file()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(SharedData.ReferenceJson));
        var entries = reference.RootElement.GetProperty("images").EnumerateArray()
            .Where(e => e.TryGetProperty("file", out var f) && (f.GetString()!.EndsWith(".nii.gz", StringComparison.Ordinal) || f.GetString()!.EndsWith(".nii", StringComparison.Ordinal)))
            .ToList();
        Assert.True(entries.Count >= 5, $"expected the 5 TotalSegmentator NIfTI files in reference.json, found {entries.Count}");

        foreach (var entry in entries)
        {
            string file = entry.GetProperty("file").GetString()!;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = new CliApp(stdout, stderr).Run(["inspect", SharedData.Real(file), "--json"]);
            Assert.True(code == 0, $"{file}: {stderr}");
            using var json = JsonDocument.Parse(stdout.ToString());
            var ours = json.RootElement;

            Assert.Equal(Doubles(entry.GetProperty("dims")), Doubles(ours.GetProperty("dims")));
            Close(Doubles(entry.GetProperty("voxel_spacing_mm")), Doubles(ours.GetProperty("spacing")), 1e-4, file + " spacing");
            for (int r = 0; r < 4; r++)
            {
                Close(Doubles(entry.GetProperty("affine_used_by_nibabel")[r]), Doubles(ours.GetProperty("affine")[r]), 1e-4, $"{file} affine row {r}");
            }

            Assert.Equal(entry.GetProperty("dtype").GetString(), ours.GetProperty("datatype").GetString());
            var stats = entry.GetProperty("stored_value_stats");
            foreach (string stat in new[] { "min", "max", "mean" })
            {
                double expected = stats.GetProperty(stat).GetDouble();
                // reference.json rounds to 6 decimals.
                Close([expected], [ours.GetProperty(stat).GetDouble()], Math.Max(1e-6 * Math.Abs(expected), 5e-7), $"{file} {stat}");
            }

            if (entry.TryGetProperty("label_voxel_counts", out var labels) && labels.ValueKind == JsonValueKind.Object)
            {
                var expected = labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("count").GetInt64(), StringComparer.Ordinal);
                var actual = ours.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int n = 0; n < expected.Length; n++)
        {
            Assert.True(Math.Abs(expected[n] - actual[n]) <= tolerance, $"{what}[{n}]: nibabel {expected[n]:R}, crlm inspect {actual[n]:R}");
        }
    }
}
