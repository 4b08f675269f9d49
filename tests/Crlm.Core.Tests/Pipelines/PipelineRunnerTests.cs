using System.Text.Json;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

public class PipelineRunnerTests
{
    private sealed class RecordingObserver : IRunObserver
    {
        public List<string> Events { get; } = [];

        public void StageStarted(string stage, string description) => Events.Add($"start {stage}");

        public void StageFinished(string stage, StageOutcome outcome, TimeSpan elapsed) => Events.Add($"end {stage} {outcome}");

        public void Info(string stage, string message) => Events.Add($"info {stage} {message}");

        public void Warning(string stage, string message) => Events.Add($"warn {stage} {message}");

        public void Progress(string stage, int done, int total) => Events.Add($"progress {stage} {done}/{total}");
    }

    private static PipelineSpec Spec(TempFolder folder, string manifest, string extra = "", string external = "[X]")
    {
        string path = folder.Write("spec.yaml", $"name: t\nseed: 5\ndataset:\n  manifest: {manifest}\n  external_sites: {external}\n{extra}output: out\n");
        return PipelineSpecReader.Read(path, PipelineRunner.DefaultStageNames());
    }

    [Fact]
    public void Runs_the_listed_stages_and_writes_the_run_record()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A", "B", "X"], 4);
        var observer = new RecordingObserver();
        var record = new PipelineRunner(PipelineRunner.DefaultStages(), observer, TimeProvider.System)
            .Run(Spec(folder, manifest, "splits:\n  folds: 3\nstages: [cohort, split]\n"));

        Assert.Equal("completed", record.Status);
        Assert.Equal(["cohort", "split"], record.Stages.Select(s => s.Name));
        Assert.Equal(64, record.DataSha256!.Length);
        Assert.Equal(["start cohort", "end cohort Completed", "start split", "end split Completed"],
            observer.Events.Where(e => e.StartsWith("start", StringComparison.Ordinal) || e.StartsWith("end", StringComparison.Ordinal)));

        string[] splits = File.ReadAllLines(folder.File("out/splits.csv"));
        Assert.Equal(1 + 36, splits.Length);
        Assert.All(splits.Where(l => l.StartsWith("X-", StringComparison.Ordinal)), l => Assert.Contains(",test,-1,true", l, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("out/run.json")));
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("seed").GetInt64());
        Assert.True(File.Exists(folder.File("out/cohort_by_site.csv")));
    }

    [Fact]
    public void The_cohort_stage_keeps_a_copy_of_the_manifest_with_absolute_paths_in_the_run_folder()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1); // paths relative to the manifest's folder
        new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System)
            .Run(Spec(folder, manifest, "stages: [cohort]\n", external: "[]"));

        var copy = Crlm.Core.Cohort.CsvTable.Read(folder.File("out/cohort/manifest.csv"));
        Assert.Equal(TinyCohort.Header.Split(','), copy.Header);
        Assert.Equal(3, copy.Rows.Count);
        foreach (var row in copy.Rows)
        {
            foreach (int column in new[] { 5, 6, 7 }) // image, liver_mask, lesion_mask
            {
                Assert.True(Path.IsPathRooted(row.Cells[column]), row.Cells[column]);
                Assert.True(File.Exists(row.Cells[column]), row.Cells[column]);
            }
        }

        Assert.Equal("A-crlm-0-pv", copy.Rows[0].Cells[1]);
        Assert.Equal("50", copy.Rows[0].Cells[9]); // other cells as written
    }

    [Fact]
    public void Same_spec_and_seed_give_identical_outputs()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A", "B"], 5);
        var runner = new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System);
        var first = runner.Run(Spec(folder, manifest, external: "[]"));
        byte[] splits = File.ReadAllBytes(folder.File("out/splits.csv"));
        var second = runner.Run(Spec(folder, manifest, external: "[]"));
        Assert.Equal(splits, File.ReadAllBytes(folder.File("out/splits.csv")));
        Assert.Equal(first.DataSha256, second.DataSha256);
    }

    [Fact]
    public void A_bad_manifest_fails_the_run_at_the_cohort_stage_and_lists_the_problems()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A"], 1);
        File.AppendAllText(manifest, "p9,s9,A,portal_venous,benign,img/none.nii.gz,liver/none.nii.gz,,,,\n");
        var record = new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System)
            .Run(Spec(folder, manifest, external: "[]"));

        Assert.Equal("failed", record.Status);
        var stage = Assert.Single(record.Stages);
        Assert.Equal("cohort", stage.Name);
        Assert.Contains("manifest.csv:5: column 'label': error: unknown label 'benign'", stage.Error, StringComparison.Ordinal);
        Assert.Contains("unknown label 'benign'", File.ReadAllText(folder.File("out/cohort/validation.txt")), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("out/splits.csv")));
    }
}

