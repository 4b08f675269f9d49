using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.TestSupport;

/// <summary>Reads a spec made of a tiny manifest stub plus the given YAML, for the spec-reader tests.</summary>
public static class SpecReading
{
    /// <summary>The spec "dataset: manifest: m.csv" followed by <paramref name="yaml"/>, read with the default stages.</summary>
    public static PipelineSpec Read(TempFolder folder, string yaml)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.Write("m.csv", "x");
        return PipelineSpecReader.Read(folder.Write("p.yaml", "dataset:\n  manifest: m.csv\n" + yaml), PipelineRunner.DefaultStageNames());
    }

    /// <summary>Every issue the reader reports for that spec, as "FILE:LINE:COLUMN: message".</summary>
    public static string[] Errors(TempFolder folder, string yaml) =>
        Assert.Throws<PipelineSpecException>(() => Read(folder, yaml)).Issues.Select(i => i.ToString()).ToArray();
}
