using static TorchSharp.torch;

namespace Crlm.Deep.Cnn3d;

/// <summary>What <see cref="Cnn3dEncoder"/> builds and where its weights come from.</summary>
/// <param name="Depth">10, 18, 34 or 50.</param>
/// <param name="Width">Base channels (MedicalNet: 64); small values make small test models.</param>
/// <param name="Shortcut">B by default; MedicalNet's ResNet-18 and ResNet-34 checkpoints need A.</param>
/// <param name="Seed">Seed of the random weights, used when there is no checkpoint.</param>
/// <param name="CheckpointPath">A torch.save state_dict or .safetensors file; null for seeded random weights.</param>
public sealed record Cnn3dOptions(
    int Depth = 18,
    int Width = 64,
    ResNetShortcut Shortcut = ResNetShortcut.B,
    long Seed = 0,
    string? CheckpointPath = null)
{
    /// <summary>The network part of the options.</summary>
    public ResNet3dArchitecture Architecture => new(Depth, Width, Shortcut);
}

/// <summary>
/// Embeds preprocessed CT volumes with a <see cref="ResNet3d"/>: one vector of <see cref="EmbeddingSize"/> floats
/// per volume, the same every time for the same weights and input (eval mode: batch norm uses its running
/// statistics; no gradients). Not tied to any pipeline: it takes float arrays and returns float arrays.
/// </summary>
public sealed class Cnn3dEncoder : IDisposable
{
    private readonly ResNet3d model;

    // One forward at a time: a TorchSharp module is not safe to call from several threads, and libtorch already
    // parallelises each convolution over its intra-op threads.
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Builds the network and loads or draws its weights (see <see cref="Cnn3dOptions"/>).</summary>
    public Cnn3dEncoder(Cnn3dOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureAvailable();
        Options = options;
        model = new ResNet3d(options.Architecture);
        try
        {
            if (options.CheckpointPath is null)
            {
                ResNet3dInit.Seeded(model, options.Seed);
            }
            else
            {
                ResNet3dCheckpoint.Load(model, options.CheckpointPath);
            }

            model.eval();
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The options this encoder was built with.</summary>
    public Cnn3dOptions Options { get; }

    /// <summary>Length of each embedding: 8 x width (basic blocks) or 32 x width (bottlenecks).</summary>
    public int EmbeddingSize => model.EmbeddingSize;

    /// <summary>The network, e.g. to fine-tune it or to read its state_dict.</summary>
    public ResNet3d Model => model;

    /// <summary>e.g. "ResNet-18 (width 64, shortcut B), seeded random weights (seed 0)".</summary>
    public string Describe() => Options.CheckpointPath is null
        ? $"{Options.Architecture}, seeded random weights (seed {Options.Seed})"
        : $"{Options.Architecture}, weights from '{Options.CheckpointPath}'";

    /// <summary>
    /// One embedding per volume. Each volume is float32 with x fastest, i.e. C order [z, y, x] = [D, H, W] with
    /// <paramref name="size"/> = (X, Y, Z); all volumes share that size. Volumes are run
    /// <paramref name="batchSize"/> at a time; the result does not depend on the batch size beyond float rounding,
    /// since batch norm uses its running statistics.
    /// </summary>
    public float[][] Embed(IReadOnlyList<float[]> volumes, (int X, int Y, int Z) size, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (size.X < 1 || size.Y < 1 || size.Z < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "volume size must be positive in x, y and z");
        }

        long voxels = (long)size.X * size.Y * size.Z;
        for (int i = 0; i < volumes.Count; i++)
        {
            if (volumes[i] is null || volumes[i].LongLength != voxels)
            {
                throw new ArgumentException(
                    $"volume {i} has {volumes[i]?.LongLength.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} voxels, expected {size.X} x {size.Y} x {size.Z} = {voxels}",
                    nameof(volumes));
            }
        }

        var result = new float[volumes.Count][];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var noGrad = no_grad();
            for (int start = 0; start < volumes.Count; start += batchSize)
            {
                int count = Math.Min(batchSize, volumes.Count - start);
                float[] batch = new float[count * voxels];
                for (int i = 0; i < count; i++)
                {
                    Array.Copy(volumes[start + i], 0, batch, i * voxels, voxels);
                }

                // Every tensor of the batch, intermediate ones included, is freed at the end of the scope.
                using var scope = NewDisposeScope();
                Tensor input = tensor(batch, [count, 1, size.Z, size.Y, size.X]);
                float[] flat = model.Embed(input).contiguous().data<float>().ToArray();
                for (int i = 0; i < count; i++)
                {
                    result[start + i] = flat.AsSpan(i * EmbeddingSize, EmbeddingSize).ToArray();
                }
            }
        }

        return result;
    }

    /// <summary>Frees the network's native tensors.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                model.Dispose();
            }
        }
    }
}
