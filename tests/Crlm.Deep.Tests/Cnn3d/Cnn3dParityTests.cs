using Crlm.Deep.Cnn3d;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Crlm.Deep.Tests.Cnn3d;

/// <summary>
/// The C# ResNet3d with PyTorch's weights gives PyTorch's outputs: tests/reference/make_cnn3d_fixtures.py builds the
/// same architecture independently in PyTorch 1.13, with random weights and perturbed batch norm statistics.
/// </summary>
[Collection(TorchGlobalRng.Name)]
public sealed class Cnn3dParityTests(ITestOutputHelper output)
{
    // Float32 through up to 50 layers on two different libtorch builds; the outputs are of order 1 to 70.
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData("resnet10_w8_B")] // torch.save state_dict (.pt)
    [InlineData("resnet50_w4_B")] // safetensors, bottlenecks
    [InlineData("resnet10_w2_A")] // MedicalNet-style {"state_dict": {"module.…"}} (.pth), shortcut A
    public void Loaded_checkpoint_reproduces_PyTorch_layer4_map_and_embedding(string name)
    {
        Cnn3dFixture fixture = Cnn3dFixtures.Model(name);
        RawTensor input = Cnn3dFixtures.Input;
        TorchRuntime.EnsureAvailable();

        using var model = new ResNet3d(fixture.Architecture);
        Assert.Equal(fixture.KeyCount, model.state_dict().Count);
        ResNet3dCheckpoint.Load(model, fixture.Checkpoint);
        model.eval();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(input.Values, input.Shape);
        Tensor features = model.ForwardFeatures(x);
        Tensor embedding = model.Embed(x);

        Assert.Equal(fixture.Layer4.Shape, features.shape);
        Assert.Equal(fixture.Embedding.Shape, embedding.shape);
        float layer4Diff = MaxAbsDiff(fixture.Layer4.Values, features.data<float>().ToArray());
        float embeddingDiff = MaxAbsDiff(fixture.Embedding.Values, embedding.data<float>().ToArray());
        output.WriteLine($"{name}: max |C# - PyTorch| layer4 {layer4Diff:E2} (max |value| {fixture.Layer4.Values.Max(Math.Abs):F2}), embedding {embeddingDiff:E2}");
        Assert.True(layer4Diff <= Tolerance, $"{name} layer4 differs from PyTorch by up to {layer4Diff}");
        Assert.True(embeddingDiff <= Tolerance, $"{name} embedding differs from PyTorch by up to {embeddingDiff}");
    }

    [Fact]
    public void Encoder_reads_x_fastest_volumes_and_matches_PyTorch_for_any_batch_size()
    {
        Cnn3dFixture fixture = Cnn3dFixtures.Model("resnet10_w8_B");
        RawTensor input = Cnn3dFixtures.Input;
        var (d, h, w) = ((int)input.Shape[2], (int)input.Shape[3], (int)input.Shape[4]);
        int voxels = d * h * w;
        float[][] volumes = [input.Values[..voxels], input.Values[voxels..]];

        using var encoder = new Cnn3dEncoder(new Cnn3dOptions(
            fixture.Architecture.Depth, fixture.Architecture.Width, fixture.Architecture.Shortcut, CheckpointPath: fixture.Checkpoint));
        Assert.Equal(64, encoder.EmbeddingSize);

        foreach (int batchSize in new[] { 1, 2, 5 })
        {
            float[][] embeddings = encoder.Embed(volumes, (X: w, Y: h, Z: d), batchSize);
            Assert.Equal(2, embeddings.Length);
            float diff = MaxAbsDiff(fixture.Embedding.Values, embeddings.SelectMany(e => e).ToArray());
            Assert.True(diff <= Tolerance, $"batch size {batchSize}: embedding differs from PyTorch by up to {diff}");
        }

        // A transposed reading (x slowest) would still run on a cube; this size is not one, so check the axes too.
        float[][] swapped = encoder.Embed(volumes, (X: d, Y: h, Z: w), 2);
        Assert.True(MaxAbsDiff(fixture.Embedding.Values, swapped.SelectMany(e => e).ToArray()) > 1e-2f);
    }

    [Fact]
    public void Fixture_batch_norm_statistics_matter()
    {
        // Guards the fixture itself: if the statistics were left at 0 / 1, a loader that skipped buffers would pass.
        Cnn3dFixture fixture = Cnn3dFixtures.Model("resnet50_w4_B");
        RawTensor input = Cnn3dFixtures.Input;
        TorchRuntime.EnsureAvailable();
        using var model = new ResNet3d(fixture.Architecture);
        ResNet3dCheckpoint.Load(model, fixture.Checkpoint);
        model.eval();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var norm in model.modules().OfType<TorchSharp.Modules.BatchNorm3d>())
        {
            norm.reset_running_stats();
        }

        float diff = MaxAbsDiff(fixture.Embedding.Values, model.Embed(tensor(input.Values, input.Shape)).data<float>().ToArray());
        Assert.True(diff > 0.1f, $"without the running statistics the embedding moved only {diff}");
    }

    private static float MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float diff = Math.Abs(expected[i] - actual[i]);
            Assert.False(float.IsNaN(diff), $"NaN at {i}");
            max = Math.Max(max, diff);
        }

        return max;
    }
}
