using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Crlm.Deep.Tests;

/// <summary>
/// Tests that touch TorchSharp's global random generator (torch.manual_seed, module initialisation)
/// go in this collection: xunit runs it on its own, after the parallel collections, so another test
/// class cannot draw from the generator between a seed and its use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRng
{
    public const string Name = "TorchSharp global RNG";
}

/// <summary>
/// TorchSharp's natives load in this output folder (patched by build/TorchSharpNativeFix.targets
/// where the system libstdc++ predates GCC 13) and a real 3D training step works end to end.
/// </summary>
[Collection(TorchGlobalRng.Name)]
public sealed class TorchSharpLoadsTests
{
    private const double LearningRate = 1e-2;
    private const double WeightDecay = 1e-2;
    private const string ShimName = "libcrlm_glibcxx_shim.so";

    [Fact]
    public void Conv3d_forward_backward_and_one_AdamW_step_change_the_weights()
    {
        TrainingStep step = RunOneTrainingStep(seed: 42);

        Assert.True(float.IsFinite(step.Loss) && step.Loss > 0, $"loss {step.Loss}");
        Assert.All(step.Gradient, g => Assert.True(float.IsFinite(g), $"gradient {g}"));
        Assert.Contains(step.Gradient, g => g != 0);

        float[] delta = step.WeightAfter.Zip(step.WeightBefore, (after, before) => after - before).ToArray();
        Assert.All(delta, d => Assert.True(float.IsFinite(d), $"weight change {d}"));
        Assert.Contains(delta, d => d != 0);

        // Adam's first step moves a weight by lr * m/(sqrt(v)+eps) = at most lr (m = g, v = g^2 after
        // bias correction), plus AdamW's decoupled decay lr * weight_decay * |w|. A larger change
        // would mean the optimizer is not AdamW or ran more than once.
        for (int i = 0; i < delta.Length; i++)
        {
            double bound = (LearningRate * 1.001) + (LearningRate * WeightDecay * Math.Abs(step.WeightBefore[i]));
            Assert.True(Math.Abs(delta[i]) <= bound, $"weight {i} moved by {delta[i]}, more than {bound}");
        }
    }

    [Fact]
    public void Seeded_training_step_is_deterministic()
    {
        TrainingStep first = RunOneTrainingStep(seed: 42);
        TrainingStep second = RunOneTrainingStep(seed: 42);
        TrainingStep otherSeed = RunOneTrainingStep(seed: 7);

        Assert.Equal(first.Loss, second.Loss);
        Assert.Equal(first.Gradient, second.Gradient);
        Assert.Equal(first.WeightAfter, second.WeightAfter);
        Assert.NotEqual(first.Loss, otherSeed.Loss);
    }

    [Fact]
    public void Describe_names_the_TorchSharp_and_libtorch_versions()
    {
        string description = TorchRuntime.Describe();

        string torchSharpVersion = typeof(torch).Assembly.GetName().Version!.ToString(3);
        Assert.StartsWith($"TorchSharp {torchSharpVersion}, libtorch ", description, StringComparison.Ordinal);
        Assert.Contains("intra-op threads", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_library_in_the_output_is_patched_exactly_when_the_system_libstdcxx_lacks_GLIBCXX_3_4_32()
    {
        // The fix and libLibTorchSharp.so only exist on Linux; elsewhere there is nothing to check.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string library = LocateTorchSharpNative();
        string shim = Path.Combine(Path.GetDirectoryName(library)!, ShimName);
        ElfDependencies dependencies = ElfDependencies.Read(library);
        bool needsShim = dependencies.Needed.Contains(ShimName);
        bool requiresGcc13 = dependencies.RequiredVersions.Any(v => v.Version == SystemLibstdcxx.Gcc13Version);

        if (SystemLibstdcxx.HasGcc13Version())
        {
            // Newer systems get TorchSharp's library untouched.
            Assert.False(needsShim, $"{library} was patched although {SystemLibstdcxx.Locate()} has {SystemLibstdcxx.Gcc13Version}");
            return;
        }

        Assert.False(requiresGcc13, $"{library} still requires {SystemLibstdcxx.Gcc13Version}, which {SystemLibstdcxx.Locate()} lacks");
        if (needsShim)
        {
            Assert.True(File.Exists(shim), $"{library} needs {ShimName}, which is not next to it");
            Assert.Contains(("libstdc++.so.6", "GLIBCXX_3.4.21"), dependencies.RequiredVersions);
        }

        // A second opinion from binutils where the machine has it.
        string? readelf = new[] { "/usr/bin/readelf", "/bin/readelf" }.FirstOrDefault(File.Exists);
        if (readelf is not null)
        {
            var start = new ProcessStartInfo(readelf, ["-V", library]) { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain(SystemLibstdcxx.Gcc13Version, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_failure_message_gives_the_loader_reason_and_the_fix()
    {
        // What NativeLibrary.Load reports on Debian 12 for the unpatched library.
        var loaderError = new DllNotFoundException(
            "Unable to load shared library '/app/runtimes/linux-x64/native/libLibTorchSharp.so' or one of its dependencies.\n"
            + "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)");

        string message = TorchRuntime.DescribeLoadFailure(new TypeInitializationException("TorchSharp.torch", loaderError));

        Assert.StartsWith("TorchSharp's native libraries could not be loaded (TypeInitializationException: ", message, StringComparison.Ordinal);
        Assert.Contains("DllNotFoundException: Unable to load shared library", message, StringComparison.Ordinal);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("apt-get install patchelf g++", message, StringComparison.Ordinal);
            Assert.Contains("build/TorchSharpNativeFix.targets", message, StringComparison.Ordinal);
            Assert.Contains("rebuild", message, StringComparison.Ordinal);
        }
    }

    /// <summary>A portable build keeps it under runtimes/linux-x64/native/; a RID-specific one in the root.</summary>
    private static string LocateTorchSharpNative()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"libLibTorchSharp.so is in none of: {string.Join(", ", candidates)}");
    }

    /// <summary>
    /// input 2x1x8x16x16 -> Conv3d(1->4, k3) -> 2x4x6x14x14, MSE against a random target, backward,
    /// one AdamW step. Everything random comes from torch.manual_seed(seed).
    /// </summary>
    private static TrainingStep RunOneTrainingStep(long seed)
    {
        TorchRuntime.EnsureAvailable();
        using DisposeScope scope = NewDisposeScope();
        manual_seed(seed);

        using var conv = nn.Conv3d(in_channels: 1, out_channels: 4, kernel_size: 3);
        Tensor input = randn(new long[] { 2, 1, 8, 16, 16 });
        Tensor target = randn(new long[] { 2, 4, 6, 14, 14 });

        Tensor output = conv.forward(input);
        Assert.Equal(new long[] { 2, 4, 6, 14, 14 }, output.shape);
        Tensor loss = nn.functional.mse_loss(output, target);
        loss.backward();

        var weight = conv.weight ?? throw new InvalidOperationException("Conv3d has no weight");
        float[] before = weight.detach().clone().data<float>().ToArray();
        float[] gradient = (weight.grad ?? throw new InvalidOperationException("no gradient after backward()")).data<float>().ToArray();

        using var optimizer = optim.AdamW(conv.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        optimizer.step();
        float[] after = weight.detach().data<float>().ToArray();

        return new TrainingStep(loss.item<float>(), gradient, before, after);
    }

    private sealed record TrainingStep(float Loss, float[] Gradient, float[] WeightBefore, float[] WeightAfter);
}
