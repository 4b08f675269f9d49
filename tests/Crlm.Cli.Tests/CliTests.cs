using System.Text.Json;
using Crlm.Core.Tests.TestSupport;
using Spectre.Console;

namespace Crlm.Cli.Tests;

public class CliTests
{
    private static (int Code, string Out, string Err) Crlm(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = new CliApp(stdout, stderr).Run(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("inspect", "<file>", "--json")]
    [InlineData("validate", "<file>", ".yaml/.yml")]
    [InlineData("run", "<spec>", "Run a YAML pipeline")]
    [InlineData("synth", "[options]", "--lesion-contrast")]
    [InlineData("preprocess", "[options]", "--liver-label")]
    public void Every_command_has_help(string command, string argument, string detail)
    {
        var (code, output, _) = Crlm(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains($" {command} {argument}", output, StringComparison.Ordinal);
        Assert.Contains(detail, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_help_lists_the_commands_and_bad_arguments_exit_with_2()
    {
        var (code, output, _) = Crlm("--help");
        Assert.Equal(0, code);
        Assert.All(new[] { "inspect", "validate", "run" }, c => Assert.Contains(c, output, StringComparison.Ordinal));
        var (badCode, _, err) = Crlm("inspect", "a.nii", "--no-such-flag");
        Assert.Equal(2, badCode);
        Assert.Contains("--no-such-flag", err, StringComparison.Ordinal);
        Assert.Equal(2, Crlm("frobnicate").Code);
    }

    [Fact]
    public void Inspect_prints_json_with_geometry_and_label_counts()
    {
        using var folder = new TempFolder();
        TinyCohort.WriteScan(folder.Path, "s", TinyCohort.Grid);
        var (code, output, err) = Crlm("inspect", folder.File("liver/s.nii.gz"), "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal([4, 4, 2], root.GetProperty("dims").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1.0, 1.0, 2.5], root.GetProperty("spacing").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(-10.0, root.GetProperty("affine")[0][3].GetDouble());
        Assert.Equal("uint8", root.GetProperty("datatype").GetString());
        Assert.Equal(16, root.GetProperty("labels").GetProperty("1").GetInt64());
        Assert.Equal(16, root.GetProperty("labels").GetProperty("0").GetInt64());
        Assert.Equal(0.5, root.GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Inspect_rejects_missing_and_broken_files_with_exit_code_2_and_the_file_name()
    {
        using var folder = new TempFolder();
        var (missingCode, _, missingErr) = Crlm("inspect", folder.File("nope.nii.gz"));
        Assert.Equal(2, missingCode);
        Assert.Contains("nope.nii.gz: file not found", missingErr, StringComparison.Ordinal);
        string junk = folder.Write("junk.nii", new string('x', 400));
        var (junkCode, _, junkErr) = Crlm("inspect", junk);
        Assert.Equal(2, junkCode);
        Assert.Contains("junk.nii", junkErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_exits_0_on_a_clean_manifest_and_2_listing_problems_on_a_bad_one()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1);
        var (okCode, okOut, _) = Crlm("validate", manifest);
        Assert.Equal(0, okCode);
        Assert.Contains("3 scans, 3 patients, 1 sites; 0 error(s)", okOut, StringComparison.Ordinal);

        File.AppendAllText(manifest, "p9,s9,A,venous,crlm,img/none.nii.gz,liver/none.nii.gz,,,,\n");
        var (badCode, badOut, _) = Crlm("validate", manifest);
        Assert.Equal(2, badCode);
        Assert.Contains(":5: column 'phase': error: unknown phase 'venous'", badOut, StringComparison.Ordinal);
        Assert.Contains(":5: column 'image': error: file not found", badOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_exits_2_on_a_bad_spec_1_on_a_failed_run_and_0_when_done()
    {
        using var folder = new TempFolder();
        string bad = folder.Write("bad.yaml", "dataset:\n  manifets: m.csv\n");
        var (badCode, _, badErr) = Crlm("run", bad);
        Assert.Equal(2, badCode);
        Assert.Contains("bad.yaml:2:3: unknown key 'manifets'; did you mean 'manifest'?", badErr, StringComparison.Ordinal);

        string manifest = TinyCohort.Write(folder.Path, ["A", "B"], 3);
        // Nine patients per site are too few for the benchmark's SMOTE (k = 5): stop after the embeddings.
        string good = folder.Write("good.yaml", $"dataset:\n  manifest: {manifest}\nsplits:\n  folds: 2\nstages: [cohort, split, preprocess, embed]\noutput: out\n");
        var (okCode, okOut, okErr) = Crlm("run", good);
        Assert.True(okCode == 0, okOut + okErr);
        Assert.True(File.Exists(folder.File("out/splits.csv")));

        File.Delete(folder.File("img/A-crlm-0.nii.gz"));
        var (failCode, failOut, _) = Crlm("run", good);
        Assert.Equal(1, failCode);
        Assert.Contains("failed", failOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ends_with_the_report_path_and_the_report_is_self_contained_and_escaped()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A", "B<script>alert(1)</script>"], 3);
        string spec = folder.Write("spec.yaml", $"name: tiny\ndataset:\n  manifest: {manifest}\nsplits:\n  folds: 2\nstages: [cohort, split, report]\n");
        var (code, output, err) = Crlm("run", spec);
        Assert.True(code == 0, output + err);

        // The report's path is the last line, under reports/NAME/ beside the spec, named after the run folder.
        string last = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("report: ", last, StringComparison.Ordinal);
        string report = last["report: ".Length..];
        Assert.Equal(folder.File("reports/tiny"), Path.GetDirectoryName(report));
        string runFolder = Path.GetFileNameWithoutExtension(report);
        Assert.True(File.Exists(folder.File($"runs/tiny/{runFolder}/report.html")), "the run folder keeps its own copy");

        string html = File.ReadAllText(report);
        Assert.Contains("id=\"run-summary\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"cohort\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        // Nothing loaded from elsewhere: every src/href is inline data or an in-page anchor (SVG's xmlns is a name, not a load).
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(?!data:|#)", html);
    }

    [Fact]
    public void Validate_takes_a_spec_reports_every_mistake_with_its_position_and_summarises_a_valid_one()
    {
        using var folder = new TempFolder();
        string bad = folder.Write("bad.yaml", "dataset:\n  synthetic: {patients: 20}\nsede: 1\nstages: [cohort, embed]\n");
        var (badCode, badOut, _) = Crlm("validate", bad);
        Assert.Equal(2, badCode);
        Assert.Contains("bad.yaml:3:1: unknown key 'sede'; did you mean 'seed'?", badOut, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:4:18: stage 'embed' needs 'split' listed before it", badOut, StringComparison.Ordinal);

        string good = folder.Write("good.yml", "dataset:\n  synthetic: {patients: 20}\nstages: [cohort, split]\npipelines:\n  a:\n  b:\n    seed: 4\n");
        var (okCode, okOut, _) = Crlm("validate", good);
        Assert.True(okCode == 0, okOut);
        Assert.Contains("a: stages cohort, split; encoders none (no embed stage); dataset synthetic, 20 small patients, seed 0", okOut, StringComparison.Ordinal);
        Assert.Contains("b: stages cohort, split;", okOut, StringComparison.Ordinal);
        Assert.Contains("valid (2 pipeline(s))", okOut, StringComparison.Ordinal);

        var (manyCode, _, manyErr) = Crlm("run", good);
        Assert.Equal(2, manyCode);
        Assert.Contains("defines 2 pipelines (a, b): choose one with --pipeline NAME", manyErr, StringComparison.Ordinal);
        Assert.Equal(2, Crlm("validate", folder.Write("x.txt", "")).Code);
    }

    [Fact]
    public void Run_only_a_stage_writes_a_timestamped_run_folder_with_its_log()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 3);
        string spec = folder.Write("s.yaml", $"name: s\ndataset:\n  manifest: {manifest}\nsplits:\n  folds: 2\nstages: [cohort, split]\n");
        var (code, output, err) = Crlm("run", spec, "--only", "split");
        Assert.True(code == 0, output + err);
        string run = Assert.Single(Directory.GetDirectories(folder.File("runs/s")));
        string log = File.ReadAllText(Path.Combine(run, "run.log"));
        Assert.Contains("prerequisite", log, StringComparison.Ordinal);
        Assert.Contains("done in", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "spec.resolved.yaml")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.True(json.RootElement.GetProperty("versions").TryGetProperty("TorchSharp", out _));
        Assert.Equal(2, Crlm("run", spec, "--only", "embed").Code); // not in the spec's stages
    }

    [Fact]
    public void Synth_writes_a_valid_cohort_and_rejects_unknown_sites()
    {
        using var folder = new TempFolder();
        var (code, output, err) = Crlm("synth", "--out", folder.File("c"), "--patients", "3", "--seed", "5", "--sites", "UMEA", "TCIA_CRLM");
        Assert.True(code == 0, output + err);
        Assert.Contains("3 patients", output, StringComparison.Ordinal);
        var (validCode, validOut, _) = Crlm("validate", folder.File("c/manifest.csv"));
        Assert.True(validCode == 0, validOut);
        Assert.True(File.Exists(folder.File("c/truth.json")));
        string[] rows = File.ReadAllLines(folder.File("c/manifest.csv"));
        Assert.All(rows.Skip(1), r => Assert.True(r.Contains(",UMEA,", StringComparison.Ordinal) || r.Contains(",TCIA_CRLM,", StringComparison.Ordinal), r));

        var (badCode, _, badErr) = Crlm("synth", "--out", folder.File("d"), "--sites", "NOWHERE");
        Assert.Equal(2, badCode);
        Assert.Contains("unknown site(s) NOWHERE", badErr, StringComparison.Ordinal);
        Assert.Equal(2, Crlm("synth", "--out", folder.File("e"), "--size", "huge").Code);
    }

    [Fact]
    public void Preprocess_writes_the_box_and_its_masks_and_prints_the_report()
    {
        using var folder = new TempFolder();
        TinyCohort.WriteScan(folder.Path, "s", TinyCohort.Grid);
        var (code, output, err) = Crlm(
            "preprocess", "--image", folder.File("img/s.nii.gz"), "--liver-mask", folder.File("liver/s.nii.gz"),
            "--lesion-mask", folder.File("lesion/s.nii.gz"), "--out", folder.File("out/box.nii.gz"),
            "--out-mask", folder.File("out/liver.nii.gz"), "--out-lesion-mask", folder.File("out/lesion.nii.gz"),
            "--spacing", "1", "1", "2.5", "--box", "6", "6", "3", "--window", "-20", "80", "--norm", "minmax");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal([6, 6, 3], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("minmax", root.GetProperty("normalisation").GetProperty("method").GetString());
        Assert.Equal(16, root.GetProperty("liver_voxels").GetInt64());
        Assert.Equal(0.0, root.GetProperty("min").GetDouble());
        Assert.Equal(1.0, root.GetProperty("max").GetDouble());
        foreach (string file in new[] { "box", "liver", "lesion" })
        {
            var (inspectCode, inspected, _) = Crlm("inspect", folder.File($"out/{file}.nii.gz"), "--json");
            Assert.Equal(0, inspectCode);
            using var header = JsonDocument.Parse(inspected);
            Assert.Equal([6, 6, 3], header.RootElement.GetProperty("dims").EnumerateArray().Select(e => e.GetInt32()));
        }
    }

    [Fact]
    public void Preprocess_refuses_a_mask_on_another_grid_and_a_missing_file_with_exit_2()
    {
        using var folder = new TempFolder();
        var shifted = new Crlm.Core.Imaging.VolumeGeometry(TinyCohort.Grid.Size, TinyCohort.Grid.Spacing, new Crlm.Core.Imaging.Vec3(0, 0, 0), TinyCohort.Grid.Direction);
        TinyCohort.WriteScan(folder.Path, "s", TinyCohort.Grid, shifted);
        var (code, _, err) = Crlm("preprocess", "--image", folder.File("img/s.nii.gz"), "--liver-mask", folder.File("liver/s.nii.gz"), "--out", folder.File("o.nii.gz"));
        Assert.Equal(2, code);
        Assert.Contains("is not on the grid of its image", err, StringComparison.Ordinal);
        Assert.Contains(folder.File("liver/s.nii.gz"), err, StringComparison.Ordinal);
        Assert.Contains(folder.File("img/s.nii.gz"), err, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("o.nii.gz")));

        var (missing, _, missingErr) = Crlm("preprocess", "--image", folder.File("none.nii.gz"), "--liver-mask", folder.File("liver/s.nii.gz"), "--out", folder.File("o.nii.gz"));
        Assert.Equal(2, missing);
        Assert.Contains("none.nii.gz: file not found", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_is_a_text_bar_with_rate_and_eta()
    {
        Assert.Equal("  preprocess [##########..........] 50/100  25.0/s  ETA 2 s", ConsoleRunObserver.ProgressLine("preprocess", 50, 100, 2));
        Assert.Equal("  preprocess [####################] 100/100  25.0/s", ConsoleRunObserver.ProgressLine("preprocess", 100, 100, 4));
        Assert.Equal("  cohort [....................] 0/7", ConsoleRunObserver.ProgressLine("cohort", 0, 7, 0));
    }

    [Fact]
    public void A_bar_named_apart_from_its_stage_still_shows_rate_and_eta()
    {
        // The embed stage reports one bar per encoder ("embed: NAME"), not under the stage's own name.
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(text) });
        var observer = new ConsoleRunObserver(console);
        observer.StageStarted("embed", "embed scans");
        observer.Progress("embed: cnn3d", 0, 10);
        Thread.Sleep(50);
        observer.Progress("embed: cnn3d", 5, 10);
        string half = text.ToString().Split('\n').Single(l => l.Contains("5/10", StringComparison.Ordinal));
        Assert.Matches(@"5/10  [0-9.]+/s  ETA [0-9]+ s", half);
    }
}
