using Crlm.Deep.Cnn3d;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Crlm.Deep.Tests.Cnn3d;

/// <summary>Checkpoints that do not fit are refused with the file and the keys named; tolerated differences load.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class ResNet3dCheckpointTests
{
    private static readonly Cnn3dFixture ResNet10 = Cnn3dFixtures.Model("resnet10_w8_B");

    public ResNet3dCheckpointTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Shortcut_B_checkpoint_in_a_shortcut_A_model_names_the_unexpected_downsample_keys_and_the_fix()
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(10, 8, ResNetShortcut.A));

        var error = Assert.Throws<InvalidDataException>(() => ResNet3dCheckpoint.Load(model, ResNet10.Checkpoint));

        Assert.StartsWith($"ResNet3d checkpoint '{ResNet10.Checkpoint}' does not fit ResNet-10 (width 8, shortcut A): 18 unexpected keys: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(": layer2.0.downsample.0.weight, layer2.0.downsample.1.bias,", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer3.0.downsample.1.running_var", error.Message, StringComparison.Ordinal);
        Assert.Contains("... (6 more)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("missing", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("it may have been trained with shortcut B.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shallower_checkpoint_in_a_deeper_model_names_the_missing_keys_and_leaves_the_model_untouched()
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(18, 8));
        ResNet3dInit.Seeded(model, seed: 3);
        float[] before = Snapshot(model);

        var error = Assert.Throws<InvalidDataException>(() => ResNet3dCheckpoint.Load(model, ResNet10.Checkpoint));

        // Four extra blocks of 2 convolutions and 2 batch norms; num_batches_tracked is never required.
        Assert.Contains("does not fit ResNet-18 (width 8, shortcut B): 40 missing keys: layer1.1.conv1.weight, layer1.1.bn1.weight,", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("num_batches_tracked", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void Wrong_width_names_the_shapes()
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(10, 4));

        var error = Assert.Throws<InvalidDataException>(() => ResNet3dCheckpoint.Load(model, ResNet10.Checkpoint));

        Assert.Contains("keys with another shape: conv1.weight [8, 1, 7, 7, 7] (model [4, 1, 7, 7, 7])", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the depth and width.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_unreadable_file_is_named()
    {
        using var model = new ResNet3d(new ResNet3dArchitecture(10, 4));
        string missing = Path.Combine(Path.GetTempPath(), $"crlm-no-such-{Guid.NewGuid():N}.pt");
        var notFound = Assert.Throws<FileNotFoundException>(() => ResNet3dCheckpoint.Load(model, missing));
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);

        // What a pre-1.6 torch.save (legacy, not zip) or any other non-zip file looks like to the reader.
        string garbage = Path.Combine(Path.GetTempPath(), $"crlm-garbage-{Guid.NewGuid():N}.pth");
        File.WriteAllBytes(garbage, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ResNet3dCheckpoint.Load(model, garbage));
            Assert.StartsWith($"ResNet3d checkpoint '{garbage}' could not be read as a PyTorch state_dict", error.Message, StringComparison.Ordinal);
            Assert.Contains("torch.save(torch.load(old), new)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void DataParallel_prefix_segmentation_head_and_absent_num_batches_tracked_are_tolerated()
    {
        var architecture = new ResNet3dArchitecture(10, 4);
        using var original = new ResNet3d(architecture);
        ResNet3dInit.Seeded(original, seed: 11);
        string path = Path.Combine(Path.GetTempPath(), $"crlm-resnet10-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (NewDisposeScope())
            {
                // A MedicalNet-like file: "module." on every key, the conv_seg head, and no num_batches_tracked.
                Dictionary<string, Tensor> state = original.state_dict()
                    .Where(kv => !kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                    .ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
                state["module.conv_seg.0.weight"] = ones([2, 32, 3, 3, 3]);
                Safetensors.SaveStateDict(path, state);
            }

            using var loaded = new ResNet3d(architecture);
            ResNet3dInit.Seeded(loaded, seed: 12);
            Assert.NotEqual(Snapshot(original), Snapshot(loaded));

            ResNet3dCheckpoint.Load(loaded, path);

            Assert.Equal(Snapshot(original), Snapshot(loaded));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every floating-point value of the state_dict, in key order.</summary>
    internal static float[] Snapshot(ResNet3d model)
    {
        using var scope = NewDisposeScope();
        return model.state_dict()
            .Where(kv => kv.Value.is_floating_point())
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.detach().cpu().data<float>().ToArray())
            .ToArray();
    }
}
