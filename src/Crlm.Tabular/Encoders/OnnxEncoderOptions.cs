using Crlm.Core.Imaging;

namespace Crlm.Tabular.Encoders;

/// <summary>Where ONNX Runtime runs the encoder.</summary>
public enum EncoderDevice
{
    Cpu,

    /// <summary>CUDA through Microsoft.ML.OnnxRuntime.Gpu (swap it for the CPU package to use a GPU; see docs/encoders.md).</summary>
    Cuda,
}

/// <summary>
/// One ONNX encoder as the user declares it in YAML: the file, its tensor names, how volumes are fed to it and
/// how its output becomes a vector. Axis order in the public API is (x, y, z); the tensor the model sees is
/// [N, 1, D, H, W] = [N, 1, z, y, x].
/// </summary>
public sealed record OnnxEncoderOptions
{
    /// <summary>The ONNX file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Name of the model's input tensor, [N, 1, D, H, W] float32 with a dynamic or fixed batch axis.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the output tensor: a feature map [N, C, D', H', W'] (pooled) or vectors [N, C].</summary>
    public string OutputName { get; init; } = "features";

    /// <summary>The fixed input size (x, y, z) the model takes; volumes are tiled into such patches. Null: the whole volume.</summary>
    public Int3? Patch { get; init; }

    /// <summary>Overlap of neighbouring patches, as a fraction of the patch, in [0, 1).</summary>
    public double Overlap { get; init; }

    /// <summary>Patches per ONNX run.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>ONNX Runtime intra-op threads; null: its default (all cores).</summary>
    public int? IntraOpThreads { get; init; }

    public int? InterOpThreads { get; init; }

    public EncoderDevice Device { get; init; } = EncoderDevice.Cpu;

    public int GpuDeviceId { get; init; }

    /// <summary>With <see cref="EncoderDevice.Cuda"/>: run on the CPU (with a warning) when CUDA is unavailable, instead of failing.</summary>
    public bool FallbackToCpu { get; init; } = true;

    public PoolingMethod Pooling { get; init; } = PoolingMethod.Average;

    /// <summary>Input value for patch voxels outside the volume (the profile's value for air).</summary>
    public float PadValue { get; init; }

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ModelPath);
        ArgumentException.ThrowIfNullOrEmpty(InputName);
        ArgumentException.ThrowIfNullOrEmpty(OutputName);
        if (BatchSize is < 1 or > 4096)
        {
            throw new ArgumentException($"batch size must be 1..4096, got {BatchSize}");
        }

        if (!(Overlap >= 0 && Overlap < 1))
        {
            throw new ArgumentException($"overlap must be in [0, 1), got {Overlap}");
        }

        if (Patch is { } p && (p.X < 1 || p.Y < 1 || p.Z < 1))
        {
            throw new ArgumentException($"patch must be positive in every axis, got {p}");
        }

        if (IntraOpThreads is < 1 || InterOpThreads is < 1)
        {
            throw new ArgumentException("thread counts must be at least 1");
        }
    }
}
