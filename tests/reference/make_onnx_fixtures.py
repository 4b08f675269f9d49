#!/usr/bin/python3
"""Writes the ONNX encoder fixtures under tests/Crlm.Tabular.Tests/Fixtures/onnx: tiny random-weight variants of four
of the studied FM encoder architectures, exported by tools/export_encoders.py, with a fixed input and PyTorch's
output on it, for the ONNX-Runtime-vs-PyTorch parity tests (issue 5: match to 1e-4).

Run once with Debian 12's Python stack (/usr/bin/python3: python3-torch 1.13, python3-onnx 1.12, numpy 1.24), from
the repository root:
    /usr/bin/python3 tests/reference/make_onnx_fixtures.py
CI never regenerates them; onnxruntime is not needed here (the C# tests run the .onnx files).

Per architecture <arch> (all from tools/export_encoders.py --random-weights --seed S --width-scale F, so the real
layer structure, kernels, strides, dilations and module names with channel widths divided by F):
  <arch>.onnx          input "input" float32 [N, 1, D, H, W], dynamic N; output "features"
  <arch>.onnx.json     the exporter's sidecar (arch, tensor names, output_kind, channels, opset, weights, ...)
  <arch>.input.bin     the fixed seeded input, float32 [2, 1, 16, 32, 32], raw little-endian, C order
  <arch>.output.bin    PyTorch's output for it (eval mode, no_grad, float32, CPU, 1 thread), same encoding
  <arch>.cases.json    shapes, dtype, byte order, tolerance, and "pooled": the global average of the output per
                       sample over D, H, W ([N, C], computed in float64 by numpy; for a "vector" output it is
                       the output itself), plus a few statistics of the output

  ctfm     SegResEncoder (1,2,2,4,4), BatchNorm, width /32   -> feature map [N, 16, 1, 2, 2]
  fmcib    ResNet50-3D widen 2, width /64, pooled            -> vector      [N, 128]
  med3d    MedicalNet ResNet-18 (shortcut A, dilated layer3/4), width /24 -> feature map [N, 21, 2, 4, 4]
  genesis  UNet3D encoder, running-statistics BN, width /16  -> feature map [N, 32, 2, 4, 4]

Checks made here: each .onnx passes onnx.checker (full check, with shape inference) and its inferred output shape
is the PyTorch output's with a symbolic batch; the graph, evaluated in float64 by onnx_numpy_eval.py (a small numpy
interpreter for the operators these graphs use), matches PyTorch's float32 output within 2.5e-5 (a quarter of the
tolerance, so ONNX Runtime can match to 1e-4); exporting a second time gives a byte-identical .onnx and a
bit-identical PyTorch output; the output of sample 0 alone equals sample 0 of the batch (embeddings do not depend
on the batch: the ModelsGenesis trap); each .onnx is under 1 MiB and all fixtures together under 3 MiB.
"""
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import torch

assert torch.__version__.startswith("1.13"), f"fixtures were made with torch 1.13, this is {torch.__version__}"
assert np.__version__.startswith("1.24"), f"fixtures were made with numpy 1.24, this is {np.__version__}"
assert onnx.__version__.startswith("1.12"), f"fixtures were made with onnx 1.12, this is {onnx.__version__}"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "tests", "Crlm.Tabular.Tests", "Fixtures", "onnx")
sys.path.insert(0, os.path.join(REPO, "tools"))
import export_encoders  # noqa: E402
import onnx_numpy_eval  # noqa: E402  (next to this script)

SHAPE = (2, 1, 16, 32, 32)  # every dim divisible by 16 (CT-FM, ModelsGenesis)
TOLERANCE = {"atol": 1e-4, "rtol": 1e-4}
FIXTURES = {  # arch: (seed, width scale, extra exporter options)
    "ctfm": (101, 32, []),
    "fmcib": (102, 64, []),
    "med3d": (103, 24, ["--depth", "18"]),
    "genesis": (104, 16, ["--genesis-bn", "running"]),
}

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def export(arch, path):
    seed, scale, extra = FIXTURES[arch]
    argv = ["--arch", arch, "--random-weights", "--seed", str(seed), "--width-scale", str(scale),
            "--input-shape", *map(str, SHAPE[2:]), "--out", path, "--threads", "1"] + extra
    model, sidecar = export_encoders.export(argv)
    return model.eval(), sidecar


