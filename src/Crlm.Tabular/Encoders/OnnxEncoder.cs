using Crlm.Core.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace Crlm.Tabular.Encoders;

/// <summary>
/// Turns volumes into embedding vectors with an ONNX model run by ML.NET's OnnxTransformer: each volume is
/// tiled into the model's input patches (<see cref="VolumePatches"/>; the whole volume when the model takes
/// any size), patches are batched <see cref="OnnxEncoderOptions.BatchSize"/> at a time into one
/// [B, 1, D, H, W] tensor (the shape is pinned through ML.NET's shape dictionary, so the batch axis may be
/// dynamic in the file), the output feature maps are pooled per patch (<see cref="FeaturePooling"/>) and a
/// volume's embedding is the mean of its patch vectors.
/// </summary>
/// <remarks>
/// The model's tensor names and ranks are checked when the encoder is made, with errors that list what the
/// file has. One ONNX session per distinct input shape, made on first use; runs are serialised (ONNX
/// Runtime parallelises inside a run with its intra-op threads).
/// </remarks>
public sealed class OnnxEncoder : IDisposable
{
    private readonly MLContext _ml;
    private readonly Dictionary<Int3, OnnxTransformer> _transformers = [];
    private readonly Lock _gate = new();
    private readonly List<string> _warnings = [];
    private readonly int? _gpuDeviceId;

    public OnnxEncoder(OnnxEncoderOptions options, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException($"ONNX encoder file not found: {options.ModelPath}", options.ModelPath);
        }

