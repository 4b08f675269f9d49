using Crlm.Core.Synthetic;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Specs;
using Crlm.Pipelines.Stages;

namespace Crlm.Core.Tests.Pipelines;

public class PipelineSpecReaderTests
{
    private static readonly string[] Stages = ["cohort", "split"];

    [Fact]
    public void Reads_a_full_spec_with_paths_relative_to_the_spec_file()
    {
        using var folder = new TempFolder();
        folder.Write("data/manifest.csv", "x");
        string path = folder.Write("specs/p.yaml", """
            version: 1
            name: study
            seed: 7
            dataset:
              manifest: ../data/manifest.csv
              external_sites: [site_e]
            splits:
              test_fraction: 0.25
              folds: 5
            stages: [cohort, split]
            output: ../out
            """);

        var spec = PipelineSpecReader.Read(path, Stages);

        Assert.Equal("study", spec.Name);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(folder.File("data/manifest.csv"), spec.Dataset.ManifestPath);
        Assert.Equal(["site_e"], spec.Dataset.ExternalSites);
        Assert.Equal(0.25, spec.Splits.TestFraction);
        Assert.Equal(5, spec.Splits.Folds);
        Assert.Equal(Stages, spec.Stages);
        Assert.Equal(folder.File("out"), spec.OutputDirectory);
        Assert.Equal(64, spec.SourceSha256.Length);
    }

