using Crlm.Core.Embedding;
using Crlm.Core.Radiomics;
using Crlm.Deep.Cnn3d;
using Crlm.Pipelines.Embedding;
using Crlm.Pipelines.Specs;
using Crlm.Tabular.Encoders;

namespace Crlm.Cli;

/// <summary>The encoders of this build, made from their spec entries: the one place that knows every encoder assembly.</summary>
internal sealed class EncoderFactory : IVolumeEncoderFactory
{
    public IVolumeEncoder Create(EncoderSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            EncoderKind.Onnx => new OnnxVolumeEncoder(OnnxOptions(spec)),
            EncoderKind.Cnn3d => new Cnn3dVolumeEncoder(
                new Cnn3dOptions(spec.Depth, spec.Width, spec.Shortcut == "A" ? ResNetShortcut.A : ResNetShortcut.B, spec.WeightSeed ?? seed, spec.Checkpoint),
                spec.Batch),
            EncoderKind.Radiomics => new RadiomicsVolumeEncoder(RadiomicsSettings(spec)),
            _ => throw new NotSupportedException($"encoder kind '{spec.Kind.ToString().ToLowerInvariant()}' is not part of this build"),
        };
    }

    /// <summary>Fixed bin width from the spec; the profile's HU window is the re-segmentation range and the first bin's edge.</summary>
    internal static RadiomicsSettings RadiomicsSettings(EncoderSpec spec) => new(
        spec.BinWidth, spec.Profile.Preprocess.WindowLow, spec.Profile.Preprocess.WindowHigh, MorphologyOptions.Default);

    internal static OnnxEncoderOptions OnnxOptions(EncoderSpec spec) => new()
    {
        ModelPath = spec.Model ?? throw new ArgumentException($"onnx encoder '{spec.Name}' has no model file"),
        InputName = spec.Input,
        OutputName = spec.Output,
        Patch = spec.Profile.Patch,
        Overlap = spec.Profile.Overlap,
        BatchSize = spec.Batch,
        IntraOpThreads = spec.Threads,
        Device = spec.Device == "cuda" ? EncoderDevice.Cuda : EncoderDevice.Cpu,
        FallbackToCpu = spec.FallbackToCpu,
        Pooling = spec.Pooling == "max" ? PoolingMethod.Max : PoolingMethod.Average,

        // Air after the profile's intensity mapping: 0 for min-max (the window's low end); z-scored boxes are whole patches.
        PadValue = 0,
    };
}
