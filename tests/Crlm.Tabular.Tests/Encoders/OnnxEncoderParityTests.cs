using Crlm.Core.Imaging;
using Crlm.Tabular.Encoders;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Tests.Encoders;

/// <summary>
/// ML.NET's OnnxTransformer (through <see cref="OnnxEncoder"/>) against PyTorch on the same input, for tiny
/// random-weight versions of the studied architectures exported by tools/export_encoders.py: the raw output
/// tensor and the pooled embedding to the fixture's tolerance (1e-4), whatever the batch size.
/// </summary>
public sealed class OnnxEncoderParityTests
{
    public static TheoryData<string> Archs => new(OnnxFixture.Archs);

    private static OnnxEncoderOptions Options(OnnxFixture f, int batch = 2) => new()
    {
        ModelPath = f.ModelPath,
        InputName = f.InputName,
        OutputName = f.OutputName,
        BatchSize = batch,
        IntraOpThreads = 1,
    };

    [Theory]
    [MemberData(nameof(Archs))]
    public void The_raw_output_matches_pytorch(string arch)
    {
        var f = OnnxFixture.Load(arch);
        using var encoder = new OnnxEncoder(Options(f));
        Assert.Equal(f.OutputShape[1], encoder.Channels);
        Assert.Equal(f.OutputShape.Length == 5, encoder.OutputIsFeatureMap);
        float[] output = encoder.Run(f.Input, f.VolumeSize);
        f.AssertClose(f.Output.Select(v => (double)v).ToArray(), output, "output");
    }

    [Theory]
    [MemberData(nameof(Archs))]
    public void Embeddings_match_pytorchs_pooled_output_for_any_batch_size(string arch)
    {
        var f = OnnxFixture.Load(arch);
        foreach (int batch in new[] { 1, 2, 3 })
        {
            using var encoder = new OnnxEncoder(Options(f, batch));
            var embeddings = encoder.Embed([f.Sample(0), f.Sample(1)], f.VolumeSize);
            for (int n = 0; n < f.Samples; n++)
            {
                f.AssertClose(f.Pooled[n], embeddings[n], $"batch {batch} sample {n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Archs))]
    public void A_sliding_window_averages_the_patch_embeddings(string arch)
    {
        // The two samples side by side along x: with the patch = one sample and no overlap, the tiling is exactly
        // the two samples, so the embedding must be the mean of PyTorch's two pooled vectors.
        var f = OnnxFixture.Load(arch);
        var one = f.VolumeSize;
        var wide = new Int3(one.X * 2, one.Y, one.Z);
        var volume = new float[wide.Product];
        for (int z = 0; z < one.Z; z++)
        {
            for (int y = 0; y < one.Y; y++)
            {
                for (int s = 0; s < 2; s++)
                {
                    f.Sample(s).AsSpan((z * one.Y + y) * one.X, one.X).CopyTo(volume.AsSpan((z * wide.Y + y) * wide.X + s * one.X, one.X));
                }
            }
        }

        using var encoder = new OnnxEncoder(Options(f) with { Patch = one });
        var embedding = encoder.Embed(volume, wide);
        f.AssertClose(f.Pooled[0].Zip(f.Pooled[1], (a, b) => (a + b) / 2).ToArray(), embedding, "two-patch mean");
    }

    [Fact]
    public void The_ml_net_estimator_adds_an_embedding_column_and_keeps_the_others()
    {
        var f = OnnxFixture.Load("med3d");
        var ml = new MLContext(1);
        var rows = new[] { new VolumeRow { ScanId = "<b>a</b>", Volume = f.Sample(0) }, new VolumeRow { ScanId = "b", Volume = f.Sample(1) } };
        var definition = SchemaDefinition.Create(typeof(VolumeRow));
        definition[nameof(VolumeRow.Volume)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, (int)f.VolumeSize.Product);
        var data = ml.Data.LoadFromEnumerable(rows, definition);

        var estimator = new OnnxEmbeddingEstimator(ml, Options(f), nameof(VolumeRow.Volume), f.VolumeSize);
        using var transformer = estimator.Fit(data);
        var schema = transformer.GetOutputSchema(data.Schema);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, transformer.Channels), schema["Embedding"].Type);
        var output = transformer.Transform(data);
        Assert.Equal(["<b>a</b>", "b"], output.GetColumn<string>(nameof(VolumeRow.ScanId)));
        var embeddings = output.GetColumn<float[]>("Embedding").ToArray();
        Assert.Equal(transformer.Channels, embeddings[0].Length);
        f.AssertClose(f.Pooled[0], embeddings[0], "estimator row 0");
        f.AssertClose(f.Pooled[1], embeddings[1], "estimator row 1");
    }

    [Fact]
    public void The_estimator_refuses_a_column_of_the_wrong_size_at_fit_time()
    {
        var f = OnnxFixture.Load("med3d");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable([new VolumeRow { ScanId = "a", Volume = new float[10] }],
            WithSize(10));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxEmbeddingEstimator(ml, Options(f), nameof(VolumeRow.Volume), f.VolumeSize).Fit(data));
        Assert.Contains($"must be a vector of {f.VolumeSize.Product} floats", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxEmbeddingEstimator(ml, Options(f), "Image", f.VolumeSize).Fit(data));
        Assert.Contains("input column 'Image' not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_tensor_names_and_missing_files_are_clear_errors()
    {
        var f = OnnxFixture.Load("ctfm");
        var input = Assert.Throws<ArgumentException>(() => new OnnxEncoder(Options(f) with { InputName = "image" }));
        Assert.Contains("no input tensor 'image'; the model's inputs are 'input'", input.Message, StringComparison.Ordinal);
        var output = Assert.Throws<ArgumentException>(() => new OnnxEncoder(Options(f) with { OutputName = "logits" }));
        Assert.Contains("no output tensor 'logits'; the model's outputs are 'features'", output.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => new OnnxEncoder(Options(f) with { ModelPath = f.ModelPath + ".missing" }));
    }

    [Fact]
    public void A_cuda_request_without_cuda_falls_back_with_a_warning_or_fails_when_told_to()
    {
        var f = OnnxFixture.Load("ctfm");
        // This build ships the CPU ONNX Runtime, so CUDA is never available here.
        using var encoder = new OnnxEncoder(Options(f) with { Device = EncoderDevice.Cuda });
        Assert.Contains(encoder.Warnings, w => w.Contains("running on the CPU", StringComparison.Ordinal));
        f.AssertClose(f.Pooled[0], encoder.Embed(f.Sample(0), f.VolumeSize), "CPU fallback");
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxEncoder(Options(f) with { Device = EncoderDevice.Cuda, FallbackToCpu = false }));
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", e.Message, StringComparison.Ordinal);
    }

    private static SchemaDefinition WithSize(int size)
    {
        var definition = SchemaDefinition.Create(typeof(VolumeRow));
        definition[nameof(VolumeRow.Volume)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    private sealed class VolumeRow
    {
        public string ScanId { get; set; } = "";

        public float[] Volume { get; set; } = [];
    }
}
