#!/usr/bin/env bash
# FM benchmark cross-validation speed: ours (BenchmarkCrossValidator, bench/fm-benchmark/CvSpeed) against the peer
# (../shared/peers/fm_benchmark.py, scikit-learn + imbalanced-learn) on the same data, 10 folds, seed 0.
#
#   bench/fm-benchmark/run.sh [--trials N] [--search-trials M] [--work DIR]
#
# Data: the peer's example fm_train.csv (90 x 24) and two seeded synthetic embedding tables, 300 x 123 (the radiomics
# encoder's width) and 300 x 512 (a foundation model's). For each: the five parity-fixture configurations, N timed
# trials each after one warm-up, ours on 1 thread and on every core, the peer on 1 BLAS thread (its default; it cannot
# run folds in parallel) via its own cross_validate(); then the peer's real Optuna search (--trials M), whose
# timing.per_trial_s covers TPE's suggestion too. Results: bench/fm-benchmark/results/<data>.json.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="${CRLM_PEERS:-$repo/../shared/peers}"
trials=10; search=20; work="${TMPDIR:-/tmp}/crlm-bench-fm"
while (($#)); do
    case "$1" in
        --trials) trials="$2"; shift 2 ;;
        --search-trials) search="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        *) echo "usage: $0 [--trials N] [--search-trials M] [--work DIR]" >&2; exit 2 ;;
    esac
done
mkdir -p "$work" "$repo/bench/fm-benchmark/results"
echo "== build (Release)"
dotnet build "$repo/bench/fm-benchmark/CvSpeed" -c Release -v quiet -nologo | tail -n 2
csharp=(dotnet "$repo/bench/fm-benchmark/CvSpeed/bin/Release/net10.0/CvSpeed.dll")

# Synthetic tables in the peer's CSV format: one row per patient, a third positive, the label in a few directions.
for spec in "300 123" "300 512"; do
    read -r n d <<<"$spec"
    for part in train test; do
        /usr/bin/python3 - "$n" "$d" "$part" "$work/synthetic_${n}x${d}_$part.csv" <<'PY'
import sys, numpy as np, pandas as pd
n, d, part, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = np.random.default_rng([n, d, part == "test"])
y = (rng.random(n) < 1 / 3).astype(int)
x = rng.standard_normal((n, d)) + np.outer(y, rng.standard_normal(d) * (rng.random(d) < 0.1))
df = pd.DataFrame(x, columns=[f"f{j}" for j in range(d)])
df.insert(0, "label", y); df.insert(0, "patient_id", [f"{part}{i:04d}" for i in range(n)])
df.to_csv(out, index=False, float_format="%.6g")
PY
    done
done

cores="$(nproc)"
for data in "$peers/examples/fm_train.csv|$peers/examples/fm_test.csv|fm_train" \
            "$work/synthetic_300x123_train.csv|$work/synthetic_300x123_test.csv|synthetic_300x123" \
            "$work/synthetic_300x512_train.csv|$work/synthetic_300x512_test.csv|synthetic_300x512"; do
    IFS='|' read -r train test name <<<"$data"
    echo "== $name: $trials trials x 5 configs, 10 folds"
    "${csharp[@]}" "$train" "$trials" 1 >"$work/$name.ours1.json"
    "${csharp[@]}" "$train" "$trials" "$cores" >"$work/$name.oursN.json"
    /usr/bin/python3 "$repo/bench/fm-benchmark/peer_cv.py" "$train" "$trials" 1 >"$work/$name.peer.json"
    echo "== $name: peer Optuna search, $search trials"
    /usr/bin/python3 "$peers/fm_benchmark.py" "$train" "$test" --trials "$search" --folds 10 --seed 0 --threads 1 \
        --out "$work/$name.search.json"
    /usr/bin/python3 - "$work/$name" "$name" "$cores" >"$repo/bench/fm-benchmark/results/$name.json" <<'PY'
import json, sys, os
base, name, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
one, many, peer, search = (json.load(open(f"{base}.{k}.json")) for k in ("ours1", "oursN", "peer", "search"))
mean = lambda d: d["per_trial_s"]["mean"]
out = {"data": name, "rows": one["rows"], "features": one["features"], "folds": 10, "cores": cores,
       "trials_per_config": one["trials_per_config"],
       "per_trial_s_mean": {"ours_1_thread": mean(one), f"ours_{cores}_threads": mean(many), "peer_1_thread": mean(peer),
                            "peer_optuna_search": search["timing"]["per_trial_s"]["mean"]},
       "cold_first_trial_s": {"ours_1_thread": one.get("cold_trial_s"), f"ours_{cores}_threads": many.get("cold_trial_s")},
       "peer_over_ours": {"ours_1_thread": mean(peer) / mean(one), f"ours_{cores}_threads": mean(peer) / mean(many)},
       "per_config": [{"config": a["config"], "ours_1_thread_s": a["per_trial_s"]["mean"], f"ours_{cores}_threads_s": b["per_trial_s"]["mean"],
                       "peer_s": c["per_trial_s"]["mean"], "cv_auc_ours": a["cv_auc_mean"], "cv_auc_peer": c["cv_auc_mean"]}
                      for a, b, c in zip(one["configs"], many["configs"], peer["configs"])],
       "peer_search": {"trials": search["n_trials"], "per_trial_s": search["timing"]["per_trial_s"]},
       "load_average_1m": os.getloadavg()[0]}
json.dump(out, sys.stdout, indent=2)
print()
PY
    cat "$repo/bench/fm-benchmark/results/$name.json" | head -12
done
