using System.Globalization;
using Crlm.Core.Embedding;
using Crlm.Core.Imaging;
using Crlm.Core.IO;

namespace Crlm.Tabular.Encoders;

/// <summary>
/// An ONNX foundation-model encoder for the pipeline: <see cref="OnnxEncoder"/> over the profile's box. Its
/// identity is the model file's SHA-256 plus every option that changes the numbers (tensor names, patch,
/// overlap, pooling, pad value) and this assembly's build id, so a new export of the model, or another pooling, never reuses old embeddings;
/// batch size, threads and device are left out on purpose: they do not change the result.
/// </summary>
public sealed class OnnxVolumeEncoder : IVolumeEncoder
{
    private readonly OnnxEncoder _encoder;

    public OnnxVolumeEncoder(OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _encoder = new OnnxEncoder(options);
        var p = options.Patch;
        Identity = string.Join(';',
            "onnx",
            "model=" + ContentHash.OfFile(options.ModelPath),
            "input=" + options.InputName,
            "output=" + options.OutputName,
            "patch=" + (p is { } q ? string.Create(CultureInfo.InvariantCulture, $"{q.X},{q.Y},{q.Z}") : "whole"),
            "overlap=" + options.Overlap.ToString("R", CultureInfo.InvariantCulture),
            "pooling=" + options.Pooling.ToString().ToLowerInvariant(),
            "pad=" + options.PadValue.ToString("R", CultureInfo.InvariantCulture),
            "code=" + typeof(OnnxEncoder).Assembly.ManifestModule.ModuleVersionId.ToString("N"));
    }

    public string Identity { get; }

    public int Dimension => _encoder.Channels;

    public int PreferredBatch => _encoder.Options.Patch is null ? _encoder.Options.BatchSize : 1;

    public bool RunsInParallel => false;

    public IReadOnlyList<string> Warnings => _encoder.Warnings;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        if (scans.Count == 0)
        {
            return [];
        }

        Int3 size = scans[0].Image.Size;
        if (scans.Any(s => s.Image.Size != size))
        {
            throw new ArgumentException("the scans of one call must share one box size", nameof(scans));
        }

        return _encoder.Embed(scans.Select(s => s.Image.Voxels).ToArray(), size);
    }

    public void Dispose() => _encoder.Dispose();
}