public class PipelineRunnerSelectionTests
{
    private static PipelineSpec Spec(TempFolder folder, string manifest, string extra = "") =>
        PipelineSpecReader.Read(folder.Write("spec.yaml", $"name: t\nseed: 5\ndataset:\n  manifest: {manifest}\nsplits:\n  folds: 2\n{extra}"), PipelineRunner.DefaultCatalog());

    [Fact]
    public void Only_runs_the_stage_with_what_it_needs_as_prerequisites_and_skips_the_rest()
    {
        using var folder = new TempFolder();
        var spec = Spec(folder, TinyCohort.Write(folder.Path, ["A"], 3), "stages: [cohort, split, preprocess, embed, benchmark]\n");
        var only = PipelineRunner.Plan(spec, PipelineRunner.DefaultCatalog(), new RunSelection(Only: "embed"));
        Assert.Equal(
            [("cohort", StageRole.Prerequisite), ("split", StageRole.Prerequisite), ("preprocess", StageRole.Skipped), ("embed", StageRole.Run), ("benchmark", StageRole.Skipped)],
            only.Select(p => (p.Name, p.Role)));
        var from = PipelineRunner.Plan(spec, PipelineRunner.DefaultCatalog(), new RunSelection(From: "preprocess"));
        Assert.Equal(
            [StageRole.Prerequisite, StageRole.Prerequisite, StageRole.Run, StageRole.Run, StageRole.Run],
            from.Select(p => p.Role));
        Assert.Throws<ArgumentException>(() => PipelineRunner.Plan(spec with { Stages = ["cohort"] }, PipelineRunner.DefaultCatalog(), new RunSelection(Only: "split")));
    }

    [Fact]
    public void Only_report_replays_every_stage_listed_before_it_because_the_report_reads_them_all()
    {
        using var folder = new TempFolder();
        var spec = Spec(folder, TinyCohort.Write(folder.Path, ["A"], 3), "stages: [cohort, split, preprocess, embed, benchmark, report]\n");
        var only = PipelineRunner.Plan(spec, PipelineRunner.DefaultCatalog(), new RunSelection(Only: "report"));
        Assert.Equal(
            [StageRole.Prerequisite, StageRole.Prerequisite, StageRole.Prerequisite, StageRole.Prerequisite, StageRole.Prerequisite, StageRole.Run],
            only.Select(p => p.Role));

        // A stage that reads only what it declares keeps skipping the rest.
        var embed = PipelineRunner.Plan(spec, PipelineRunner.DefaultCatalog(), new RunSelection(Only: "embed"));
        Assert.Equal(StageRole.Skipped, embed.Single(p => p.Name == "preprocess").Role);
    }

    [Fact]
    public void A_run_without_output_gets_its_own_timestamped_folder_with_the_resolved_spec_and_a_full_record()
    {
        using var folder = new TempFolder();
        var spec = Spec(folder, TinyCohort.Write(folder.Path, ["A"], 3), "stages: [cohort, split]\n");
        var record = new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System)
            .Run(spec, new RunOptions { Selection = new RunSelection(Only: "split"), Versions = new Dictionary<string, string> { ["ML.NET"] = "x" } });

        Assert.Equal(folder.File("runs/t"), Path.GetDirectoryName(record.RunDirectory));
        Assert.Matches(@"^\d{8}-\d{6}-[0-9a-f]{8}$", Path.GetFileName(record.RunDirectory));
        Assert.EndsWith(spec.ResolvedHash8, record.RunDirectory, StringComparison.Ordinal);
        Assert.Equal(spec.ResolvedYaml, File.ReadAllText(Path.Combine(record.RunDirectory, "spec.resolved.yaml")));
        Assert.Equal(["prerequisite", "run"], record.Stages.Select(s => s.Role));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(record.RunDirectory, "run.json")));
        var root = json.RootElement;
        Assert.Equal("split", root.GetProperty("only").GetString());
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(5, root.GetProperty("seeds").GetProperty("spec").GetInt64());
        Assert.Equal("x", root.GetProperty("versions").GetProperty("ML.NET").GetString());
        Assert.True(root.GetProperty("peak_working_set_bytes").GetInt64() > 0);
        Assert.Equal(64, root.GetProperty("spec_files")[0].GetProperty("sha256").GetString()!.Length);
        Assert.True(root.GetProperty("data_files").GetInt32() > 0);
        Assert.True(root.GetProperty("stages")[0].GetProperty("seconds").GetDouble() >= 0);

        // A second run of the same spec gets a folder of its own.
        var again = new PipelineRunner(PipelineRunner.DefaultStages(), new SilentRunObserver(), TimeProvider.System).Run(spec);
        Assert.NotEqual(record.RunDirectory, again.RunDirectory);
    }
}
