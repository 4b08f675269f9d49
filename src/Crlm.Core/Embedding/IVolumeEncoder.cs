using Crlm.Core.Imaging;

namespace Crlm.Core.Embedding;

/// <summary>One preprocessed scan as an encoder sees it: the box (its profile's intensities) and its liver mask on the same grid.</summary>
public sealed record EncoderInput(Volume<float> Image, Volume<byte> Liver);

/// <summary>
/// Anything that turns preprocessed scans into fixed-length vectors: an ONNX foundation model, the built-in 3D
/// CNN, handcrafted radiomics. Implementations live with their heavy dependencies (Crlm.Tabular, Crlm.Deep);
/// the pipeline sees only this.
/// </summary>
public interface IVolumeEncoder : IDisposable
{
    /// <summary>
    /// Everything besides the input that decides the output (weights' content hash, options, code version), as
    /// stable text: the encoder's part of an embedding's cache key.
    /// </summary>
    string Identity { get; }

    /// <summary>Length of every embedding.</summary>
    int Dimension { get; }

    /// <summary>Scans to hand over per call (a model batches them); 1 for encoders that work scan by scan.</summary>
    int PreferredBatch { get; }

    /// <summary>True when calls may run concurrently (e.g. radiomics); false when the encoder uses every core itself.</summary>
    bool RunsInParallel { get; }

    /// <summary>Things the user should know (a device fallback, a feature that was undefined for some scan).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>What each position of an embedding means (e.g. "glcm: Joint entropy"), for encoders whose features have names; null for learned ones.</summary>
    IReadOnlyList<string>? FeatureNames => null;

    /// <summary>One embedding per input, in order.</summary>
    IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans);
}
