using Crlm.Core.Embedding;
using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Embedding;

/// <summary>
/// Makes the encoder an <see cref="EncoderSpec"/> describes. The composition root (the CLI) supplies it, so the
/// pipeline never references the heavy encoder assemblies (ONNX Runtime, libtorch) itself.
/// </summary>
public interface IVolumeEncoderFactory
{
    /// <summary>The encoder for <paramref name="spec"/>; <paramref name="seed"/> is the spec's seed (for random weights).</summary>
    IVolumeEncoder Create(EncoderSpec spec, long seed);
}
