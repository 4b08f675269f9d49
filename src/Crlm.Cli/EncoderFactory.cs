using Crlm.Core.Embedding;
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
            _ => throw new NotSupportedException($"encoder kind '{spec.Kind.ToString().ToLowerInvariant()}' is not part of this build"),
        };
    }

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
