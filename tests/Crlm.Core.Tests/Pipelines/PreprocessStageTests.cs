using Crlm.Core.Cohort;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Preprocessing;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Stages;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>
/// The preprocess stage over a manifest: one cached result per scan under a content key, reused by the next
/// run, recomputed when a parameter or an input changes, never trusted when half-written; a broken scan is
/// reported by id and manifest line without losing the others.
/// </summary>
public sealed class PreprocessStageTests
{
    private const string Options = "preprocess:\n  spacing: [1, 1, 2.5]\n  box: [6, 6, 3]\n";

    private static PipelineSpec Spec(TempFolder folder, string manifest, string preprocess = Options) =>
        PipelineSpecReader.Read(
            folder.Write("spec.yaml", $"name: t\nseed: 3\ndataset:\n  manifest: {manifest}\n{preprocess}stages: [cohort, split, preprocess]\noutput: out\ncache: cache\n"),
            PipelineRunner.DefaultStageNames());

    /// <summary>A tiny cohort whose images all differ (TinyCohort's are identical, which the cache would rightly share).</summary>
    private static string Cohort(TempFolder folder, string[] sites, int perSite)
    {
        string manifest = TinyCohort.Write(folder.Path, sites, perSite);
        int n = 0;
        foreach (string path in Directory.GetFiles(folder.File("img")).Order(StringComparer.Ordinal))
        {
            var image = NiftiReader.Read<short>(path);
            for (int v = 0; v < image.Voxels.Length; v++)
            {
                image.Voxels[v] += (short)(n * 3);
            }

            NiftiWriter.Write(path, image);
            n++;
        }

        return manifest;
    }

