using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Specs;

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
        Assert.Equal(folder.File("reports/p"), spec.OutputDirectory);
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
}
