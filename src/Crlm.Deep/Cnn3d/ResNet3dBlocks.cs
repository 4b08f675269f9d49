using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crlm.Deep.Cnn3d;

/// <summary>Convolutions as MedicalNet builds them: no bias (a batch norm follows), padding = dilation for 3x3x3.</summary>
internal static class ResNet3dLayers
{
    public static Conv3d Conv3x3x3(long input, long output, long stride, long dilation) =>
        nn.Conv3d(input, output, kernel_size: 3, stride: stride, padding: dilation, dilation: dilation, bias: false);

    public static Conv3d Conv1x1x1(long input, long output, long stride = 1) =>
        nn.Conv3d(input, output, kernel_size: 1, stride: stride, bias: false);

    /// <summary>Shortcut B: <c>downsample.0</c> (1x1x1 convolution) and <c>downsample.1</c> (batch norm).</summary>
    public static Sequential? Downsample(ResNetShortcut? shortcut, long input, long output, long stride) =>
        shortcut == ResNetShortcut.B ? nn.Sequential(Conv1x1x1(input, output, stride), nn.BatchNorm3d(output)) : null;

    /// <summary>
    /// Shortcut A (MedicalNet's downsample_basic_block): every stride-th voxel, then zero channels up to
    /// <paramref name="channels"/>. MedicalNet subsamples with avg_pool3d(kernel 1, stride), which is the same slice.
    /// </summary>
    public static Tensor ZeroPadShortcut(Tensor x, long channels, long stride)
    {
        using var scope = NewDisposeScope();
        Tensor y = x;
        if (stride != 1)
        {
            for (long dim = 2; dim < 5; dim++)
            {
                y = y.slice(dim, 0, y.shape[dim], stride);
            }
        }

        long[] padShape = [y.shape[0], channels - y.shape[1], y.shape[2], y.shape[3], y.shape[4]];
        Tensor padded = cat([y, zeros(padShape, y.dtype, y.device)], dim: 1);
        return padded.MoveToOuterDisposeScope();
    }
}

/// <summary>Two 3x3x3 convolutions (MedicalNet's BasicBlock, depth 10/18/34); the first carries the stride.</summary>
internal sealed class BasicBlock3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv1;
    private readonly BatchNorm3d bn1;
    private readonly ReLU relu;
    private readonly Conv3d conv2;
    private readonly BatchNorm3d bn2;
    private readonly Sequential? downsample;

    // Plain values are not registered (only modules, parameters and tensors are), so they add no state_dict keys.
    private readonly ResNetShortcut? shortcut;
    private readonly long outputChannels;
    private readonly long stride;

    public BasicBlock3d(long inputChannels, long planes, long stride, long dilation, ResNetShortcut? shortcut)
        : base(nameof(BasicBlock3d))
    {
        conv1 = ResNet3dLayers.Conv3x3x3(inputChannels, planes, stride, dilation);
        bn1 = nn.BatchNorm3d(planes);
        relu = nn.ReLU();
        conv2 = ResNet3dLayers.Conv3x3x3(planes, planes, stride: 1, dilation);
        bn2 = nn.BatchNorm3d(planes);
        downsample = ResNet3dLayers.Downsample(shortcut, inputChannels, planes, stride);
        this.shortcut = shortcut;
        outputChannels = planes;
        this.stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor y = relu.call(bn1.call(conv1.call(input)));
        y = bn2.call(conv2.call(y));
        return relu.call(y + Shortcut(input)).MoveToOuterDisposeScope();
    }

    private Tensor Shortcut(Tensor input) => shortcut switch
    {
        null => input,
        ResNetShortcut.A => ResNet3dLayers.ZeroPadShortcut(input, outputChannels, stride),
        _ => downsample!.call(input),
    };
}

/// <summary>1x1x1, 3x3x3 (stride, dilation), 1x1x1 to 4x planes (MedicalNet's Bottleneck, depth 50).</summary>
internal sealed class Bottleneck3d : nn.Module<Tensor, Tensor>
{
    private const long Expansion = 4;

    private readonly Conv3d conv1;
    private readonly BatchNorm3d bn1;
    private readonly Conv3d conv2;
    private readonly BatchNorm3d bn2;
    private readonly Conv3d conv3;
    private readonly BatchNorm3d bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;

    private readonly ResNetShortcut? shortcut;
    private readonly long outputChannels;
    private readonly long stride;

    public Bottleneck3d(long inputChannels, long planes, long stride, long dilation, ResNetShortcut? shortcut)
        : base(nameof(Bottleneck3d))
    {
        outputChannels = planes * Expansion;
        conv1 = ResNet3dLayers.Conv1x1x1(inputChannels, planes);
        bn1 = nn.BatchNorm3d(planes);
        conv2 = ResNet3dLayers.Conv3x3x3(planes, planes, stride, dilation);
        bn2 = nn.BatchNorm3d(planes);
        conv3 = ResNet3dLayers.Conv1x1x1(planes, outputChannels);
        bn3 = nn.BatchNorm3d(outputChannels);
        relu = nn.ReLU();
        downsample = ResNet3dLayers.Downsample(shortcut, inputChannels, outputChannels, stride);
        this.shortcut = shortcut;
        this.stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor y = relu.call(bn1.call(conv1.call(input)));
        y = relu.call(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        return relu.call(y + Shortcut(input)).MoveToOuterDisposeScope();
    }

    private Tensor Shortcut(Tensor input) => shortcut switch
    {
        null => input,
        ResNetShortcut.A => ResNet3dLayers.ZeroPadShortcut(input, outputChannels, stride),
        _ => downsample!.call(input),
    };
}
