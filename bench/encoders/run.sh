#!/usr/bin/env bash
# Embedding throughput: the C# ONNX encoder (ML.NET's OnnxTransformer over ONNX Runtime, bench/encoders/OnnxThroughput)
# against Debian's PyTorch eager on the same architecture, weights, inputs, batch and thread count.
#
#   bench/encoders/run.sh [--scans N] [--batch B] [--threads T] [--shape D H W] [--work DIR]
#
# Both sides get the full-width architecture with seeded random weights from tools/export_encoders.py (the same
# seed gives the same network on both sides), N float32 volumes of D x H x W, one warm-up batch, then N scans
# timed. Checks that both computed the same embedding for the first scan. Results: bench/encoders/results/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scans=16; batch=4; threads="$(nproc)"; shape=(48 128 128); work="${TMPDIR:-/tmp}/crlm-bench-encoders"
while (($#)); do
    case "$1" in
        --scans) scans="$2"; shift 2 ;;
        --batch) batch="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --shape) shape=("$2" "$3" "$4"); shift 4 ;;
        --work) work="$2"; shift 2 ;;
        *) echo "usage: $0 [--scans N] [--batch B] [--threads T] [--shape D H W] [--work DIR]" >&2; exit 2 ;;
    esac
done
/usr/bin/python3 -c 'import torch, onnx' 2>/dev/null || { echo "error: needs Debian's python3-torch and python3-onnx" >&2; exit 2; }
mkdir -p "$work" "$repo/bench/encoders/results"
echo "== build (Release)"
dotnet build "$repo/bench/encoders/OnnxThroughput" -c Release -v quiet -nologo | tail -n 2
csharp=(dotnet "$repo/bench/encoders/OnnxThroughput/bin/Release/net10.0/OnnxThroughput.dll")

inputs="$work/inputs.bin"
/usr/bin/python3 -c "import numpy as np, sys; np.random.default_rng(5).random(($scans, ${shape[0]}, ${shape[1]}, ${shape[2]}), dtype=np.float32).astype('<f4').tofile(sys.argv[1])" "$inputs"

for spec in "med3d 18" "genesis 18"; do
    read -r arch depth <<<"$spec"
    name="$arch$([[ $arch == med3d ]] && echo "-$depth" || true)"
    echo "== $name: $scans scans of ${shape[*]} (D H W), batch $batch, $threads threads"
    /usr/bin/python3 "$repo/tools/export_encoders.py" --arch "$arch" --depth "$depth" --random-weights --seed 11 \
        --input-shape "${shape[@]}" --out "$work/$name.onnx" >/dev/null
    "${csharp[@]}" "$work/$name.onnx" "$inputs" "$scans" "${shape[@]}" "$batch" "$threads" >"$work/$name.csharp.json"
    /usr/bin/python3 "$repo/bench/encoders/torch_eager.py" --arch "$arch" --depth "$depth" --seed 11 --shape "${shape[@]}" \
        --scans "$scans" --batch "$batch" --threads "$threads" --inputs "$inputs" >"$work/$name.torch.json"
    /usr/bin/python3 - "$work/$name.csharp.json" "$work/$name.torch.json" "$name" "${shape[*]}" "$batch" >"$repo/bench/encoders/results/$name.json" <<'PY'
import json, sys
cs, pt = (json.load(open(p)) for p in sys.argv[1:3])
diff = max(abs(a - b) for a, b in zip(cs["first_embedding"], pt["first_embedding"]))
json.dump({"model": sys.argv[3], "shape_dhw": sys.argv[4], "batch": int(sys.argv[5]), "threads": cs["threads"],
           "scans": cs["scans"], "onnx_csharp_scans_per_s": cs["scans_per_s"], "torch_eager_scans_per_s": pt["scans_per_s"],
           "ratio": cs["scans_per_s"] / pt["scans_per_s"], "first_embedding_max_abs_diff": diff,
           "embedding_size": len(cs["first_embedding"]), "torch": pt["torch"]}, sys.stdout, indent=2)
print()
PY
    cat "$repo/bench/encoders/results/$name.json"
done
