#!/usr/bin/python3
"""Peer side of bench/fm-benchmark/run.sh: times the peer's own cross_validate() (fm_benchmark.py, imported, not
copied) for the parity fixtures' five configurations, TRIALS trials each after one warm-up, BLAS capped to THREADS as
the peer's --threads does. Prints one JSON object shaped like CvSpeed's."""
import json, os, sys, time
import numpy as np

peers = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers")
sys.path.insert(0, os.environ.get("CRLM_PEERS", peers))
import fm_benchmark as fm  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

CONFIGS = [
    ("l2_lbfgs", {"pca_components": 5, "C": 0.3, "penalty": "l2", "solver": "lbfgs", "class_weight": "none", "max_iter": 500}),
    ("l2_lbfgs_balanced", {"pca_components": 5, "C": 0.3, "penalty": "l2", "solver": "lbfgs", "class_weight": "balanced", "max_iter": 500}),
    ("l1_saga", {"pca_components": 8, "C": 0.5, "penalty": "l1", "solver": "saga", "class_weight": "none", "max_iter": 1000}),
    ("elasticnet_saga_balanced", {"pca_components": 5, "C": 0.3, "penalty": "elasticnet", "solver": "saga", "l1_ratio": 0.4,
                                  "class_weight": "balanced", "max_iter": 500}),
    ("l2_lbfgs_pca19", {"pca_components": 19, "C": 0.6107035569915314, "penalty": "l2", "solver": "lbfgs", "class_weight": "balanced",
                        "max_iter": 1888}),
]


def summary(t):
    return {"mean": float(np.mean(t)), "median": float(np.median(t)), "min": float(np.min(t)), "max": float(np.max(t))}


def main(train, trials, threads, folds=10, seed=0):
    pid, y, _, X, _ = fm.load(train)
    results, every = [], []
    with threadpool_limits(limits=threads):
        splits, _ = fm.make_folds(y, pid, folds, seed)
        for name, params in CONFIGS:
            aucs, _, _ = fm.cross_validate(params, X, y, splits, seed, "full")  # warm-up
            times = []
            for _ in range(trials):
                t0 = time.perf_counter()
                aucs, _, _ = fm.cross_validate(params, X, y, splits, seed, "full")
                times.append(time.perf_counter() - t0)
            every += times
            results.append({"config": name, "per_trial_s": summary(times), "cv_auc_mean": float(np.nanmean(aucs))})
    print(json.dumps({"side": "peer", "train": os.path.basename(train), "rows": int(len(y)), "features": int(X.shape[1]),
                      "folds": folds, "threads": threads, "trials_per_config": trials, "per_trial_s": summary(every),
                      "configs": results}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *(int(a) for a in sys.argv[4:]))
