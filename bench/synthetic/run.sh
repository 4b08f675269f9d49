#!/usr/bin/env bash
# Synthetic cohort generation: wall time of `crlm synth` and the quartiles of the metastasis volumes it wrote.
#
#   bench/synthetic/run.sh [--patients N] [--seed S] [--size small|paper] [--out DIR]
#
# Prints one JSON object (seconds, patients, scans, metastases, written volume quartiles in cm3, the study's
# targets) for docs/synthetic-cohort.md. Release build; the output folder is emptied first.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
patients=100; seed=1; size=small; out="${TMPDIR:-/tmp}/crlm-bench-synth"
while (($#)); do
    case "$1" in
        --patients) patients="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --size) size="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "usage: $0 [--patients N] [--seed S] [--size small|paper] [--out DIR]" >&2; exit 2 ;;
    esac
done
dotnet build "$repo/src/Crlm.Cli" -c Release -v quiet -nologo | tail -n 1
rm -rf "$out"
start=$(date +%s.%N)
dotnet "$repo/src/Crlm.Cli/bin/Release/net10.0/crlm.dll" synth --out "$out" --patients "$patients" --seed "$seed" --size "$size" >/dev/null
seconds=$(echo "$(date +%s.%N) - $start" | bc)
python3 - "$out/truth.json" "$seconds" "$patients" "$size" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
# Every scan of a patient repeats its lesions: count each (patient, lesion id) once.
volumes = sorted({(s["patient_id"], l["id"]): l["volume_cm3"]
                  for s in truth["scans"] for l in s["lesions"] if l["type"] == "metastasis"}.values())
def quantile(q):  # linear interpolation, numpy's default
    at = q * (len(volumes) - 1); lo = int(at); hi = min(lo + 1, len(volumes) - 1)
    return volumes[lo] + (volumes[hi] - volumes[lo]) * (at - lo)
print(json.dumps({
    "seconds": round(float(sys.argv[2]), 2), "patients": int(sys.argv[3]), "size": sys.argv[4],
    "scans": len(truth["scans"]), "metastases": len(volumes),
    "written_volume_cm3": {"q1": round(quantile(0.25), 2), "median": round(quantile(0.5), 2), "q3": round(quantile(0.75), 2)} if volumes else None,
    "study_target_cm3": {"q1": 0.80, "median": 3.03, "q3": 11.49},
}, indent=2))
PY
