using Crlm.Core.Embedding;
using Crlm.Core.Imaging;

namespace Crlm.Pipelines.Specs;

/// <summary>The kinds of encoder this build can run.</summary>
public enum EncoderKind
{
    /// <summary>Any ONNX-exported foundation model (Crlm.Tabular).</summary>
    Onnx,

    /// <summary>The built-in 3D ResNet in TorchSharp (Crlm.Deep).</summary>
    Cnn3d,

    /// <summary>Handcrafted IBSI radiomics inside the liver (Crlm.Core).</summary>
    Radiomics,
}

/// <summary>
/// One entry of the spec's <c>encoders:</c> list (docs/pipelines.md). Options of other kinds keep their
/// defaults; the reader refuses keys that do not belong to the entry's kind.
/// </summary>
public sealed record EncoderSpec
{
    /// <summary>Unique in the spec; names the encoder's files and table rows.</summary>
    public required string Name { get; init; }

    public required EncoderKind Kind { get; init; }

    /// <summary>How its input is prepared: a built-in (<see cref="EncoderProfiles"/>) or one of the spec's <c>profiles:</c>.</summary>
    public required EncoderProfile Profile { get; init; }

    /// <summary>True when the profile is the spec's own preprocessing (the 'study' profile), so the preprocess stage's boxes serve.</summary>
    public bool UsesStudyPreprocessing { get; init; }

    /// <summary>Line of the entry in the spec, for messages.</summary>
    public int Line { get; init; }

    // onnx
    public string? Model { get; init; }

    public string Input { get; init; } = "input";

    public string Output { get; init; } = "features";

    public string Pooling { get; init; } = "average";

    public string Device { get; init; } = "cpu";

    public bool FallbackToCpu { get; init; } = true;

    public int? Threads { get; init; }

    /// <summary>Scans (whole-box models) or patches per run.</summary>
    public int Batch { get; init; } = 4;

    // cnn3d
    public int Depth { get; init; } = 18;

    public int Width { get; init; } = 64;

    public string Shortcut { get; init; } = "B";

    /// <summary>Seed of random weights; the spec's seed when absent.</summary>
    public long? WeightSeed { get; init; }

    public string? Checkpoint { get; init; }

    // radiomics
    public double BinWidth { get; init; } = 10;

    /// <summary>The patch the ONNX model takes, from the profile.</summary>
    public Int3? Patch => Profile.Patch;
}