def run(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def write_f32(path, a):
    a = np.ascontiguousarray(a, dtype="<f4")
    with open(path, "wb") as f:
        f.write(a.tobytes(order="C"))


def check_onnx(path, out_shape):
    model = onnx.load(path)
    # check the loaded proto: onnx 1.12's check_model(path, full_check=True) writes the inferred shapes back into
    # the file
    onnx.checker.check_model(model, full_check=True)
    m = onnx.shape_inference.infer_shapes(model)
    (inp,), (outp,) = m.graph.input, m.graph.output
    assert inp.name == "input" and outp.name == "features", (inp.name, outp.name)
    dims = [d.dim_param or d.dim_value for d in outp.type.tensor_type.shape.dim]
    assert dims == ["N"] + list(out_shape[1:]), f"{path}: inferred output {dims}, PyTorch {list(out_shape)}"
    return dims


def main():
    os.makedirs(OUT, exist_ok=True)
    written = []
    for arch, (seed, scale, _) in FIXTURES.items():
        onnx_path = os.path.join(OUT, f"{arch}.onnx")
        model, sidecar = export(arch, onnx_path)
        x = np.random.default_rng(seed).random(SHAPE, dtype=np.float32)
        y = run(model, x)
        assert y.dtype == np.float32 and np.isfinite(y).all()
        dims = check_onnx(onnx_path, y.shape)

        # determinism: a second export is byte-identical and computes bit-identical outputs
        with tempfile.TemporaryDirectory() as tmp:
            again = os.path.join(tmp, f"{arch}.onnx")
            model2, sidecar2 = export(arch, again)
            with open(onnx_path, "rb") as f1, open(again, "rb") as f2:
                assert f1.read() == f2.read(), f"{arch}: a second export differs"
            assert sidecar2 == sidecar
        assert np.array_equal(run(model2, x), y), f"{arch}: a second export computes different outputs"
        # no batch dependence: sample 0 alone is sample 0 of the batch
        alone = run(model, x[:1])
        batch_diff = float(np.abs(alone - y[:1]).max())
        assert np.allclose(alone, y[:1], rtol=1e-5, atol=1e-5), f"{arch}: output depends on the batch ({batch_diff})"

        # the exported graph itself, evaluated in float64 by numpy (onnxruntime is not in Debian's stack): it must
        # compute PyTorch's output, and PyTorch's float32 error must leave room under the 1e-4 tolerance
        exact = onnx_numpy_eval.evaluate(onnx_path, x)["features"]
        f32_error = float(np.abs(exact - y).max())
        assert f32_error <= TOLERANCE["atol"] / 4, f"{arch}: |float32 - float64 ONNX evaluation| = {f32_error}"

        y64 = y.astype(np.float64)
        pooled = y64.mean(axis=(2, 3, 4)) if y.ndim == 5 else y64
        write_f32(os.path.join(OUT, f"{arch}.input.bin"), x)
        write_f32(os.path.join(OUT, f"{arch}.output.bin"), y)
        cases = {
            "arch": arch,
            "generator": "tests/reference/make_onnx_fixtures.py",
            "onnx": f"{arch}.onnx",
            "input_name": sidecar["input_name"],
            "output_name": sidecar["output_name"],
            "output_kind": sidecar["output_kind"],
            "weights": sidecar["weights"],
            "width_scale": sidecar["width_scale"],
            "input_seed": seed,
            "input": {"file": f"{arch}.input.bin", "shape": list(x.shape), "dtype": "float32",
                      "byte_order": "little", "layout": "C", "values": "numpy default_rng(seed).random, [0, 1)"},
            "output": {"file": f"{arch}.output.bin", "shape": list(y.shape), "dtype": "float32",
                       "byte_order": "little", "layout": "C", "onnx_inferred_shape": dims},
            "pooled": {"method": ("mean over D, H, W in float64" if y.ndim == 5 else
                                  "the output itself (already a vector), in float64"),
                       "shape": list(pooled.shape), "values": [[float(v) for v in row] for row in pooled]},
            "tolerance": TOLERANCE,
            "stats": {"min": float(y.min()), "max": float(y.max()), "mean_abs": float(np.abs(y64).mean()),
                      "batch_of_one_max_abs_diff": batch_diff,
                      "float32_vs_float64_onnx_max_abs_diff": f32_error},
            "torch_version": torch.__version__,
        }
        with open(os.path.join(OUT, f"{arch}.cases.json"), "w") as f:
            json.dump(cases, f, indent=2)
            f.write("\n")
        written += [f"{arch}{ext}" for ext in (".onnx", ".onnx.json", ".input.bin", ".output.bin", ".cases.json")]
        print(f"{arch}: input {list(x.shape)} -> output {list(y.shape)} ({sidecar['output_kind']}), "
              f"|y| mean {cases['stats']['mean_abs']:.4g}, max {np.abs(y).max():.4g}")

    total = 0
    for name in written:
        size = os.path.getsize(os.path.join(OUT, name))
        total += size
        print(f"  {name:24s} {size:9d} bytes")
        if name.endswith(".onnx"):
            assert size < 1 << 20, f"{name} is over 1 MiB"
    print(f"  {'total':24s} {total:9d} bytes")
    assert total < 3 << 20, "fixtures over 3 MiB"


if __name__ == "__main__":
    main()
