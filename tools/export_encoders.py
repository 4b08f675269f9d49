#!/usr/bin/python3
"""Export the CT foundation-model (FM) encoders studied by Crlm.MLNet to ONNX.

Builds, in plain PyTorch (no MONAI, no timm), the encoder architectures of the FMs benchmarked in the CRLM
foundation-model paper, loads a published checkpoint into them (or seeds random weights), and exports them to
ONNX for ONNX Runtime (the C# OnnxEncoder):

    input    "input"     float32 [N, 1, D, H, W]   (N is a dynamic axis; --dynamic-spatial makes D, H, W dynamic)
    output   "features"  float32 [N, C, D', H', W'] (output_kind "feature_map") or [N, C] (output_kind "vector")

The C# side average-pools a feature map over D', H', W' to one vector per scan (global average, the way CT-FM's
and Med3D's embeddings are usually taken). Each FILE.onnx gets a sidecar FILE.onnx.json (arch, tensor names,
output_kind, channels, an example input/output shape, opset, where the weights came from, width_scale, torch
version) that the YAML encoder entry can be checked against.

Runs with Debian 12's python3-torch (1.13) and python3-onnx; onnxruntime is not needed here.

Architectures (module names follow the published code, so the published state_dicts load key for key)
------------------------------------------------------------------------------------------------------
ctfm     CT-FM (Pai et al. 2025; project-lighter/ct_fm_feature_extractor, lighter_zoo.SegResEncoder, which is
         MONAI's segresnet_ds.SegResEncoder): conv_init 3x3x3 (1 -> 32), then 5 levels with blocks_down
         (1, 2, 2, 4, 4) of pre-activation SegResBlocks (norm1, act1, conv1, norm2, act2, conv2, + identity),
         a strided 3x3x3 conv doubling the channels between levels. Output: the deepest level,
         [N, 512, D/16, H/16, W/16] (CT-FM's embedding is its global average, 512-d). ~77.7 M parameters.
         Normalisation: CT-FM keeps segresnet_ds' default, BatchNorm ("batch"); --norm instance|group exist
         for SegResNet-style variants. With --norm auto (default) a checkpoint without running_mean keys
         selects "instance".
fmcib    FMCIB (Pai et al. 2024, AIM-Harvard/foundation-cancer-image-biomarker): MONAI's 3D ResNet-50 built as
         resnet50(n_input_channels=1, widen_factor=2, conv1_t_stride=2, feed_forward=False): conv1 7x7x7
         stride 2 (1 -> 128), bn1, relu, maxpool 3/2, bottleneck layers [3, 4, 6, 3] of widths
         128/256/512/1024 (x4 expansion), shortcut "B" with a biased 1x1 conv (MONAI's bias_downsample=True),
         adaptive average pool. Output (default): the pooled 4096-d vector that FMCIB publishes as its
         embedding (there is no head: feed_forward=False). --output-kind feature_map gives layer4 instead,
         [N, 4096, D/32, H/32, W/32].
med3d    Med3D (Chen et al. 2019, Tencent/MedicalNet models/resnet.py): conv1 7x7x7 stride 2 (1 -> 64), bn1,
         relu, maxpool 3/2, layer1..layer4 of BasicBlocks (10/18/34) or Bottlenecks (50), layer2 stride 2,
         layer3 dilation 2 and layer4 dilation 4 at stride 1 (MedicalNet's segmentation trunk). The conv_seg
         decoder is dropped; output: layer4, [N, 512 (2048 for 50), D/8, H/8, W/8]. Shortcut type per
         MedicalNet's README: "B" (1x1 conv + BN, no bias) for resnet_10 and resnet_50, "A" (stride-s average
         pool + zero channel padding, no parameters) for resnet_18 and resnet_34. --shortcut overrides.
genesis  ModelsGenesis (Zhou et al. 2019, MrGiovanni/ModelsGenesis pytorch/unet3d.py), the UNet3D encoder:
         down_tr64, down_tr128, down_tr256, down_tr512, each two LUConv (conv1 3x3x3 with bias, bn1, ReLU),
         channels 1 -> 32 -> 64, 64 -> 64 -> 128, 128 -> 128 -> 256, 256 -> 256 -> 512, 2x max-pool after the
         first three. Output: down_tr512's output, [N, 512, D/8, H/8, W/8]. The decoder (up_tr*, out_tr) is
         dropped.
umedpt   NOT EXPORTED. UMedPT (Schafer et al. 2024, Nat Comput Sci) is a 2D model: a Swin Transformer (V2
         blocks) encoder shared by classification/segmentation/detection heads, applied slice-wise to CT; the
         CRLM study takes a 512-d vector from its "grouper" module. Its public description does not fix the
         details an export needs (Swin variant, embed dim and depths, window size, patch size, input size and
         channel count, the grouper's pooling, and how slice vectors are aggregated to a volume), and its
         weights come under their own licence. Supporting it would take the released UMedPT code (or a
         state_dict to read the shapes from) to write a 2D encoder, plus a slice-wise wrapper taking
         [N, 1, D, H, W] and returning the aggregated [N, 512] vector, with the aggregation documented.

Input preparation each published model expects (to mirror in its YAML preprocessing profile)
--------------------------------------------------------------------------------------------
fmcib    LPS orientation, 1 x 1 x 1 mm, intensity (HU + 1024) / 3072 clipped to [0, 1] (MONAI
         ScaleIntensityRange -1024..2048 -> 0..1), 50 x 50 x 50 patches centred on the lesion seed point.
ctfm     SPL orientation, 3 x 1 x 1 mm (z, y, x) in CT-FM's feature-extractor script (its challenge script
         uses 1 mm), HU window [-1024, 2048] -> [0, 1] clipped, 24 x 128 x 128 sliding windows whose vectors
         are averaged; dims divisible by 16 (4 stride-2 levels).
genesis  HU window [-1000, 1000] -> [0, 1] clipped; every spatial dim divisible by 16 (the full UNet3D needs
         8, the published code asks for 16); ModelsGenesis trained on 64 x 64 x 32 chest-CT cubes.
med3d    z-score normalisation: (v - mean) / std over the foreground voxels (v > 0 in MedicalNet). TRAP:
         MedicalNet's data loaders then fill background voxels (v == 0) with np.random.normal noise. That is
         training-time augmentation and must NOT be done for embeddings: it makes them non-deterministic.
         MedicalNet trained at D x H x W = 56 x 448 x 448 (any size works at inference).

Traps handled here
------------------
* ModelsGenesis' ContBatchNorm3d always calls F.batch_norm(..., training=True): it normalises with the
  statistics of the current batch even in eval(), so a scan's embedding depends on the other scans in its
  batch (and with N = 1 it is an instance norm). --genesis-bn running (default) exports eval-mode batch norm
  with the checkpoint's running_mean / running_var (which ModelsGenesis' training did update), which gives
  deterministic, batch-independent embeddings. --genesis-bn batch reproduces the published behaviour (batch
  mean and biased variance over N, D, H, W, as F.batch_norm does) for comparison; it is not suitable for a
  cache of per-scan embeddings.
* Med3D's background noise is a preprocessing step, not part of the network: nothing to export, but the
  Med3D profile must z-score without it (see above).
* Old checkpoints (MedicalNet was trained with PyTorch 0.4) have no BatchNorm num_batches_tracked buffers;
  those missing keys are harmless and are reported but not treated as missing weights.
* Checkpoint keys are matched after stripping 'module.' (DataParallel) and the prefix (e.g. 'trunk.',
  'model.backbone.', 'encoder.') that matches the most keys; --strip-prefix adds candidates. Missing weights
  make the export fail unless --allow-missing; unexpected keys (decoders, heads, projection MLPs) are
  reported and ignored.

Random weights (no checkpoint)
------------------------------
--random-weights --seed S builds the same architecture with PyTorch's default initialisation under
torch.manual_seed(S), then (unless --no-calibrate) perturbs the norm layers' affine parameters, damps each ResNet
residual branch (its last BN scaled by 1/4), and runs 4 seeded batches of 4 noise volumes (random contrast and
offset per volume) through the network in training mode, so that every BatchNorm's running statistics are set
from data (cumulative average). This keeps activations O(1) in eval mode and no running variance tiny, so float32
rounding stays far below a 1e-4 parity tolerance and the running-statistics path is really exercised. Everything
is seeded and runs deterministically on the CPU (torch.use_deterministic_algorithms(True)): the same command gives
a byte-identical .onnx.

--width-scale F divides every channel width by F (rounded, at least 1) to make tiny test models; the layer
structure, kernels, strides and module names stay those of the real architecture. F = 1 (default) is the
published architecture, the only one a real checkpoint loads into.

Examples
--------
    # a published checkpoint (state_dict or {'state_dict': ...} / {'trunk_state_dict': ...})
    /usr/bin/python3 tools/export_encoders.py --arch fmcib --checkpoint fmcib.torch --out fmcib.onnx
    /usr/bin/python3 tools/export_encoders.py --arch med3d --depth 18 --checkpoint resnet_18_23dataset.pth \\
        --input-shape 56 224 224 --out med3d18.onnx
    /usr/bin/python3 tools/export_encoders.py --arch genesis --checkpoint Genesis_Chest_CT.pt \\
        --input-shape 32 64 64 --out genesis.onnx
    /usr/bin/python3 tools/export_encoders.py --arch ctfm --checkpoint ct_fm.pth --input-shape 24 128 128 \\
        --out ctfm.onnx
    # a tiny random-weight model (what tests/reference/make_onnx_fixtures.py does)
    /usr/bin/python3 tools/export_encoders.py --arch ctfm --random-weights --seed 1 --width-scale 32 \\
        --input-shape 16 32 32 --out /tmp/ctfm_tiny.onnx
"""
import argparse
import hashlib
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