    [Fact]
    public void Defaults_are_the_studys()
    {
        using var folder = new TempFolder();
        string path = folder.Write("p.yaml", "dataset:\n  synthetic:\n    patients: 40\n");
        var spec = PipelineSpecReader.Read(path, Stages);
        Assert.Equal("p", spec.Name);
        Assert.Equal(0.3, spec.Splits.TestFraction);
        Assert.Equal(10, spec.Splits.Folds);
        Assert.Equal(Stages, spec.Stages);
        Assert.Equal(40, spec.Dataset.Synthetic!.Patients);
        Assert.Equal("small", spec.Dataset.Synthetic.Size);
        Assert.Equal(folder.File("runs/p"), spec.OutputDirectory);
        Assert.True(spec.TimestampedRuns);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_column()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.yaml", """
            name: bad
            sede: 3
            dataset:
              manifest: missing.csv
            splits:
              test_fraction: 1.5
              folds: ten
            stages: [cohort, splitt]
            """);

        var e = Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(path, Stages));
        var located = e.Issues.Select(i => (i.Line, i.Column)).ToList();
        Assert.Contains((2, 1), located);
        Assert.Contains((4, 13), located);
        Assert.Contains((6, 18), located);
        Assert.Contains((7, 10), located);
        Assert.Contains((8, 18), located);
        Assert.Contains(e.Issues, i => i.Message.StartsWith("unknown key 'sede'; did you mean 'seed'?", StringComparison.Ordinal));
        Assert.Contains(e.Issues, i => i.Message.StartsWith("unknown stage 'splitt'; did you mean 'split'?", StringComparison.Ordinal));
        Assert.All(e.Issues, i => Assert.Equal(path, i.File));
        Assert.StartsWith($"{path}:2:1: unknown key 'sede'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_errors_name_the_position()
    {
        using var folder = new TempFolder();
        string path = folder.Write("broken.yaml", "dataset:\n  manifest: [unclosed\nseed: 1\n");
        var e = Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(path, Stages));
        var issue = Assert.Single(e.Issues);
        Assert.StartsWith("YAML syntax error", issue.Message, StringComparison.Ordinal);
        Assert.True(issue.Line >= 2, $"line {issue.Line}");
    }

    [Fact]
    public void A_dataset_needs_exactly_one_source()
    {
        using var folder = new TempFolder();
        folder.Write("m.csv", "x");
        string both = folder.Write("both.yaml", "dataset:\n  manifest: m.csv\n  synthetic: {patients: 20}\n");
        string none = folder.Write("none.yaml", "seed: 1\n");
        Assert.Contains(
            Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(both, Stages)).Issues,
            i => i.Message.Contains("exactly one of", StringComparison.Ordinal) && i.Line == 2);
        Assert.Contains(
            Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(none, Stages)).Issues,
            i => i.Message.StartsWith("'dataset' is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_synthetic_block_takes_sites_in_any_case_and_the_difficulty_scales()
    {
        using var folder = new TempFolder();
        string path = folder.Write("p.yaml", """
            seed: 9
            dataset:
              synthetic:
                patients: 30
                sites: [tcia_crlm, Kaunos]
                lesion_contrast: 0.5
                noise: 1.5
                lesion_size: 0.8
            """);

        var synthetic = PipelineSpecReader.Read(path, Stages).Dataset.Synthetic!;
        Assert.Equal(["TCIA_CRLM", "KAUNOS"], synthetic.Sites);
        Assert.Equal(0.5, synthetic.LesionContrast);
        Assert.Equal(1.5, synthetic.Noise);
        Assert.Equal(0.8, synthetic.LesionSize);

        // What the cohort stage hands the generator: the same sites, in the spec's order, and scales.
        var options = SyntheticCohortSource.Options(synthetic, seed: 9);
        Assert.Equal([SyntheticSiteDefaults.TciaCrlm, SyntheticSiteDefaults.Kaunos], options.Sites);
        Assert.Equal(new SyntheticDifficulty(0.5, 1.5, 0.8), options.Difficulty);
        Assert.Equal(9, options.Seed);
        options.Validate();
    }

    [Fact]
    public void A_synthetic_block_without_the_new_keys_keeps_every_site_and_default_difficulty()
    {
        using var folder = new TempFolder();
        string path = folder.Write("p.yaml", "dataset:\n  synthetic:\n    patients: 40\n    seed: 4\n");
        var synthetic = PipelineSpecReader.Read(path, Stages).Dataset.Synthetic!;
        Assert.Null(synthetic.Sites);
        var options = SyntheticCohortSource.Options(synthetic, seed: 1);
        Assert.Equal(SyntheticSiteDefaults.Study, options.Sites);
        Assert.Equal(SyntheticDifficulty.Default, options.Difficulty);
        Assert.Equal(4, options.Seed);
    }

    [Fact]
    public void Synthetic_block_errors_name_line_and_column_with_a_did_you_mean()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.yaml", """
            dataset:
              synthetic:
                patients: 20
                sites: [KAUNAS, gumed, GUMED]
                lesion_contrast: high
                noise: -1
                lesion_size: 0
                nosie: 2
            """);

        var e = Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(path, Stages));
        var at = e.Issues.ToDictionary(i => (i.Line, i.Column), i => i.Message);
        Assert.StartsWith("unknown site 'KAUNAS'; did you mean 'KAUNOS'?", at[(4, 13)], StringComparison.Ordinal);
        Assert.Contains("TCIA_CRLM", at[(4, 13)], StringComparison.Ordinal); // lists the sites there are
        Assert.Equal("site 'GUMED' is listed twice", at[(4, 28)]);
        Assert.DoesNotContain((4, 21), at.Keys); // 'gumed' is a known site in another case
        Assert.Equal("'lesion_contrast' must be a number, got 'high'", at[(5, 22)]);
        Assert.Equal("'noise' must be a number from 0 to 5 (1 = default), got -1", at[(6, 12)]);
        Assert.Equal("'lesion_size' must be a number above 0.05 and at most 5 (1 = default), got 0", at[(7, 18)]);
        Assert.StartsWith("unknown key 'nosie'; did you mean 'noise'?", at[(8, 5)], StringComparison.Ordinal);
        Assert.Equal(6, e.Issues.Count);
    }

    [Theory]
    [InlineData("sites: KAUNOS", "'sites' must be a non-empty list of site names")]
    [InlineData("sites: []", "'sites' must be a non-empty list of site names")]
    [InlineData("lesion_size: 6", "'lesion_size' must be a number above 0.05 and at most 5")]
    [InlineData("lesion_contrast: 3.5", "'lesion_contrast' must be a number from 0 to 3")]
    public void Synthetic_block_values_out_of_shape_or_range_are_refused(string line, string message)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.yaml", $"dataset:\n  synthetic:\n    patients: 20\n    {line}\n");
        var issue = Assert.Single(Assert.Throws<PipelineSpecException>(() => PipelineSpecReader.Read(path, Stages)).Issues);
        Assert.StartsWith(message, issue.Message, StringComparison.Ordinal);
        Assert.Equal(4, issue.Line);
    }

    [Fact]
    public void Synthetic_cohort_cache_key_changes_with_every_option_that_changes_the_files()
    {
        var spec = new SyntheticDatasetSpec { Patients = 30, Sites = ["KAUNOS", "GUMED"] };
        string Key(SyntheticDatasetSpec s, long seed = 1) => SyntheticCohortSource.CacheKey(SyntheticCohortSource.Options(s, seed));

        string baseline = Key(spec);
        Assert.Equal(baseline, Key(spec with { })); // same spec, same key
        Assert.Equal(baseline, Key(spec with { Sites = ["KAUNOS", "GUMED"], LesionContrast = 1 }));
        var different = new[]
        {
            Key(spec with { Sites = ["GUMED", "KAUNOS"] }), // order decides patient indices
            Key(spec with { Sites = ["KAUNOS"] }),
            Key(spec with { Sites = null }),
            Key(spec with { LesionContrast = 0.7 }),
            Key(spec with { Noise = 1.2 }),
            Key(spec with { LesionSize = 0.9 }),
            Key(spec with { Size = "paper" }),
            Key(spec with { Patients = 31 }),
            Key(spec, seed: 2),
            Key(spec with { Seed = 5 }),
        };
        Assert.DoesNotContain(baseline, different);
        Assert.Equal(different.Length, different.Distinct().Count());
    }
}
