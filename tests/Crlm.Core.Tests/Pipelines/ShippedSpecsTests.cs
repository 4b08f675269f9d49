using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>The specs the repository ships (pipelines.yaml, pipelines/*.yaml) must stay valid as the schema grows.</summary>
public class ShippedSpecsTests
{
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
        var spec = PipelineSpecReader.Read(Path.Combine(SharedData.RepoRoot!, relativePath), PipelineRunner.DefaultStageNames());
        Assert.Equal(PipelineRunner.DefaultStageNames().Take(spec.Stages.Count), spec.Stages);
        Assert.StartsWith(SharedData.RepoRoot!, spec.OutputDirectory, StringComparison.Ordinal);
    }
}