ARCHS = ("ctfm", "fmcib", "med3d", "genesis")
INPUT_NAME = "input"
OUTPUT_NAME = "features"

# Prefixes of checkpoint keys that belong to parts of the published models we do not export.
IGNORED_PREFIXES = ("conv_seg.", "fc.", "heads.", "head.", "up_tr", "out_tr.", "up_layers.", "projector.",
                    "projection_head.", "decoder.")


class Widths:
    """Maps a published channel count to the (possibly scaled-down) one used: round(c / scale), at least 1."""

    def __init__(self, scale):
        if not scale >= 1:
            raise ValueError(f"--width-scale must be >= 1, got {scale}")
        self.scale = scale

    def __call__(self, c):
        return max(1, int(round(c / self.scale)))


# ----------------------------------------------------------------------------------------------------------
# CT-FM: MONAI segresnet_ds.SegResEncoder (what lighter_zoo.SegResEncoder is)
# ----------------------------------------------------------------------------------------------------------

def make_norm(kind, channels):
    if kind == "batch":
        return nn.BatchNorm3d(channels)
    if kind == "instance":
        return nn.InstanceNorm3d(channels, affine=True)  # MONAI sets affine=True for the encoder's norms
    if kind == "group":
        return nn.GroupNorm(math.gcd(8, channels), channels)  # SegResNet uses 8 groups
    raise ValueError(f"unknown norm {kind!r}")


