using Crlm.Deep.Cnn3d;
using static TorchSharp.torch;

namespace Crlm.Deep.Tests.Cnn3d;

/// <summary>Shapes and state_dict keys per depth, seeded initialisation, and the encoder's input checks.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class ResNet3dArchitectureTests
{
    public ResNet3dArchitectureTests() => TorchRuntime.EnsureAvailable();

    [Theory]
    [InlineData(10, 32)]
    [InlineData(18, 32)]
    [InlineData(34, 32)]
    [InlineData(50, 128)]
    public void Layer4_map_and_embedding_have_the_depths_channels_at_one_eighth_of_the_input(int depth, int channels)
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(depth, Width: 4));
        model.eval();
        Assert.Equal(channels, model.EmbeddingSize);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = randn([2, 1, 9, 17, 20]);

        // 9 -> conv1 5 -> maxpool 3 -> layer2 2; 17 -> 9 -> 5 -> 3; 20 -> 10 -> 5 -> 3: ceil(n / 8).
        Assert.Equal(new long[] { 2, channels, 2, 3, 3 }, model.ForwardFeatures(input).shape);
        Assert.Equal(new long[] { 2, channels }, model.Embed(input).shape);
    }

    [Theory]
    [InlineData(10, ResNetShortcut.B)]
    [InlineData(18, ResNetShortcut.A)]
    [InlineData(34, ResNetShortcut.B)]
    [InlineData(50, ResNetShortcut.B)]
    [InlineData(50, ResNetShortcut.A)]
    public void State_dict_keys_are_MedicalNets(int depth, ResNetShortcut shortcut)
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(depth, Width: 4, shortcut));

        string[] actual = [.. model.state_dict().Keys.Order(StringComparer.Ordinal)];

        Assert.Equal(MedicalNetKeys(depth, shortcut).Order(StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Seeded_weights_repeat_for_a_seed_whatever_the_global_generator_did_and_change_with_it()
    {
        var options = new Cnn3dOptions(Depth: 10, Width: 4, Seed: 5);
        float[][] volumes = [RandomVolume(1, 16 * 16 * 16), RandomVolume(2, 16 * 16 * 16)];

        float[][] first = EmbedWith(options, volumes);
        manual_seed(999);
        using (NewDisposeScope())
        {
            _ = randn(1000);
        }

        float[][] second = EmbedWith(options, volumes);
        float[][] otherSeed = EmbedWith(options with { Seed = 6 }, volumes);

        Assert.Equal(first, second);
        Assert.NotEqual(first[0], otherSeed[0]);
        Assert.NotEqual(first[0], first[1]);
        Assert.All(first.SelectMany(e => e), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Seeded_convolutions_are_Kaiming_normal_with_fan_out()
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(10, Width: 8));
        ResNet3dInit.Seeded(model, seed: 1);

        using var scope = NewDisposeScope();
        // In and out channels differ here, so fan in (sqrt(2) larger) would not pass for fan out.
        Tensor weight = model.state_dict()["layer4.0.conv1.weight"];
        Assert.Equal(new long[] { 64, 32, 3, 3, 3 }, weight.shape);
        double expected = Math.Sqrt(2.0 / (64 * 27));

        // 55 296 draws: the sample standard deviation is within 0.3% (one sigma) of the target.
        Assert.InRange(weight.std().item<float>(), expected * 0.985, expected * 1.015);
        Assert.InRange(Math.Abs(weight.mean().item<float>()), 0, expected * 0.02);
        Assert.Equal(1f, model.state_dict()["bn1.running_var"].mean().item<float>());
    }

    [Fact]
    public void Gradients_reach_conv1_through_the_dispose_scopes_in_training_mode()
    {
        // What fine-tuning needs: the scopes inside forward free the managed handles only, not the autograd graph.
        using var model = new ResNet3d(new ResNet3dArchitecture(10, Width: 2, ResNetShortcut.A));
        ResNet3dInit.Seeded(model, seed: 4);
        model.train();

        using var scope = NewDisposeScope();
        Tensor loss = model.forward(randn([2, 1, 16, 16, 16])).square().sum();
        loss.backward();

        Tensor weight = model.named_parameters().Single(p => p.name == "conv1.weight").parameter;
        Tensor gradient = weight.grad ?? throw new InvalidOperationException("conv1.weight has no gradient");
        Assert.Equal(new long[] { 2, 1, 7, 7, 7 }, gradient.shape);
        Assert.True(gradient.abs().sum().item<float>() > 0, "conv1's gradient is zero");
        Assert.True(model.state_dict()["bn1.num_batches_tracked"].item<long>() == 1, "batch norm did not update in training mode");
    }

    [Fact]
    public void Encoder_rejects_volumes_of_the_wrong_size_and_bad_options()
    {
        using var encoder = new Cnn3dEncoder(new Cnn3dOptions(Depth: 10, Width: 2));

        var error = Assert.Throws<ArgumentException>(() => encoder.Embed([new float[8 * 8 * 8], new float[10]], (8, 8, 8), 4));
        Assert.Contains("volume 1 has 10 voxels, expected 8 x 8 x 8 = 512", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Embed([new float[512]], (8, 8, 8), 0));
        Assert.Empty(encoder.Embed([], (8, 8, 8), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cnn3dEncoder(new Cnn3dOptions(Depth: 101)));
        Assert.Equal("ResNet-10 (width 2, shortcut B), seeded random weights (seed 0)", encoder.Describe());
    }

    private static float[][] EmbedWith(Cnn3dOptions options, float[][] volumes)
    {
        using var encoder = new Cnn3dEncoder(options);
        return encoder.Embed(volumes, (16, 16, 16), batchSize: 2);
    }

    private static float[] RandomVolume(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
    }

    /// <summary>The state_dict keys of MedicalNet's resnet.py for a depth, from its naming scheme.</summary>
    private static List<string> MedicalNetKeys(int depth, ResNetShortcut shortcut)
    {
        string[] norm = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];
        IEnumerable<string> Norm(string prefix) => norm.Select(n => $"{prefix}.{n}");

        var keys = new List<string> { "conv1.weight" };
        keys.AddRange(Norm("bn1"));
        int[] blocks = depth switch { 10 => [1, 1, 1, 1], 18 => [2, 2, 2, 2], _ => [3, 4, 6, 3] };
        int convolutions = depth == 50 ? 3 : 2;
        for (int stage = 1; stage <= 4; stage++)
        {
            for (int block = 0; block < blocks[stage - 1]; block++)
            {
                string prefix = $"layer{stage}.{block}";
                for (int c = 1; c <= convolutions; c++)
                {
                    keys.Add($"{prefix}.conv{c}.weight");
                    keys.AddRange(Norm($"{prefix}.bn{c}"));
                }

                // Stage 1 of basic blocks keeps stride and channels; everything else changes one of them.
                bool changesShape = block == 0 && (stage > 1 || depth == 50);
                if (changesShape && shortcut == ResNetShortcut.B)
                {
                    keys.Add($"{prefix}.downsample.0.weight");
                    keys.AddRange(Norm($"{prefix}.downsample.1"));
                }
            }
        }

        return keys;
    }
}
