using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>The specs the repository ships (pipelines.yaml, pipelines/*.yaml) must stay valid as the schema grows.</summary>
public class ShippedSpecsTests
{
    /// <summary>
    /// Templates ("# crlm: template" on their first line) point at the user's data, which the repository does not have:
    /// "manifest file not found" is the one problem they may have, and it is expected.
    /// </summary>
    private const string TemplateMarker = "# crlm: template";

    public static TheoryData<string> Specs()
    {
        string root = SharedData.RepoRoot ?? throw new InvalidOperationException("cannot find the repository root (Crlm.MLNet.sln) above the test binaries");
        var data = new TheoryData<string>();
        foreach (string spec in Directory.GetFiles(Path.Combine(root, "pipelines"), "*.yaml").Order().Prepend(Path.Combine(root, "pipelines.yaml")))
        {
            data.Add(Path.GetRelativePath(root, spec));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Shipped_spec_is_valid(string relativePath)
    {
        string path = Path.Combine(SharedData.RepoRoot!, relativePath);
        IReadOnlyList<PipelineSpec> specs;
        try
        {
            specs = PipelineSpecReader.ReadAll(path, PipelineRunner.DefaultCatalog());
        }
        catch (PipelineSpecException e) when (File.ReadLines(path).First().StartsWith(TemplateMarker, StringComparison.Ordinal))
        {
            Assert.All(e.Issues, i => Assert.StartsWith("manifest file not found", i.Message, StringComparison.Ordinal));
            return;
        }

        Assert.All(specs, spec =>
        {
            Assert.Equal(PipelineRunner.DefaultStageNames().Take(spec.Stages.Count), spec.Stages);
            Assert.StartsWith(SharedData.RepoRoot!, spec.OutputDirectory, StringComparison.Ordinal);
            Assert.StartsWith(SharedData.RepoRoot!, spec.CacheDirectory, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_study_spec_runs_the_studys_benchmark_on_every_built_in_encoder()
    {
        var spec = PipelineSpecReader.Read(Path.Combine(SharedData.RepoRoot!, "pipelines", "study.yaml"), PipelineRunner.DefaultCatalog());
        Assert.Equal((50, 10), (spec.Benchmark.Trials, spec.Benchmark.Folds));
        Assert.Equal(["radiomics", "cnn3d"], spec.Encoders.Select(e => e.Name));
        Assert.Equal((1.0, 1.0, 2.5), (spec.Preprocess.Spacing.X, spec.Preprocess.Spacing.Y, spec.Preprocess.Spacing.Z));
        Assert.Equal(Path.Combine(SharedData.RepoRoot!, ".crlm-cache"), spec.CacheDirectory); // relative to the included file
        Assert.Equal(2, spec.SourceFiles.Count);
    }
}