class SegResBlock(nn.Module):
    """Pre-activation residual block: x + conv2(act2(norm2(conv1(act1(norm1(x))))))."""

    def __init__(self, channels, norm):
        super().__init__()
        self.norm1 = make_norm(norm, channels)
        self.act1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv3d(channels, channels, 3, stride=1, padding=1, bias=False)
        self.norm2 = make_norm(norm, channels)
        self.act2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv3d(channels, channels, 3, stride=1, padding=1, bias=False)

    def forward(self, x):
        y = self.conv1(self.act1(self.norm1(x)))
        y = self.conv2(self.act2(self.norm2(y)))
        return y + x


class SegResEncoder(nn.Module):
    """conv_init, then levels layers[i] = {"blocks": SegResBlock x n_i, "downsample": stride-2 conv | Identity}.

    Returns the deepest level's output (MONAI returns every level's output; CT-FM uses the last one)."""

    def __init__(self, w, init_filters=32, blocks_down=(1, 2, 2, 4, 4), norm="batch", in_channels=1):
        super().__init__()
        filters = init_filters
        self.conv_init = nn.Conv3d(in_channels, w(filters), 3, stride=1, padding=1, bias=False)
        self.layers = nn.ModuleList()
        for i, n in enumerate(blocks_down):
            level = nn.ModuleDict()
            level["blocks"] = nn.Sequential(*[SegResBlock(w(filters), norm) for _ in range(n)])
            if i < len(blocks_down) - 1:
                level["downsample"] = nn.Conv3d(w(filters), w(2 * filters), 3, stride=2, padding=1, bias=False)
            else:
                level["downsample"] = nn.Identity()
            self.layers.append(level)
            filters *= 2
        self.out_channels = w(filters // 2)

    def forward(self, x):
        x = self.conv_init(x)
        for i, level in enumerate(self.layers):
            x = level["blocks"](x)
            if i < len(self.layers) - 1:
                x = level["downsample"](x)
        return x


# ----------------------------------------------------------------------------------------------------------
# 3D ResNets: MedicalNet (Med3D) and MONAI (FMCIB) share the block definitions
# ----------------------------------------------------------------------------------------------------------

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(inplanes, planes, 3, stride=stride, padding=dilation, dilation=dilation, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv3d(planes, planes, 3, stride=1, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.downsample = downsample

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + residual)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.conv2 = nn.Conv3d(planes, planes, 3, stride=stride, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.conv3 = nn.Conv3d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm3d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + residual)


class ShortcutA(nn.Module):
    """Parameter-free shortcut "A" (MedicalNet's downsample_basic_block): a 1x1x1 average pool with stride s (that
    is, keep every s-th voxel), then zero channels appended up to `planes`.

    Written as one fixed 1x1x1 convolution with stride s whose weight is [I; 0] (identity over the input channels,
    zero rows after): the same numbers exactly (x * 1 + 0 * ...), and in ONNX a single Conv with static shapes
    instead of the Pad/Slice/Transpose chain torch 1.13 emits for F.pad. The weight is a non-persistent buffer,
    so, as in MedicalNet, the shortcut has no state_dict entries."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.stride = stride
        self.register_buffer("select", torch.eye(planes, inplanes).view(planes, inplanes, 1, 1, 1), persistent=False)

    def forward(self, x):
        return F.conv3d(x, self.select, stride=self.stride)


class ResNet3d(nn.Module):
    """conv1 7x7x7 -> bn1 -> relu -> maxpool 3/2 -> layer1..layer4 [-> adaptive avgpool -> flatten].

    layer_cfg: (stride, dilation) of layer1..layer4; shortcut "A" or "B"; bias_downsample for "B"."""

    def __init__(self, block, layers, widths, conv1_stride, layer_cfg, shortcut, bias_downsample, pooled):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv3d(1, widths[0], 7, stride=conv1_stride, padding=3, bias=False)
        self.bn1 = nn.BatchNorm3d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        for i, (n, planes, (stride, dilation)) in enumerate(zip(layers, widths, layer_cfg)):
            setattr(self, f"layer{i + 1}",
                    self._make_layer(block, planes, n, stride, dilation, shortcut, bias_downsample))
        self.pooled = pooled
        if pooled:
            self.avgpool = nn.AdaptiveAvgPool3d((1, 1, 1))
        self.out_channels = widths[3] * block.expansion

    def _make_layer(self, block, planes, blocks, stride, dilation, shortcut, bias_downsample):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            if shortcut == "A":
                downsample = ShortcutA(self.inplanes, planes * block.expansion, stride)
            else:
                downsample = nn.Sequential(
                    nn.Conv3d(self.inplanes, planes * block.expansion, 1, stride=stride, bias=bias_downsample),
                    nn.BatchNorm3d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride=stride, dilation=dilation, downsample=downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, dilation=dilation) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        if self.pooled:
            x = torch.flatten(self.avgpool(x), 1)
        return x


MED3D_DEPTHS = {10: (BasicBlock, [1, 1, 1, 1], "B"), 18: (BasicBlock, [2, 2, 2, 2], "A"),
                34: (BasicBlock, [3, 4, 6, 3], "A"), 50: (Bottleneck, [3, 4, 6, 3], "B")}


def med3d_resnet(w, depth, shortcut=None):
    """Tencent MedicalNet ResNet trunk (conv_seg dropped): layer3/layer4 dilated at stride 1, no bias downsample."""
    block, layers, default_shortcut = MED3D_DEPTHS[depth]
    return ResNet3d(block, layers, [w(64), w(128), w(256), w(512)], conv1_stride=2,
                    layer_cfg=[(1, 1), (2, 1), (1, 2), (1, 4)], shortcut=shortcut or default_shortcut,
                    bias_downsample=False, pooled=False)


def fmcib_resnet50(w, pooled=True):
    """MONAI resnet50(n_input_channels=1, widen_factor=2, conv1_t_stride=2, feed_forward=False), as FMCIB."""
    return ResNet3d(Bottleneck, [3, 4, 6, 3], [w(128), w(256), w(512), w(1024)], conv1_stride=2,
                    layer_cfg=[(1, 1), (2, 1), (2, 1), (2, 1)], shortcut="B", bias_downsample=True,
                    pooled=pooled)


# ----------------------------------------------------------------------------------------------------------
# ModelsGenesis UNet3D encoder
# ----------------------------------------------------------------------------------------------------------

class ContBatchNorm3d(nn.BatchNorm3d):
    """ModelsGenesis' batch norm. use_batch_stats=True reproduces the published forward (statistics of the
    current batch, always); False is ordinary eval-mode batch norm with the running statistics."""

    use_batch_stats = False

    def forward(self, x):
        if self.training or not self.use_batch_stats:
            return super().forward(x)
        # F.batch_norm(..., training=True) in eval(), written out so it exports to plain ONNX ops
        mean = x.mean(dim=(0, 2, 3, 4), keepdim=True)
        var = ((x - mean) ** 2).mean(dim=(0, 2, 3, 4), keepdim=True)
        y = (x - mean) / torch.sqrt(var + self.eps)
        return y * self.weight.view(1, -1, 1, 1, 1) + self.bias.view(1, -1, 1, 1, 1)


class LUConv(nn.Module):
    def __init__(self, in_chan, out_chan):
        super().__init__()
        self.conv1 = nn.Conv3d(in_chan, out_chan, kernel_size=3, padding=1)
        self.bn1 = ContBatchNorm3d(out_chan)
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.activation(self.bn1(self.conv1(x)))


class DownTransition(nn.Module):
    """ops = LUConv(in, 32*2^d), LUConv(32*2^d, 64*2^d); 2x max-pool afterwards except at depth 3."""

    def __init__(self, w, in_channel, depth):
        super().__init__()
        c = 32 * (2 ** depth)
        self.ops = nn.Sequential(LUConv(w(in_channel), w(c)), LUConv(w(c), w(2 * c)))
        self.maxpool = nn.MaxPool3d(2)
        self.current_depth = depth

    def forward(self, x):
        out = self.ops(x)
        return out if self.current_depth == 3 else self.maxpool(out)


class UNet3DEncoder(nn.Module):
    def __init__(self, w, bn_mode="running"):
        super().__init__()
        self.down_tr64 = DownTransition(w, 1, 0)
        self.down_tr128 = DownTransition(w, 64, 1)
        self.down_tr256 = DownTransition(w, 128, 2)
        self.down_tr512 = DownTransition(w, 256, 3)
        self.out_channels = w(512)
        for m in self.modules():
            if isinstance(m, ContBatchNorm3d):
                m.use_batch_stats = bn_mode == "batch"

    def forward(self, x):
        return self.down_tr512(self.down_tr256(self.down_tr128(self.down_tr64(x))))


# ----------------------------------------------------------------------------------------------------------
# building, weights, export
# ----------------------------------------------------------------------------------------------------------

def build(arch, width_scale=1.0, depth=18, norm="batch", genesis_bn="running", output_kind=None, shortcut=None):
    """Returns (model, output_kind). output_kind None = the architecture's default."""
    w = Widths(width_scale)
    if arch == "ctfm":
        model, kind = SegResEncoder(w, norm=norm), "feature_map"
    elif arch == "fmcib":
        kind = output_kind or "vector"
        model = fmcib_resnet50(w, pooled=kind == "vector")
    elif arch == "med3d":
        if depth not in MED3D_DEPTHS:
            raise ValueError(f"--depth for med3d must be one of {sorted(MED3D_DEPTHS)}, got {depth}")
        model, kind = med3d_resnet(w, depth, shortcut), "feature_map"
    elif arch == "genesis":
        model, kind = UNet3DEncoder(w, genesis_bn), "feature_map"
    else:
        raise ValueError(f"unknown arch {arch!r}; one of {ARCHS} (umedpt: see the module docstring)")
    output_kind = output_kind or kind
    if output_kind == "vector" and kind == "feature_map":
        model = GlobalAveragePool(model)
    return model, output_kind


class GlobalAveragePool(nn.Module):
    """Wraps a feature-map encoder to output the mean over D, H, W: [N, C]."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.out_channels = inner.out_channels

    def forward(self, x):
        return self.inner(x).mean(dim=(2, 3, 4))

    def load_target(self):
        return self.inner


def _load_file(path, trust):
    if path.endswith(".safetensors"):
        try:
            from safetensors.torch import load_file
        except ImportError:
            sys.exit("reading .safetensors needs the safetensors package (python3 -m pip install safetensors)")
        return load_file(path)
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # pickled objects other than tensors / containers
        if not trust:
            sys.exit(f"{path}: not loadable with weights_only=True ({type(e).__name__}: {e}). If you trust the "
                     "file, rerun with --trust-checkpoint to unpickle it fully.")
        return torch.load(path, map_location="cpu")


def extract_state_dict(obj):
    """A state_dict, or the one under 'state_dict' / 'trunk_state_dict' / 'model_state_dict' / 'model'."""
    for key in ("state_dict", "trunk_state_dict", "model_state_dict", "model"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            return obj[key], key
    if isinstance(obj, dict) and all(torch.is_tensor(v) for v in obj.values()):
        return obj, None
    raise ValueError("checkpoint is neither a state_dict nor a dict with a 'state_dict' key")


def match_prefix(state, wanted, extra_prefixes=()):
    """Strips 'module.', then the candidate prefix that makes the most keys match the model's.
    Returns (matched state_dict, unmatched checkpoint keys, prefix)."""
    state = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in state.items()}
    candidates = ["", "trunk.", "model.", "backbone.", "encoder.", "model.backbone.", "model.trunk.",
                  "model.encoder.", "net.", "model.net."] + list(extra_prefixes)
    best, best_hits = "", -1
    for p in candidates:
        hits = sum(1 for k in state if k.startswith(p) and k[len(p):] in wanted)
        if hits > best_hits:
            best, best_hits = p, hits
    matched, unmatched = {}, []
    for k, v in state.items():
        if k.startswith(best) and k[len(best):] in wanted:
            matched[k[len(best):]] = v
        else:
            unmatched.append(k)
    return matched, sorted(unmatched), best


def load_checkpoint(model, path, extra_prefixes=(), allow_missing=False, trust=False):
    """Loads a checkpoint into model, reporting missing/unexpected keys. Returns a report dict."""
    target = model.load_target() if hasattr(model, "load_target") else model
    state, container = extract_state_dict(_load_file(path, trust))
    wanted = target.state_dict()
    state, unexpected, prefix = match_prefix(state, wanted, extra_prefixes)
    missing = sorted(k for k in wanted if k not in state)
    harmless = [k for k in missing if k.endswith("num_batches_tracked")]
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    ignored = [k for k in unexpected if k.startswith(IGNORED_PREFIXES)]
    unexpected = [k for k in unexpected if not k.startswith(IGNORED_PREFIXES)]
    mismatched = [f"{k}: checkpoint {tuple(v.shape)} vs model {tuple(wanted[k].shape)}"
                  for k, v in state.items() if tuple(v.shape) != tuple(wanted[k].shape)]
    print(f"checkpoint {path}: container {container!r}, stripped prefix {prefix!r}, "
          f"{len(state)}/{len(wanted)} tensors matched", file=sys.stderr)
    for title, keys in (("missing (left at initialisation)", missing), ("shape mismatch", mismatched),
                        ("unexpected (ignored)", unexpected), ("decoder/head keys (ignored)", ignored),
                        ("missing num_batches_tracked (harmless)", harmless)):
        if keys:
            shown = ", ".join(keys[:12]) + (f", ... ({len(keys)} in all)" if len(keys) > 12 else "")
            print(f"  {title}: {shown}", file=sys.stderr)
    if mismatched:
        sys.exit("shape mismatch between checkpoint and architecture: wrong --arch/--depth/--norm, or a "
                 "--width-scale other than 1?")
    if missing and not allow_missing:
        sys.exit(f"{len(missing)} weights are missing from the checkpoint (see above); --allow-missing to "
                 "export anyway")
    target.load_state_dict(state, strict=False)
    return {"matched": len(state), "missing": missing, "unexpected": unexpected, "ignored": ignored,
            "prefix": prefix}


def calibrate_random(model, input_shape, seed, batches=4, batch_size=4):
    """Seeded data-dependent set-up of random weights: norm affine parameters perturbed (and ResNet residual branches
    damped), then BatchNorm running statistics accumulated (momentum=None: the plain average) over a few random
    batches in training mode."""
    g = torch.Generator().manual_seed(seed + 1)
    norms = [m for m in model.modules() if isinstance(m, (nn.BatchNorm3d, nn.InstanceNorm3d, nn.GroupNorm))]
    with torch.no_grad():
        for m in norms:
            if getattr(m, "weight", None) is not None:
                m.weight.copy_(1 + 0.2 * (torch.rand(m.weight.shape, generator=g) - 0.5))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
        # damp each ResNet residual branch (cf. torchvision's zero_init_residual) so the residual stream of a
        # random 50-layer network stays O(1) and an absolute 1e-4 parity tolerance stays meaningful
        for m in model.modules():
            last = m.bn3 if isinstance(m, Bottleneck) else m.bn2 if isinstance(m, BasicBlock) else None
            if last is not None:
                last.weight.mul_(0.25)
                last.bias.mul_(0.25)
    bns = [m for m in norms if isinstance(m, nn.BatchNorm3d)]
    if not bns:
        return
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            # uniform noise with a random contrast and offset per sample, so that deep 1x1x1 features vary
            # between samples and no running variance is tiny (which would amplify float32 rounding)
            scale = 0.25 + 1.5 * torch.rand((batch_size, 1, 1, 1, 1), generator=g)
            shift = 0.5 * torch.rand((batch_size, 1, 1, 1, 1), generator=g)
            model(shift + scale * torch.rand((batch_size, 1) + tuple(input_shape), generator=g))
    for m, mom in zip(bns, saved):
        m.momentum = mom
    model.eval()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", required=True, choices=ARCHS + ("umedpt",),
                   help="umedpt is not exportable yet (see above)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", metavar="PATH",
                     help="PyTorch state_dict (.pt/.pth/.torch, or .safetensors) or a full checkpoint holding one "
                          "under 'state_dict' / 'trunk_state_dict' / 'model_state_dict' / 'model'")
    src.add_argument("--random-weights", action="store_true", help="no checkpoint: seeded random weights")
    p.add_argument("--seed", type=int, default=0, help="seed for --random-weights (default 0)")
    p.add_argument("--width-scale", type=float, default=1.0,
                   help="divide channel widths by this (tiny test models); 1 = the published architecture")
    p.add_argument("--depth", type=int, default=18, choices=sorted(MED3D_DEPTHS), help="med3d: ResNet depth")
    p.add_argument("--shortcut", choices=("A", "B"), help="med3d: override MedicalNet's shortcut type")
    p.add_argument("--norm", default="auto", choices=("auto", "batch", "instance", "group"),
                   help="ctfm: normalisation (auto: batch, or instance if the checkpoint has no running stats)")
    p.add_argument("--genesis-bn", default="running", choices=("running", "batch"),
                   help="genesis: 'running' = eval-mode BN with running statistics (deterministic, default); "
                        "'batch' = the published ContBatchNorm3d (statistics of the current batch)")
    p.add_argument("--output-kind", choices=("feature_map", "vector"),
                   help="default: vector for fmcib, feature_map otherwise; vector on a feature-map encoder "
                        "appends a global average pool")
    p.add_argument("--input-shape", type=int, nargs=3, metavar=("D", "H", "W"), default=None,
                   help="spatial shape of the export input. Without --dynamic-spatial the ONNX model accepts "
                        "only this D H W (default: ctfm 24 128 128, fmcib 50 50 50, med3d 56 112 112, "
                        "genesis 32 64 64)")
    p.add_argument("--dynamic-spatial", action="store_true", help="make D, H, W dynamic axes too")
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--out", required=True, metavar="FILE.onnx")
    p.add_argument("--strip-prefix", action="append", default=[], metavar="PREFIX",
                   help="extra checkpoint key prefix to try stripping (repeatable)")
    p.add_argument("--allow-missing", action="store_true", help="export even if checkpoint weights are missing")
    p.add_argument("--trust-checkpoint", action="store_true",
                   help="allow full unpickling when weights_only loading fails (only for files you trust)")
    p.add_argument("--no-calibrate", action="store_true",
                   help="random weights: skip the BatchNorm running-statistics calibration")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = torch default)")
    return p.parse_args(argv)


DEFAULT_SHAPES = {"ctfm": (24, 128, 128), "fmcib": (50, 50, 50), "med3d": (56, 112, 112), "genesis": (32, 64, 64)}


def checkpoint_has_running_stats(path, trust):
    state, _ = extract_state_dict(_load_file(path, trust))
    return any(k.endswith("running_mean") for k in state)


def export(argv=None):
    """CLI entry point; returns (model in eval mode, sidecar dict) so callers can run the exported network."""
    a = parse_args(argv)
    if a.arch == "umedpt":
        sys.exit("umedpt: its encoder is not published in enough detail to rebuild; see the module docstring")
    torch.use_deterministic_algorithms(True)
    if a.threads:
        torch.set_num_threads(a.threads)
    shape = tuple(a.input_shape) if a.input_shape else DEFAULT_SHAPES[a.arch]
    if a.checkpoint and a.width_scale != 1:
        sys.exit("--width-scale other than 1 cannot load a published checkpoint")
    norm = a.norm
    if norm == "auto":
        norm = "batch"
        if a.arch == "ctfm" and a.checkpoint and not checkpoint_has_running_stats(a.checkpoint, a.trust_checkpoint):
            norm = "instance"
    divisor = {"ctfm": 16, "genesis": 16, "med3d": 1, "fmcib": 1}[a.arch]
    if any(s % divisor for s in shape):
        print(f"warning: {a.arch} expects every spatial dim divisible by {divisor}, got {shape}", file=sys.stderr)

    torch.manual_seed(a.seed)
    model, kind = build(a.arch, a.width_scale, a.depth, norm, a.genesis_bn, a.output_kind, a.shortcut)
    if a.checkpoint:
        load_checkpoint(model, a.checkpoint, a.strip_prefix, a.allow_missing, a.trust_checkpoint)
        weights = "sha256:" + sha256(a.checkpoint)
    else:
        if not a.no_calibrate:
            calibrate_random(model, shape, a.seed)
        weights = f"random seed {a.seed}"
    model.eval()

    dummy = torch.rand((1, 1) + shape, generator=torch.Generator().manual_seed(a.seed + 2))
    with torch.no_grad():
        example_out = model(dummy)
    axes = {0: "N"}
    if a.dynamic_spatial:
        axes.update({2: "D", 3: "H", 4: "W"})
    out_axes = {0: "N"}
    if a.dynamic_spatial and kind == "feature_map":
        out_axes.update({2: "Dp", 3: "Hp", 4: "Wp"})
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, dummy, a.out, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                          dynamic_axes={INPUT_NAME: axes, OUTPUT_NAME: out_axes}, opset_version=a.opset,
                          do_constant_folding=True, export_params=True)
    import onnx
    onnx.checker.check_model(onnx.load(a.out), full_check=True)  # not the path: that rewrites the file

    sidecar = {
        "arch": a.arch,
        "input_name": INPUT_NAME,
        "output_name": OUTPUT_NAME,
        "output_kind": kind,
        "channels": int(example_out.shape[1]),
        "input_shape_example": list(dummy.shape),
        "output_shape_example": list(example_out.shape),
        "dynamic_axes": {"input": {str(k): v for k, v in axes.items()},
                         "features": {str(k): v for k, v in out_axes.items()}},
        "opset": a.opset,
        "weights": weights,
        "width_scale": a.width_scale,
        "torch_version": torch.__version__,
        "options": {"depth": a.depth if a.arch == "med3d" else None,
                    "shortcut": (a.shortcut or MED3D_DEPTHS[a.depth][2]) if a.arch == "med3d" else None,
                    "norm": norm if a.arch == "ctfm" else None,
                    "genesis_bn": a.genesis_bn if a.arch == "genesis" else None},
    }
    with open(a.out + ".json", "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    print(f"{a.out}: {a.arch} {kind} {list(dummy.shape)} -> {list(example_out.shape)}, "
          f"{os.path.getsize(a.out)} bytes, weights {weights}", file=sys.stderr)
    return model, sidecar


if __name__ == "__main__":
    export()
