using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>
/// The kinds of mistake `crlm validate SPEC.yaml` catches, each at its line and column, that the other reader tests do
/// not already cover (those: unknown keys, wrong types, ranges, missing manifest and ONNX model, unknown stages, duplicate
/// encoders, unknown profiles, YAML syntax, conflicting datasets, invalid covariates).
/// </summary>
public class SpecMistakesTests
{
    private const string Synthetic = "dataset:\n  synthetic: {patients: 20}\n";

    private static SpecIssue Single(TempFolder folder, string yaml, string? pipeline = null)
    {
        string path = folder.Write("p.yaml", yaml);
        return Assert.Single(Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(path, PipelineRunner.DefaultCatalog(), pipeline)).Issues);
    }

    [Theory]
    [InlineData("stages: [cohort, split, benchmark]\n", 3, 25, "stage 'benchmark' needs 'embed' listed before it")]
    [InlineData("stages: [cohort, embed]\n", 3, 18, "stage 'embed' needs 'split' listed before it")]
    [InlineData("stages: [split, cohort]\n", 3, 10, "stage 'split' needs 'cohort' listed before it")]
    [InlineData("encoders: []\n", 3, 11, "'encoders' is empty but the 'embed' stage is listed")]
    [InlineData("encoders:\n  - {name: r, kind: cnn3d, checkpoint: none.pth}\n", 4, 40, "checkpoint not found: ")]
    [InlineData("dataset:\n  external_sites: [KAUNAS]\n", 3, 20, "external site 'KAUNAS' is not in the synthetic cohort; did you mean 'KAUNOS'?")]
    public void A_mistake_is_reported_at_its_position(string yaml, int line, int column, string message)
    {
        using var folder = new TempFolder();
        // A later 'dataset:' block would replace the first; merge the external-sites case into one block instead.
        string spec = yaml.StartsWith("dataset:", StringComparison.Ordinal)
            ? "dataset:\n  synthetic: {patients: 20}\n" + yaml["dataset:\n".Length..]
            : Synthetic + yaml;
        var issue = Single(folder, spec);
        Assert.StartsWith(message, issue.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (issue.Line, issue.Column));
    }

    [Fact]
    public void External_sites_must_be_sites_of_the_manifest()
    {
        using var folder = new TempFolder();
        string manifest = TinyCohort.Write(folder.Path, ["A", "B"], 1);
        var issue = Single(folder, $"dataset:\n  manifest: {manifest}\n  external_sites: [B, C]\n");
        Assert.Equal("external site 'C' is not in the manifest; did you mean 'A'? (sites: A, B)", issue.Message);
        Assert.Equal((3, 23), (issue.Line, issue.Column));
    }

    [Fact]
    public void An_empty_encoder_list_is_fine_without_the_embed_stage()
    {
        using var folder = new TempFolder();
        var spec = PipelineSpecReader.Read(folder.Write("p.yaml", Synthetic + "encoders: []\nstages: [cohort, split, preprocess]\n"), PipelineRunner.DefaultCatalog());
        Assert.Empty(spec.Encoders);
    }

    [Fact]
    public void Included_files_are_defaults_that_the_including_file_overrides_key_by_key()
    {
        using var folder = new TempFolder();
        folder.Write("shared/defaults.yaml", "seed: 9\nsplits:\n  folds: 4\n  test_fraction: 0.2\ncache: cache-here\nstages: [cohort, split]\n");
        string path = folder.Write("p.yaml", "include: shared/defaults.yaml\n" + Synthetic + "splits:\n  folds: 5\n");
        var spec = PipelineSpecReader.Read(path, PipelineRunner.DefaultCatalog());
        Assert.Equal(9, spec.Seed);
        Assert.Equal((5, 0.2), (spec.Splits.Folds, spec.Splits.TestFraction));
        Assert.Equal(folder.File("shared/cache-here"), spec.CacheDirectory); // relative to the file that says it
        Assert.Equal([path, folder.File("shared/defaults.yaml")], spec.SourceFiles.Select(f => f.Path));
        Assert.Contains("folds: 5", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.Contains("seed: 9", spec.ResolvedYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("include", spec.ResolvedYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistake_in_an_included_file_is_reported_in_that_file()
    {
        using var folder = new TempFolder();
        string defaults = folder.Write("d.yaml", "seed: 1\nsplits:\n  fods: 4\n");
        var issue = Single(folder, "include: d.yaml\n" + Synthetic);
        Assert.Equal(defaults, issue.File);
        Assert.Equal((3, 3), (issue.Line, issue.Column));
        Assert.StartsWith("unknown key 'fods'; did you mean 'folds'?", issue.Message, StringComparison.Ordinal);

        folder.Write("d.yaml", "seed: [1\n");
        var syntax = Single(folder, "include: d.yaml\n" + Synthetic);
        Assert.Equal(defaults, syntax.File);
        Assert.StartsWith("YAML syntax error", syntax.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_cyclic_includes_are_refused_at_the_include()
    {
        using var folder = new TempFolder();
        var missing = Single(folder, "include: nowhere.yaml\n" + Synthetic);
        Assert.Equal((1, 10), (missing.Line, missing.Column));
        Assert.StartsWith("included file not found: ", missing.Message, StringComparison.Ordinal);

        string a = folder.Write("a.yaml", "include: p.yaml\nseed: 1\n");
        var cycle = Single(folder, "include: a.yaml\n" + Synthetic);
        Assert.Equal(a, cycle.File);
        Assert.Equal("include cycle: p.yaml -> a.yaml -> p.yaml", cycle.Message);
    }

    private const string TwoPipelines = """
        seed: 3
        dataset:
          synthetic: {patients: 20}
        stages: [cohort, split]
        pipelines:
          small:
            splits: {folds: 3}
          big:
            name: big-run
            dataset:
              synthetic: {patients: 40}
        """;

    [Fact]
    public void Named_pipelines_share_the_top_level_and_each_overrides_it()
    {
        using var folder = new TempFolder();
        string path = folder.Write("p.yaml", TwoPipelines);
        Assert.Equal(["small", "big"], PipelineSpecReader.PipelineNames(path));
        var small = PipelineSpecReader.Read(path, PipelineRunner.DefaultCatalog(), "small");
        var big = PipelineSpecReader.Read(path, PipelineRunner.DefaultCatalog(), "big");
        Assert.Equal(("small", 3, 20, 3L), (small.Name, small.Splits.Folds, small.Dataset.Synthetic!.Patients, small.Seed));
        Assert.Equal(("big-run", 10, 40, 3L), (big.Name, big.Splits.Folds, big.Dataset.Synthetic!.Patients, big.Seed));
        Assert.Equal(folder.File("runs/small"), small.OutputDirectory);
        Assert.NotEqual(small.ResolvedHash8, big.ResolvedHash8);
        Assert.Equal(["small", "big-run"], PipelineSpecReader.ReadAll(path, PipelineRunner.DefaultCatalog()).Select(s => s.Name));
    }

    [Fact]
    public void Several_pipelines_need_a_choice_and_an_unknown_one_gets_a_did_you_mean()
    {
        using var folder = new TempFolder();
        var none = Single(folder, TwoPipelines);
        Assert.Equal("this spec defines 2 pipelines (small, big): choose one with --pipeline NAME", none.Message);
        Assert.Equal(6, none.Line);
        var typo = Single(folder, TwoPipelines, "smal");
        Assert.StartsWith("no pipeline 'smal'; did you mean 'small'?", typo.Message, StringComparison.Ordinal);
        var notThere = Single(folder, Synthetic, "small");
        Assert.StartsWith("pipeline 'small' was asked for, but this spec has no 'pipelines:' block", notThere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipeline_entry_is_checked_like_the_top_level()
    {
        using var folder = new TempFolder();
        var issue = Single(folder, TwoPipelines.Replace("splits: {folds: 3}", "split: {folds: 3}", StringComparison.Ordinal), "small");
        Assert.StartsWith("unknown key 'split'; did you mean 'splits'?", issue.Message, StringComparison.Ordinal);
        Assert.Equal((7, 5), (issue.Line, issue.Column));
    }
}
