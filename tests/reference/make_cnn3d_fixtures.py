#!/usr/bin/python3
"""Writes the cnn3d parity fixtures under tests/Crlm.Deep.Tests/Fixtures/cnn3d: tiny 3D ResNets in PyTorch with
seeded random weights, their state_dicts, one seeded input and PyTorch's eval-mode outputs on it.

Run once with Debian 12's Python stack (/usr/bin/python3 with python3-torch 1.13), from the repository root:
    /usr/bin/python3 tests/reference/make_cnn3d_fixtures.py
CI never regenerates them. The C# tests (tests/Crlm.Deep.Tests/Cnn3dParityTests.cs) load each state_dict into
Crlm.Deep.ResNet3d, run the same input and compare with what is recorded here.

The architecture below is written from the description of Tencent MedicalNet's (Med3D) 3D ResNet, not from the
C# code: conv1 7x7x7 stride 2 padding 3 without bias on 1 channel, bn1, relu, maxpool 3/2/1, then four stages of
BasicBlocks (depth 10/18/34) or Bottlenecks (depth 50) with strides 1, 2, 1, 1 and dilations 1, 1, 2, 4. The first
block of a stage whose stride or channel count changes gets a shortcut: type B is a 1x1x1 convolution plus batch
norm (downsample.0, downsample.1), type A is a parameter-free subsampling with zero channels appended.

Models (batch norm running statistics are measured on random data, then perturbed, and the affine parameters
randomised, so that batch norm matters and a layer whose statistics were not loaded shows up):
  resnet10_w8_B   depth 10, width 8, shortcut B, torch.save of the plain state_dict (resnet10_w8_B.pt)
  resnet50_w4_B   depth 50, width 4, shortcut B, written as safetensors (resnet50_w4_B.safetensors): the second
                  loader PyBridge offers; written here by hand since Debian has no python3-safetensors
  resnet10_w2_A   depth 10, width 2, shortcut A, saved like a MedicalNet release checkpoint: a dict with
                  "state_dict" whose keys carry nn.DataParallel's "module." prefix (resnet10_w2_A.pth)
For each: <name>.embedding.f32 (pooled, [2, C]) and <name>.layer4.f32 (layer4 map, [2, C, d, h, w]), raw
little-endian float32 in C order. input.f32 is the input, [2, 1, 16, 24, 24]. manifest.json has the shapes.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), f"fixtures were made with torch 1.13, this is {torch.__version__}"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "tests", "Crlm.Deep.Tests", "Fixtures", "cnn3d")
INPUT_SHAPE = (2, 1, 16, 24, 24)

# blocks per stage, and whether the stage uses bottlenecks (expansion 4) or basic blocks (expansion 1)
DEPTHS = {10: ([1, 1, 1, 1], False), 18: ([2, 2, 2, 2], False), 34: ([3, 4, 6, 3], False), 50: ([3, 4, 6, 3], True)}
STAGE_STRIDES = [1, 2, 1, 1]
STAGE_DILATIONS = [1, 1, 2, 4]

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)


class ZeroPadShortcut(nn.Module):
    """Shortcut A: take every stride-th voxel and append zero channels up to `channels`. No parameters."""

    def __init__(self, channels, stride):
        super().__init__()
        self.channels = channels
        self.stride = stride

    def forward(self, x):
        y = x[:, :, :: self.stride, :: self.stride, :: self.stride]
        pad = torch.zeros(y.shape[0], self.channels - y.shape[1], *y.shape[2:], dtype=y.dtype)
        return torch.cat([y, pad], dim=1)


def conv(cin, cout, k, stride=1, dilation=1):
    return nn.Conv3d(cin, cout, k, stride=stride, padding=dilation * (k // 2), dilation=dilation, bias=False)


class Block(nn.Module):
    """One residual block; `bottleneck` picks 1-3-1 convolutions (x4 output channels) over two 3x3x3 ones."""

    def __init__(self, cin, planes, stride, dilation, bottleneck, shortcut):
        super().__init__()
        cout = planes * (4 if bottleneck else 1)
        self.bottleneck = bottleneck
        if bottleneck:
            self.conv1 = conv(cin, planes, 1)
            self.bn1 = nn.BatchNorm3d(planes)
            self.conv2 = conv(planes, planes, 3, stride, dilation)
            self.bn2 = nn.BatchNorm3d(planes)
            self.conv3 = conv(planes, cout, 1)
            self.bn3 = nn.BatchNorm3d(cout)
        else:
            self.conv1 = conv(cin, planes, 3, stride, dilation)
            self.bn1 = nn.BatchNorm3d(planes)
            self.conv2 = conv(planes, planes, 3, 1, dilation)
            self.bn2 = nn.BatchNorm3d(planes)
        self.relu = nn.ReLU()
        if shortcut is None:
            self.downsample = None
        elif shortcut == "B":
            self.downsample = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm3d(cout))
        else:
            self.downsample = ZeroPadShortcut(cout, stride)

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        if self.bottleneck:
            y = self.relu(self.bn2(self.conv2(y)))
            y = self.bn3(self.conv3(y))
        else:
            y = self.bn2(self.conv2(y))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(y + identity)


class Encoder(nn.Module):
    def __init__(self, depth, width, shortcut):
        super().__init__()
        counts, bottleneck = DEPTHS[depth]
        self.conv1 = conv(1, width, 7, stride=2)
        self.bn1 = nn.BatchNorm3d(width)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool3d(3, stride=2, padding=1)
        cin = width
        for stage in range(4):
            planes = width * 2 ** stage
            cout = planes * (4 if bottleneck else 1)
            blocks = []
            for i in range(counts[stage]):
                stride = STAGE_STRIDES[stage] if i == 0 else 1
                needs = i == 0 and (stride != 1 or cin != cout)
                blocks.append(Block(cin, planes, stride, STAGE_DILATIONS[stage], bottleneck, shortcut if needs else None))
                cin = cout
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.channels = cin
        self.bottleneck = bottleneck

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3, 4))


def randomise(model, seed):
    """Kaiming-normal convolutions (MedicalNet's initialisation), then batch norm statistics measured on random
    data and perturbed, and random affine terms.

    Why measured: with made-up statistics the error compounds over 50 layers and the outputs reach thousands,
    where float32 rounding alone exceeds the 1e-4 tolerance. Each batch norm in turn gets the eval-mode mean and
    variance of its own input (all layers before it already in eval mode), so every layer sees values of order 1.
    Each batch norm is calibrated after the ones before it were set, so the order of modules() matters: it is the
    order of construction, which follows the forward pass except for a shortcut, whose input is set already.
    """
    g = torch.Generator().manual_seed(seed)
    model.eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv3d):
                fan_out = m.weight.shape[0] * m.weight[0, 0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_out) ** 0.5)
        calibration = torch.randn(INPUT_SHAPE, generator=g)
        last_in_branch = ".bn3" if model.bottleneck else ".bn2"
        for name, m in model.named_modules():
            if not isinstance(m, nn.BatchNorm3d):
                continue
            seen = []
            hook = m.register_forward_pre_hook(lambda _, inputs: seen.append(inputs[0]))
            model(calibration)
            hook.remove()
            mean = seen[0].mean(dim=(0, 2, 3, 4))
            var = seen[0].var(dim=(0, 2, 3, 4), unbiased=False)
            n = m.num_features
            m.running_mean.copy_(mean + 0.1 * torch.randn(n, generator=g) * var.sqrt())
            m.running_var.copy_(var * (0.7 + 0.7 * torch.rand(n, generator=g)))
            m.weight.copy_(0.6 + 0.8 * torch.rand(n, generator=g))
            if name.startswith("layer") and name.endswith(last_in_branch):
                # Smaller residual branches keep the sum over 16 bottlenecks of order 10, not 100: float32
                # rounding of values near 100 is already 1e-5, too close to the tolerance.
                m.weight.mul_(0.3)
            m.bias.copy_(0.2 * torch.randn(n, generator=g))
            m.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=g)))


def write_f32(name, t):
    t = t.detach().to(torch.float32).contiguous()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack(f"<{t.numel()}f", *t.flatten().tolist()))
    return {"file": name, "shape": list(t.shape)}


def write_safetensors(path, state):
    """The safetensors layout: u64 header length, a JSON header of dtype/shape/offsets, the raw tensors."""
    names = {torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for key, t in state.items():
        data = t.detach().contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[key] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header with spaces to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    os.makedirs(OUT, exist_ok=True)
    x = torch.randn(INPUT_SHAPE, generator=torch.Generator().manual_seed(1234))
    manifest = {"torch": torch.__version__, "input": write_f32("input.f32", x), "models": {}}

    for name, depth, width, shortcut, seed in [
        ("resnet10_w8_B", 10, 8, "B", 10),
        ("resnet50_w4_B", 50, 4, "B", 50),
        ("resnet10_w2_A", 10, 2, "A", 2),
    ]:
        model = Encoder(depth, width, shortcut)
        randomise(model, seed)
        with torch.no_grad():
            features = model.features(x)
            embedding = model(x)
        state = model.state_dict()
        if name.endswith("_A"):
            checkpoint = f"{name}.pth"
            torch.save({"epoch": 7, "state_dict": {"module." + k: v for k, v in state.items()}},
                       os.path.join(OUT, checkpoint))
        elif depth == 50:
            checkpoint = f"{name}.safetensors"
            write_safetensors(os.path.join(OUT, checkpoint), state)
        else:
            checkpoint = f"{name}.pt"
            torch.save(state, os.path.join(OUT, checkpoint))
        manifest["models"][name] = {
            "depth": depth, "width": width, "shortcut": shortcut, "checkpoint": checkpoint, "keys": len(state),
            "embedding": write_f32(f"{name}.embedding.f32", embedding),
            "layer4": write_f32(f"{name}.layer4.f32", features),
            "embedding_abs_max": float(embedding.abs().max()), "layer4_abs_max": float(features.abs().max()),
        }
        print(name, "embedding", tuple(embedding.shape), "max |.|", float(embedding.abs().max()),
              "layer4", tuple(features.shape), "max |.|", float(features.abs().max()))

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{total} bytes in {OUT}")
    assert total < 2 * 1024 * 1024, "fixtures must stay under 2 MiB"


if __name__ == "__main__":
    main()
