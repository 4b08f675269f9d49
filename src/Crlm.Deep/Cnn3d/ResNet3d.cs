using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crlm.Deep.Cnn3d;

/// <summary>
/// How a residual block whose stride or channel count changes forms its shortcut (MedicalNet's
/// <c>shortcut_type</c>).
/// </summary>
public enum ResNetShortcut
{
    /// <summary>
    /// Parameter-free: take every stride-th voxel and append zero channels. MedicalNet's published
    /// ResNet-18 and ResNet-34 checkpoints were trained with it (its README: --resnet_shortcut A).
    /// </summary>
    A,

    /// <summary>
    /// A 1x1x1 convolution plus batch norm, named <c>downsample.0</c> / <c>downsample.1</c>.
    /// MedicalNet's ResNet-10, ResNet-50 and deeper checkpoints use it.
    /// </summary>
    B,
}

/// <summary>The shape of a <see cref="ResNet3d"/>: everything that decides its state_dict keys and shapes.</summary>
/// <param name="Depth">10, 18, 34 (basic blocks) or 50 (bottlenecks).</param>
/// <param name="Width">Channels after conv1 (MedicalNet: 64); the stages have 1, 2, 4, 8 times as many planes.</param>
/// <param name="Shortcut">Shortcut type of the first block of a stage whose shape changes.</param>
public sealed record ResNet3dArchitecture(int Depth, int Width = 64, ResNetShortcut Shortcut = ResNetShortcut.B)
{
    /// <summary>The depths MedicalNet's pretrain configs and this encoder share.</summary>
    public static IReadOnlyList<int> SupportedDepths { get; } = [10, 18, 34, 50];

    /// <summary>True when the stages are made of bottlenecks (1-3-1 convolutions, 4x output channels).</summary>
    public bool UsesBottleneck => Depth == 50;

    /// <summary>Output channels of every block, 1 for basic blocks, 4 for bottlenecks.</summary>
    public int Expansion => UsesBottleneck ? 4 : 1;

    /// <summary>Channels of the layer4 map and so of the pooled embedding: 8 x width x expansion.</summary>
    public int EmbeddingSize => 8 * Width * Expansion;

    /// <summary>Blocks in layer1..layer4.</summary>
    public IReadOnlyList<int> BlocksPerStage => Depth switch
    {
        10 => [1, 1, 1, 1],
        18 => [2, 2, 2, 2],
        34 or 50 => [3, 4, 6, 3],
        _ => throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"ResNet depth must be one of {string.Join(", ", SupportedDepths)}"),
    };

    /// <summary>Throws when the architecture cannot be built, naming the field.</summary>
    public void Validate()
    {
        _ = BlocksPerStage;
        if (Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "ResNet width (base channels) must be at least 1");
        }

        if (!Enum.IsDefined(Shortcut))
        {
            throw new ArgumentOutOfRangeException(nameof(Shortcut), Shortcut, "shortcut must be A or B");
        }
    }

    /// <summary>e.g. "ResNet-18 (width 64, shortcut B)".</summary>
    public override string ToString() => $"ResNet-{Depth} (width {Width}, shortcut {Shortcut})";
}

/// <summary>
/// The 3D ResNet encoder of Tencent MedicalNet (Med3D), without its segmentation head: conv1 7x7x7 stride 2 on one
/// channel, bn1, relu, maxpool 3/2/1, layer1..layer4 with strides 1, 2, 1, 1 and dilations 1, 1, 2, 4 (MedicalNet
/// keeps the resolution of layer2 and widens the receptive field by dilation instead). The layer4 map is 1/8 of
/// the input in each axis; the embedding is its global average over depth, height and width.
/// </summary>
/// <remarks>
/// Field names are the state_dict keys (TorchSharp registers fields by name), so this module's keys are
/// MedicalNet's: <c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>layer1.0.conv1.weight</c>,
/// <c>layer2.0.downsample.0.weight</c>... A MedicalNet or PyTorch state_dict loads without renaming
/// (<see cref="ResNet3dCheckpoint"/>). <see cref="forward"/> returns the pooled embedding so that a head can be
/// put on top for fine-tuning; <see cref="ForwardFeatures"/> gives the map before pooling.
/// </remarks>
public sealed class ResNet3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv1;
    private readonly BatchNorm3d bn1;
    private readonly ReLU relu;
    private readonly MaxPool3d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    /// <summary>Builds the encoder with TorchSharp's default initialisation; see <see cref="ResNet3dInit"/> for seeded weights.</summary>
    public ResNet3d(ResNet3dArchitecture architecture)
        : base(nameof(ResNet3d))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;

        int width = architecture.Width;
        conv1 = nn.Conv3d(1, width, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm3d(width);
        relu = nn.ReLU();
        maxpool = nn.MaxPool3d(kernel_size: 3, stride: 2, padding: 1);

        IReadOnlyList<int> blocks = architecture.BlocksPerStage;
        long inputChannels = width;
        layer1 = MakeStage(architecture, ref inputChannels, planes: width, blocks[0], stride: 1, dilation: 1);
        layer2 = MakeStage(architecture, ref inputChannels, planes: width * 2, blocks[1], stride: 2, dilation: 1);
        layer3 = MakeStage(architecture, ref inputChannels, planes: width * 4, blocks[2], stride: 1, dilation: 2);
        layer4 = MakeStage(architecture, ref inputChannels, planes: width * 8, blocks[3], stride: 1, dilation: 4);

        // Last, as TorchSharp requires: registers the fields above under their names.
        RegisterComponents();
    }

    /// <summary>Depth, width and shortcut type this module was built with.</summary>
    public ResNet3dArchitecture Architecture { get; }

    /// <summary>Channels of <see cref="ForwardFeatures"/> and length of the embedding.</summary>
    public int EmbeddingSize => Architecture.EmbeddingSize;

    /// <summary>[N, 1, D, H, W] -> the layer4 map [N, C, D/8, H/8, W/8] (sizes rounded up).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 5 || input.shape[1] != 1)
        {
            throw new ArgumentException($"expected a [N, 1, D, H, W] tensor, got [{string.Join(", ", input.shape)}]", nameof(input));
        }

        using var scope = NewDisposeScope();
        Tensor x = maxpool.call(relu.call(bn1.call(conv1.call(input))));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>[N, 1, D, H, W] -> the embedding [N, C]: layer4 averaged over D, H and W.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardFeatures(input).mean([2L, 3L, 4L]).MoveToOuterDisposeScope();
    }

    /// <summary>Same as <see cref="forward"/>; the name the encoder API uses.</summary>
    public Tensor Embed(Tensor input) => forward(input);

    private static Sequential MakeStage(ResNet3dArchitecture architecture, ref long inputChannels, long planes, int blocks, long stride, long dilation)
    {
        long outputChannels = planes * architecture.Expansion;
        var modules = new List<nn.Module<Tensor, Tensor>>(blocks);
        for (int i = 0; i < blocks; i++)
        {
            long blockStride = i == 0 ? stride : 1;

            // As in MedicalNet: only the first block of a stage can change the shape, and only then is there a shortcut.
            ResNetShortcut? shortcut = i == 0 && (blockStride != 1 || inputChannels != outputChannels) ? architecture.Shortcut : null;
            modules.Add(architecture.UsesBottleneck
                ? new Bottleneck3d(inputChannels, planes, blockStride, dilation, shortcut)
                : new BasicBlock3d(inputChannels, planes, blockStride, dilation, shortcut));
            inputChannels = outputChannels;
        }

        return nn.Sequential(modules);
    }
}