        Options = options;
        _ml = new MLContext(seed);
        (Channels, OutputIsFeatureMap) = InspectModel(options);
        _gpuDeviceId = ChooseDevice(options, _warnings);
    }

    public OnnxEncoderOptions Options { get; }

    /// <summary>Length of the embedding: the output's channel count.</summary>
    public int Channels { get; }

    /// <summary>True when the model outputs [N, C, D, H, W] (pooled here); false for [N, C] vectors.</summary>
    public bool OutputIsFeatureMap { get; }

    /// <summary>Things the user should know (e.g. a CUDA request that fell back to the CPU).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The embedding of one volume (x fastest, as <see cref="Volume{T}"/>).</summary>
    public float[] Embed(ReadOnlySpan<float> voxels, Int3 size) => Embed([voxels.ToArray()], size)[0];

    /// <summary>
    /// Embeddings of several volumes of one size; patches of different volumes share batches, so a whole-volume
    /// model sees <see cref="OnnxEncoderOptions.BatchSize"/> volumes per run.
    /// </summary>
    public float[][] Embed(IReadOnlyList<float[]> volumes, Int3 size)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        var patch = Options.Patch ?? size;
        var origins = VolumePatches.Origins(size, patch, Options.Overlap);
        var jobs = new List<(int Volume, Int3 Origin)>(volumes.Count * origins.Count);
        for (int v = 0; v < volumes.Count; v++)
        {
            if (volumes[v].Length != size.Product)
            {
                throw new ArgumentException($"volume {v} holds {volumes[v].Length} voxels, not {size.Product} ({size})", nameof(volumes));
            }

            jobs.AddRange(origins.Select(o => (v, o)));
        }

        var sums = volumes.Select(_ => new double[Channels]).ToArray();
        var counts = new int[volumes.Count];
        int batch = Options.BatchSize;
        long patchValues = patch.Product;
        var input = new float[checked((int)(batch * patchValues))];
        var pooled = new float[Channels];
        for (int first = 0; first < jobs.Count; first += batch)
        {
            int used = Math.Min(batch, jobs.Count - first);
            for (int b = 0; b < batch; b++)
            {
                var slot = input.AsSpan((int)(b * patchValues), (int)patchValues);
                if (b < used)
                {
                    var (v, origin) = jobs[first + b];
                    VolumePatches.CopyPatchDhw(volumes[v], size, origin, patch, Options.PadValue, slot);
                }
                else
                {
                    // The shape is pinned to the batch size: the tail of the last batch is padding, ignored below.
                    slot.Fill(Options.PadValue);
                }
            }

            float[] output = Run(input, patch);
            for (int b = 0; b < used; b++)
            {
                FeaturePooling.Pool(output, batch, Channels, b, Options.Pooling, pooled);
                int v = jobs[first + b].Volume;
                for (int c = 0; c < Channels; c++)
                {
                    sums[v][c] += pooled[c];
                }

                counts[v]++;
            }
        }

        return sums.Select((s, v) => s.Select(x => (float)(x / counts[v])).ToArray()).ToArray();
    }

    /// <summary>Runs one batch through ML.NET's OnnxTransformer and returns the output tensor's values (C order).</summary>
    internal float[] Run(float[] batchInput, Int3 patch)
    {
        lock (_gate)
        {
            var transformer = Transformer(patch);
            var definition = SchemaDefinition.Create(typeof(BatchRow));
            definition[nameof(BatchRow.Input)].ColumnName = Options.InputName;
            definition[Options.InputName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Shape(patch));
            var data = _ml.Data.LoadFromEnumerable([new BatchRow { Input = batchInput }], definition);
            var output = transformer.Transform(data).GetColumn<float[]>(Options.OutputName).Single();
            long expectedMultiple = (long)Options.BatchSize * Channels;
            if (output.Length == 0 || output.Length % expectedMultiple != 0)
            {
                throw new InvalidOperationException(
                    $"{Options.ModelPath}: output '{Options.OutputName}' has {output.Length} values, not a multiple of batch {Options.BatchSize} x {Channels} channels");
            }

            return output;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var t in _transformers.Values)
            {
                t.Dispose();
            }

            _transformers.Clear();
        }
    }

    private int[] Shape(Int3 patch) => [Options.BatchSize, 1, patch.Z, patch.Y, patch.X];

    private OnnxTransformer Transformer(Int3 patch)
    {
        if (_transformers.TryGetValue(patch, out var existing))
        {
            return existing;
        }

        var options = new OnnxOptions
        {
            ModelFile = Options.ModelPath,
            InputColumns = [Options.InputName],
            OutputColumns = [Options.OutputName],
            ShapeDictionary = new Dictionary<string, int[]>(StringComparer.Ordinal) { [Options.InputName] = Shape(patch) },
            GpuDeviceId = _gpuDeviceId,
            FallbackToCpu = Options.FallbackToCpu,
            IntraOpNumThreads = Options.IntraOpThreads,
            InterOpNumThreads = Options.InterOpThreads,
        };

        // The transformer needs only the input schema to be fitted: an empty view of the batch row type.
        var definition = SchemaDefinition.Create(typeof(BatchRow));
        definition[nameof(BatchRow.Input)].ColumnName = Options.InputName;
        definition[Options.InputName].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Shape(patch));
        var empty = _ml.Data.LoadFromEnumerable(Array.Empty<BatchRow>(), definition);
        var transformer = _ml.Transforms.ApplyOnnxModel(options).Fit(empty);
        _transformers[patch] = transformer;
        return transformer;
    }

    /// <summary>Checks the tensor names and ranks against the file, and reads the channel count.</summary>
    private static (int Channels, bool FeatureMap) InspectModel(OnnxEncoderOptions options)
    {
        using var session = new InferenceSession(options.ModelPath);
        if (!session.InputMetadata.TryGetValue(options.InputName, out var input))
        {
            throw new ArgumentException(
                $"{options.ModelPath}: no input tensor '{options.InputName}'; the model's inputs are {string.Join(", ", session.InputMetadata.Keys.Select(k => $"'{k}'"))}");
        }

        if (input.Dimensions.Length != 5)
        {
            throw new ArgumentException(
                $"{options.ModelPath}: input '{options.InputName}' has rank {input.Dimensions.Length} ([{string.Join(", ", input.Dimensions)}]); an encoder takes [N, 1, D, H, W]");
        }

        if (options.Patch is { } p)
        {
            int[] fixedDims = [p.Z, p.Y, p.X];
            for (int a = 0; a < 3; a++)
            {
                int d = input.Dimensions[a + 2];
                if (d > 0 && d != fixedDims[a])
                {
                    throw new ArgumentException(
                        $"{options.ModelPath}: input '{options.InputName}' is fixed at [{string.Join(", ", input.Dimensions)}] (N, C, D, H, W), but the patch is {p} (x, y, z)");
                }
            }
        }

        if (!session.OutputMetadata.TryGetValue(options.OutputName, out var output))
        {
            throw new ArgumentException(
                $"{options.ModelPath}: no output tensor '{options.OutputName}'; the model's outputs are {string.Join(", ", session.OutputMetadata.Keys.Select(k => $"'{k}'"))}");
        }

        int rank = output.Dimensions.Length;
        if ((rank != 2 && rank != 5) || output.Dimensions[1] <= 0)
        {
            throw new ArgumentException(
                $"{options.ModelPath}: output '{options.OutputName}' is [{string.Join(", ", output.Dimensions)}]; an encoder outputs [N, C] or [N, C, D, H, W] with a fixed C");
        }

        return (output.Dimensions[1], rank == 5);
    }

    /// <summary>The GPU to ask ML.NET for, or null for the CPU; a CUDA request on a machine without it falls back or fails clearly.</summary>
    private static int? ChooseDevice(OnnxEncoderOptions options, List<string> warnings)
    {
        if (options.Device == EncoderDevice.Cpu)
        {
            return null;
        }

        string? problem = null;
        try
        {
            using var probe = SessionOptions.MakeSessionOptionWithCudaProvider(options.GpuDeviceId);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or InvalidOperationException)
        {
            problem = e.Message;
        }

        if (problem is null)
        {
            return options.GpuDeviceId;
        }

        string message = $"device: cuda was asked for {options.ModelPath}, but ONNX Runtime's CUDA provider is not available ({problem}); " +
            "it needs an NVIDIA GPU, CUDA/cuDNN and the Microsoft.ML.OnnxRuntime.Gpu package in place of Microsoft.ML.OnnxRuntime (docs/encoders.md)";
        if (!options.FallbackToCpu)
        {
            throw new InvalidOperationException(message + "; set fallback_to_cpu: true to run on the CPU instead");
        }

        warnings.Add(message + "; running on the CPU");
        return null;
    }

    /// <summary>One ML.NET row: a whole batch of patches as one flat tensor.</summary>
    private sealed class BatchRow
    {
        public float[] Input { get; set; } = [];
    }
}
