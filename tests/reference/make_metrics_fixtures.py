#!/usr/bin/python3
"""Writes the evaluation-metric fixtures under tests/Crlm.Core.Tests/Fixtures/metrics: small seeded prediction CSVs,
the peer's JSON outputs on them and the peer's bootstrap resamples.

Run once with Debian 12's Python stack (/usr/bin/python3: numpy 1.24, pandas, sklearn 1.2.1, statsmodels 0.13), from
the repository root, with ../shared next to it:
    /usr/bin/python3 tests/reference/make_metrics_fixtures.py
CI never regenerates them. The C# tests (tests/Crlm.Core.Tests/Evaluation/MetricsPeerTests.cs) read the same CSVs,
compute our metrics and compare with what is recorded here; they replay <case>_indices.csv to compare the bootstrap
CIs exactly.

The peer is ../shared/peers/metrics.py, run as a subprocess exactly as a user would:
    metrics.py <case>.csv --n-boot 200 --seed <seed> --boot-threshold fixed|refit --indices-out <case>_indices.csv
Both modes draw the same resamples (same seed), so one index file serves both.

Cases (columns y_true, y_prob, group, uncertainty):
  ties        n=40, balanced, probabilities rounded to 0.1 (many ties across classes), uncertainty with ties
  separated   n=30, every positive above every negative (AUC 1, J 1); calibration slope is undefined there
  imbalanced  n=60, 9 positives, sites "site10", "site2", "siteA" (ordinal string order differs from numeric),
              one site without positives (AUC null, sensitivity null)
  rare        n=20, 2 positives: many resamples hold one class (AUC skipped, n_valid < B), precision often undefined
Timings are removed from the JSON.
"""
import json
import os
import subprocess

import numpy as np
import pandas as pd
import sklearn

assert np.__version__.startswith("1.24"), f"fixtures were made with numpy 1.24, this is {np.__version__}"
assert sklearn.__version__ == "1.2.1", f"fixtures were made with sklearn 1.2.1, this is {sklearn.__version__}"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "tests", "Crlm.Core.Tests", "Fixtures", "metrics")
PEER = os.path.abspath(os.path.join(REPO, "..", "shared", "peers", "metrics.py"))
N_BOOT = 200


def make_ties(rng):
    y = np.array([0, 1] * 20)
    p = np.clip(np.round(0.5 + 0.25 * (y - 0.5) + rng.normal(0, 0.2, y.size), 1), 0, 1)
    group = rng.choice(["north", "south"], y.size)
    unc = np.round(rng.uniform(0, 1, y.size), 1)
    return y, p, group, unc


def make_separated(rng):
    y = np.array([0] * 18 + [1] * 12)
    p = np.where(y == 1, rng.uniform(0.55, 0.95, y.size), rng.uniform(0.05, 0.5, y.size)).round(6)
    rng.shuffle(order := np.arange(y.size))
    group = np.array(["a", "b", "c"])[np.arange(y.size) % 3]
    unc = rng.uniform(0, 0.3, y.size).round(6)
    return y[order], p[order], group, unc


def make_imbalanced(rng):
    n = 60
    group = np.array(["site10", "site2", "siteA"])[rng.integers(0, 3, n)]
    y = np.zeros(n, dtype=int)
    y[rng.choice(np.flatnonzero(group != "site2"), 9, replace=False)] = 1
    p = (1 / (1 + np.exp(-(-1.5 + 1.8 * y + rng.normal(0, 1, n))))).round(6)
    unc = (p * (1 - p) + rng.uniform(0, 0.05, n)).round(6)
    return y, p, group, unc


def make_rare(rng):
    y = np.zeros(20, dtype=int)
    y[[4, 13]] = 1
    p = np.clip(0.25 + 0.2 * y + rng.normal(0, 0.12, y.size), 0.001, 0.999).round(4)
    group = np.array(["x", "y"])[np.arange(y.size) % 2]
    unc = rng.uniform(0, 1, y.size).round(4)
    return y, p, group, unc


CASES = {"ties": (make_ties, 11), "separated": (make_separated, 12), "imbalanced": (make_imbalanced, 13),
         "rare": (make_rare, 14)}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (make, seed) in CASES.items():
        y, p, group, unc = make(np.random.default_rng(1000 + seed))
        csv = os.path.join(OUT, f"{name}.csv")
        df = pd.DataFrame({"y_true": y, "y_prob": p, "group": group, "uncertainty": unc})
        df.to_csv(csv, index=False, float_format="%.10g", lineterminator="\n")
        back = pd.read_csv(csv)
        # The C# side parses the text with a correctly rounded parser; the peer must see the very same doubles.
        assert all(float(s) == v for s, v in zip(back["y_prob"].astype(str), back["y_prob"])), name
        assert np.array_equal(back["y_prob"].to_numpy(), [float(f"{v:.10g}") for v in p]), name
        indices = os.path.join(OUT, f"{name}_indices.csv")
        for mode in ("fixed", "refit"):
            out = subprocess.run(
                [PEER, csv, "--n-boot", str(N_BOOT), "--seed", str(seed), "--boot-threshold", mode,
                 "--indices-out", indices], check=True, capture_output=True, text=True).stdout
            doc = json.loads(out)
            doc.pop("timing", None)
            with open(os.path.join(OUT, f"{name}_{mode}.json"), "w") as fh:
                json.dump(doc, fh, indent=1)
                fh.write("\n")
        print(name, "n", len(y), "pos", int(y.sum()), "auc", doc["auc"], "skipped", doc["bootstrap"]["n_skipped_single_class"])


if __name__ == "__main__":
    main()
