using System.Globalization;
using Crlm.Core.Embedding;
using Crlm.Core.IO;

namespace Crlm.Deep.Cnn3d;

/// <summary>
/// The built-in 3D CNN as a pipeline encoder: <see cref="Cnn3dEncoder"/> over the profile's whole box. Its
/// identity is the architecture plus the weights (the checkpoint's SHA-256, or the seed of the random weights)
/// and this assembly's build id, so new weights or new code never reuse old embeddings.
/// </summary>
public sealed class Cnn3dVolumeEncoder : IVolumeEncoder
{
    private readonly Cnn3dEncoder _encoder;
    private readonly int _batch;

    public Cnn3dVolumeEncoder(Cnn3dOptions options, int batch)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _encoder = new Cnn3dEncoder(options);
        _batch = batch;
        string weights = options.CheckpointPath is { } path
            ? "checkpoint=" + ContentHash.OfFile(path)
            : "seed=" + options.Seed.ToString(CultureInfo.InvariantCulture);
        Identity = string.Join(';',
            "cnn3d",
            string.Create(CultureInfo.InvariantCulture, $"depth={options.Depth}"),
            string.Create(CultureInfo.InvariantCulture, $"width={options.Width}"),
            "shortcut=" + options.Shortcut,
            weights,
            "code=" + typeof(Cnn3dEncoder).Assembly.ManifestModule.ModuleVersionId.ToString("N"));
    }

    public string Identity { get; }

    public int Dimension => _encoder.EmbeddingSize;

    public int PreferredBatch => _batch;

    public bool RunsInParallel => false;

    public IReadOnlyList<string> Warnings { get; } = [];

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        if (scans.Count == 0)
        {
            return [];
        }

        var size = scans[0].Image.Size;
        return _encoder.Embed(scans.Select(s => s.Image.Voxels).ToArray(), (size.X, size.Y, size.Z), _batch);
    }

    public void Dispose() => _encoder.Dispose();
}