    private static RunRecord Run(PipelineSpec spec) =>
        new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System).Run(spec);

    private static string[] Table(TempFolder folder) => File.ReadAllLines(folder.File("out/preprocess/scans.csv"));

    private static string[] Keys(TempFolder folder) => Table(folder).Skip(1).Select(l => l.Split(',')[2]).ToArray();

    [Fact]
    public void Writes_one_cached_result_per_scan_and_reuses_them_on_the_next_run()
    {
        using var folder = new TempFolder();
        string manifest = Cohort(folder, ["A", "B"], 2);
        var spec = Spec(folder, manifest);

        var first = Run(spec);
        Assert.Equal("completed", first.Status);
        Assert.Equal("completed", first.Stages[^1].Outcome);
        Assert.Equal(PreprocessStage.TableHeader, Table(folder)[0]);
        string[] keys = Keys(folder);
        Assert.Equal(12, keys.Length);
        Assert.Equal(keys.Length, keys.Distinct().Count()); // different images, different keys
        foreach (string key in keys)
        {
            var image = NiftiReader.Read<float>(folder.File($"cache/preprocess/{key}/{PreprocessCache.ImageFile}"));
            Assert.Equal(new Int3(6, 6, 3), image.Size);
            Assert.True(File.Exists(folder.File($"cache/preprocess/{key}/{PreprocessCache.ReportFile}")));
        }

        var written = File.GetLastWriteTimeUtc(folder.File($"cache/preprocess/{keys[0]}/{PreprocessCache.ImageFile}"));
        var second = Run(spec);
        Assert.Equal("cached", second.Stages[^1].Outcome);
        Assert.Equal(keys, Keys(folder));
        Assert.Equal(written, File.GetLastWriteTimeUtc(folder.File($"cache/preprocess/{keys[0]}/{PreprocessCache.ImageFile}")));
    }

    [Fact]
    public void The_cached_result_is_what_the_single_scan_preprocessor_gives()
    {
        using var folder = new TempFolder();
        string manifest = Cohort(folder, ["A"], 1);
        var spec = Spec(folder, manifest);
        Run(spec);

        string row = Table(folder)[1];
        string scanId = row.Split(',')[1];
        string patient = scanId[..^3];
        var direct = ScanPreprocessor.Run(
            folder.File($"img/{patient}.nii.gz"), folder.File($"liver/{patient}.nii.gz"), folder.File($"lesion/{patient}.nii.gz"), spec.Preprocess);
        string key = row.Split(',')[2];
        Assert.Equal(direct.Image.Voxels, NiftiReader.Read<float>(folder.File($"cache/preprocess/{key}/{PreprocessCache.ImageFile}")).Voxels);
        Assert.Equal(direct.Liver.Voxels, NiftiReader.Read<byte>(folder.File($"cache/preprocess/{key}/{PreprocessCache.LiverFile}")).Voxels);
    }

    [Fact]
    public void A_changed_parameter_or_input_gives_new_keys_and_moving_the_cohort_does_not()
    {
        using var folder = new TempFolder();
        string manifest = Cohort(folder, ["A"], 1);
        Run(Spec(folder, manifest));
        string[] keys = Keys(folder);

        var windowed = Run(Spec(folder, manifest, Options + "  window: [-100, 200]\n"));
        Assert.Equal("completed", windowed.Stages[^1].Outcome);
        Assert.Empty(Keys(folder).Intersect(keys));

        // One image changes: only its key changes.
        var grid = TinyCohort.Grid;
        string changed = "A-crlm-0";
        var image = new Volume<short>(grid);
        image.Voxels.AsSpan().Fill(55);
        NiftiWriter.Write(folder.File($"img/{changed}.nii.gz"), image);
        Run(Spec(folder, manifest));
        string[] after = Keys(folder);
        Assert.Equal(keys.Length - 1, after.Intersect(keys).Count());

        // The same files elsewhere: the same keys, all reused.
        string moved = Path.Combine(folder.Path, "moved");
        Directory.CreateDirectory(moved);
        foreach (string sub in new[] { "img", "liver", "lesion" })
        {
            Directory.Move(folder.File(sub), Path.Combine(moved, sub));
        }

        File.Move(manifest, Path.Combine(moved, "manifest.csv"));
        var again = Run(Spec(folder, "moved/manifest.csv"));
        Assert.Equal("cached", again.Stages[^1].Outcome);
        Assert.Equal(after, Keys(folder));
    }

    [Fact]
    public void A_half_written_cache_entry_is_not_trusted()
    {
        using var folder = new TempFolder();
        string manifest = Cohort(folder, ["A"], 1);
        var spec = Spec(folder, manifest);
        Run(spec);
        string key = Keys(folder)[0];

        // A crash before the report (written last) leaves a folder without it; a stray partial folder too.
        File.Delete(folder.File($"cache/preprocess/{key}/{PreprocessCache.ReportFile}"));
        File.WriteAllText(folder.File($"cache/preprocess/{key}/{PreprocessCache.ImageFile}"), "garbage");
        Directory.CreateDirectory(folder.File($"cache/preprocess/.{key}.partial-0"));

        var record = Run(spec);
        Assert.Equal("completed", record.Stages[^1].Outcome);
        Assert.Equal(new Int3(6, 6, 3), NiftiReader.Read<float>(folder.File($"cache/preprocess/{key}/{PreprocessCache.ImageFile}")).Size);
    }

    [Fact]
    public void A_broken_scan_fails_the_stage_naming_it_while_the_others_are_kept()
    {
        using var folder = new TempFolder();
        string manifest = Cohort(folder, ["A"], 2);
        Run(Spec(folder, manifest));
        int cached = Directory.GetDirectories(folder.File("cache/preprocess")).Length;

        // An empty liver mask: an error under the default policy.
        NiftiWriter.Write(folder.File("liver/A-negative-1.nii.gz"), new Volume<byte>(TinyCohort.Grid));
        var record = Run(Spec(folder, manifest, Options + "  window: [-50, 150]\n"));

        Assert.Equal("failed", record.Status);
        string error = record.Stages[^1].Error!;
        Assert.Contains("1 of 6 scan(s) could not be preprocessed", error, StringComparison.Ordinal);
        Assert.Contains("scan A-negative-1-pv (manifest line 7)", error, StringComparison.Ordinal);
        Assert.Contains("has no liver voxel", error, StringComparison.Ordinal);
        Assert.Contains("A-negative-1-pv", File.ReadAllText(folder.File("out/preprocess/errors.txt")), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("out/preprocess/scans.csv")));
        Assert.Equal(cached + 5, Directory.GetDirectories(folder.File("cache/preprocess")).Length);

        // body_centre centres the box on the body instead and warns.
        var lenient = Run(Spec(folder, manifest, Options + "  window: [-50, 150]\n  empty_liver: body_centre\n"));
        Assert.Equal("completed", lenient.Status);
        Assert.False(File.Exists(folder.File("out/preprocess/errors.txt")));
        Assert.Contains(Table(folder), l => l.StartsWith("A-negative-1,", StringComparison.Ordinal) && l.EndsWith(",1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_manifest_liver_label_column_overrides_the_spec_for_that_scan()
    {
        var scan = new ScanRecord("p", "s", "A", ContrastPhase.PortalVenous, CohortLabel.Crlm, "i", "l", null, false, null, PatientSex.Unknown,
            new Dictionary<string, string>(StringComparer.Ordinal) { [PreprocessStage.LiverLabelColumn] = "5" }, 2);
        Assert.Equal(5, PreprocessStage.OptionsFor(scan, PreprocessOptions.Default).LiverLabel);
        var bad = scan with { Covariates = new Dictionary<string, string>(StringComparer.Ordinal) { [PreprocessStage.LiverLabelColumn] = "liver" } };
        var e = Assert.Throws<PreprocessingException>(() => PreprocessStage.OptionsFor(bad, PreprocessOptions.Default));
        Assert.Contains("column 'liver_label' must be a whole number", e.Message, StringComparison.Ordinal);
    }
}
