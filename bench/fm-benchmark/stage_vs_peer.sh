#!/usr/bin/env bash
# The whole FM benchmark, ours against the peer, on the SAME embeddings with the SAME budget:
#
#   bench/fm-benchmark/stage_vs_peer.sh SPEC.yaml [ENCODER]
#
# 1. `crlm run SPEC.yaml` (its stages must end with embed, benchmark): our search, refit and test evaluation;
# 2. ../shared/peers/fm_benchmark.py on the embed stage's own tables (OUT/embeddings/ENCODER/{train,test}.csv) with
#    the spec's trials, folds and seed (the peer's Optuna TPE, scikit-learn/imbalanced-learn, 1 BLAS thread);
# 3. the peer's scan predictions averaged per patient (as our stage does) and scored by ../shared/peers/metrics.py
#    (AUC with a 1000-resample patient bootstrap CI), so both test AUCs are per patient on the same patients.
# Prints one JSON object and writes it to bench/fm-benchmark/results/stage_vs_peer_<spec name>_<encoder>.json.
# Needs Debian's python3-sklearn python3-imblearn python3-optuna python3-pandas (see docs/benchmarks.md).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${CRLM_PEERS:-$repo/../shared/peers}"
spec="$(realpath "${1:?usage: $0 SPEC.yaml [ENCODER]}")"; encoder="${2:-radiomics}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

dotnet build "$repo/src/Crlm.Cli" -c Release -v quiet -nologo | tail -n 1
start=$(date +%s.%N)
dotnet "$repo/src/Crlm.Cli/bin/Release/net10.0/crlm.dll" run "$spec" | tee "$work/ours.log" | grep -vE '\[[#.]+\]' | tail -n 12
ours_wall=$(echo "$(date +%s.%N) - $start" | bc)
run_dir=$(sed -n 's/^done in .* run record: \(.*\)\/run.json$/\1/p' "$work/ours.log")
[[ -d "$run_dir" ]] || { echo "error: could not find the run directory in crlm's output" >&2; exit 1; }

read -r trials folds seed < <(/usr/bin/python3 - "$run_dir/benchmark.json" "$run_dir/run.json" "$encoder" <<'PY'
import json, sys
bench, run = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
e = next(e for e in bench["encoders"] if e["name"] == sys.argv[3])
print(e["trials"], len(e["cv_auc"]["folds"]), run.get("seed", 0))
PY
)
/usr/bin/python3 "$peers/fm_benchmark.py" "$run_dir/embeddings/$encoder/train.csv" "$run_dir/embeddings/$encoder/test.csv" \
    --trials "$trials" --folds "$folds" --seed "$seed" --pred-out "$work/peer_scans.csv" --out "$work/peer.json" 2>/dev/null
/usr/bin/python3 - "$work/peer_scans.csv" "$work/peer_patients.csv" <<'PY'
import csv, sys, collections
probs, label, group = collections.defaultdict(list), {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    probs[r["patient_id"]].append(float(r["y_prob"])); label[r["patient_id"]] = r["y_true"]; group[r["patient_id"]] = r.get("group", "")
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); w.writerow(["y_true", "y_prob", "group"])
    for p in sorted(probs):
        w.writerow([label[p], sum(probs[p]) / len(probs[p]), group[p]])
PY
/usr/bin/python3 "$peers/metrics.py" "$work/peer_patients.csv" --n-boot 1000 --seed "$seed" --out "$work/peer_metrics.json" 2>/dev/null

mkdir -p "$repo/bench/fm-benchmark/results"
name="$(basename "$spec" .yaml)"
/usr/bin/python3 - "$run_dir/benchmark.json" "$work/peer.json" "$work/peer_metrics.json" "$encoder" "$ours_wall" \
    >"$repo/bench/fm-benchmark/results/stage_vs_peer_${name}_${encoder}.json" <<'PY'
import json, sys
bench, peer, pm = (json.load(open(p)) for p in sys.argv[1:4])
e = next(e for e in bench["encoders"] if e["name"] == sys.argv[4])
ci = pm["bootstrap"]["ci"]["auc"]
out = {
    "encoder": sys.argv[4], "trials": e["trials"], "folds": len(e["cv_auc"]["folds"]),
    "ours": {"cv_auc_mean": e["cv_auc"]["mean"], "test_auc_patients": e["test"]["auc"],
             "search_s": e["search_s"], "per_trial_s": e["search_s"] / e["trials"], "crlm_run_wall_s": float(sys.argv[5])},
    "peer": {"cv_auc_mean": peer["cv_auc_mean"], "test_auc_scans": peer["test_auc"],
             "test_auc_patients": {"value": pm["auc"], "ci_low": ci["lo"], "ci_high": ci["hi"]},
             "search_s": peer["timing"]["search_s"], "per_trial_s": peer["timing"]["per_trial_s"]["mean"],
             "versions": peer["environment"]["versions"]},
}
out["per_trial_speedup"] = out["peer"]["per_trial_s"] / out["ours"]["per_trial_s"]
json.dump(out, sys.stdout, indent=2); print()
PY
cat "$repo/bench/fm-benchmark/results/stage_vs_peer_${name}_${encoder}.json"
