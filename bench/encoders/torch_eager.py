#!/usr/bin/python3
"""PyTorch-eager side of bench/encoders/run.sh: the same architecture, weights and inputs as the ONNX file the C#
side runs (both come from tools/export_encoders.py with the same seed), timed the way a Python notebook would
embed a cohort: eval mode, no_grad, batches of B volumes, T intra-op threads.

  torch_eager.py --arch A [--depth N] --seed S --shape D H W --scans N --batch B --threads T --inputs FILE

Prints one JSON object: scans/s (after one warm-up batch), seconds, and the pooled embedding of the first
input (to check that both sides computed the same thing).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import export_encoders  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True)
    ap.add_argument("--depth", type=int, default=18)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--shape", type=int, nargs=3, required=True, metavar=("D", "H", "W"))
    ap.add_argument("--scans", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--inputs", required=True, help="float32 little-endian [scans, D, H, W] file")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    # The exporter's own model (same seed, same calibration): export() returns the network it exported.
    scratch = os.path.join(os.path.dirname(os.path.abspath(args.inputs)), f"torch-side-{args.arch}.onnx")
    argv = ["--arch", args.arch, "--random-weights", "--seed", str(args.seed), "--input-shape", *map(str, args.shape),
            "--out", scratch, "--depth", str(args.depth), "--threads", str(args.threads)]
    model, _ = export_encoders.export(argv)
    model.eval()
    torch.use_deterministic_algorithms(False)  # timing as a user runs it

    d, h, w = args.shape
    volumes = np.fromfile(args.inputs, dtype="<f4").reshape(args.scans, 1, d, h, w)
    pooled = []
    with torch.no_grad():
        warm = torch.from_numpy(volumes[: args.batch].copy())
        model(warm)
        start = time.perf_counter()
        for first in range(0, args.scans, args.batch):
            out = model(torch.from_numpy(volumes[first:first + args.batch].copy()))
            pooled.append(out.mean(dim=tuple(range(2, out.dim()))) if out.dim() > 2 else out)
        seconds = time.perf_counter() - start
    first = pooled[0][0].double().numpy()
    print(json.dumps({"scans": args.scans, "seconds": seconds, "scans_per_s": args.scans / seconds,
                      "threads": torch.get_num_threads(), "torch": torch.__version__,
                      "first_embedding": [float(v) for v in first]}))


if __name__ == "__main__":
    main()
