using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crlm.Deep.Cnn3d;

/// <summary>Seeded random weights for a <see cref="ResNet3d"/>, the same for the same seed on any thread.</summary>
public static class ResNet3dInit
{
    /// <summary>
    /// MedicalNet's initialisation: convolutions Kaiming-normal (fan out, ReLU gain: std = sqrt(2 / fan_out)),
    /// batch norm weight 1, bias 0, running mean 0, variance 1. Why a private generator: torch.manual_seed would
    /// make the weights depend on whatever else drew from TorchSharp's global generator in between (another
    /// encoder, a training loop on another thread); TorchSharp's nn.init functions ignore a generator argument, so
    /// the values are drawn with randn and scaled here.
    /// </summary>
    public static void Seeded(ResNet3d model, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)seed));

        // named_modules follows registration order, so the draws are in one fixed order for a given architecture.
        foreach ((string _, nn.Module module) in model.named_modules())
        {
            switch (module)
            {
                case Conv3d conv:
                    Tensor weight = conv.weight ?? throw new InvalidOperationException("Conv3d without a weight");
                    long fanOut = weight.shape[0] * weight.shape[2] * weight.shape[3] * weight.shape[4];
                    weight.copy_(randn(weight.shape, dtype: weight.dtype, generator: generator) * Math.Sqrt(2.0 / fanOut));
                    break;
                case BatchNorm3d norm:
                    norm.reset_parameters();
                    break;
            }
        }
    }
}
