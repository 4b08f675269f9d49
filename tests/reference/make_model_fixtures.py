#!/usr/bin/python3
"""Reference numbers for the FM benchmark model (src/Crlm.Tabular/Models) from scikit-learn 1.2 /
imbalanced-learn 0.10, and from the peer ../shared/peers/fm_benchmark.py itself.

Run from the repository root:  /usr/bin/python3 tests/reference/make_model_fixtures.py
Writes tests/Crlm.Tabular.Tests/Fixtures/models/{components.json,peer_runs.json}.

components.json: StandardScaler, SMOTE-resampled rows, PCA and LogisticRegression on the peer's
  example embeddings, so the C# PCA and LR can be checked on identical inputs (SMOTE's random
  draws cannot be reproduced across RNGs, so the resampled rows are stored).
peer_runs.json: fm_benchmark.py --fixed-params for a few configs (CV fold AUCs, test AUC and
  probabilities, fold assignment) and the peer's own per-trial time from a short search.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = os.path.join(ROOT, "..", "shared", "peers")
EX = os.path.join(PEERS, "examples")
OUT = os.path.join(ROOT, "tests", "Crlm.Tabular.Tests", "Fixtures", "models")


def load(name):
    df = pd.read_csv(os.path.join(EX, name))
    feats = [c for c in df.columns if c.startswith("f") and c[1:].isdigit()]
    return df["patient_id"].astype(str).tolist(), df["label"].to_numpy().astype(int), \
        df[feats].to_numpy(dtype=np.float64)


def lr_case(name, Z, y, Zte, **kw):
    clf = LogisticRegression(random_state=0, **kw).fit(Z, y)
    return {"name": name, "params": {k: v for k, v in kw.items()},
            "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0]),
            "test_prob": clf.predict_proba(Zte)[:, 1].tolist(), "n_iter": int(clf.n_iter_[0])}


def components():
    _, y, X = load("fm_train.csv")
    _, _, Xte = load("fm_test.csv")
    scaler = StandardScaler().fit(X)
    Xs, Xtes = scaler.transform(X), scaler.transform(Xte)
    Xr, yr = SMOTE(k_neighbors=5, random_state=0).fit_resample(Xs, y)
    pca = PCA(n_components=5, svd_solver="full").fit(Xr)
    Z, Zte = pca.transform(Xr), pca.transform(Xtes)
    pca_all = PCA(svd_solver="full").fit(Xr)
    tight = dict(tol=1e-10, max_iter=100000)
    cases = [
        lr_case("l2_lbfgs_C0.3", Z, yr, Zte, penalty="l2", C=0.3, solver="lbfgs", **tight),
        lr_case("l2_lbfgs_C0.01", Z, yr, Zte, penalty="l2", C=0.01, solver="lbfgs", **tight),
        lr_case("l2_lbfgs_C10", Z, yr, Zte, penalty="l2", C=10.0, solver="lbfgs", **tight),
        lr_case("l1_saga_C0.05", Z, yr, Zte, penalty="l1", C=0.05, solver="saga", **tight),
        lr_case("elasticnet_saga_C0.3_r0.4", Z, yr, Zte, penalty="elasticnet", C=0.3,
                l1_ratio=0.4, solver="saga", **tight),
        lr_case("l2_liblinear_C0.3", Z, yr, Zte, penalty="l2", C=0.3, solver="liblinear", **tight),
    ]
    # Class weights only matter on imbalanced rows: fit on the scaled, not resampled, data.
    pca_raw = PCA(n_components=5, svd_solver="full").fit(Xs)
    Zraw, Zte_raw = pca_raw.transform(Xs), pca_raw.transform(Xtes)
    weighted = lr_case("l2_lbfgs_C0.3_balanced_unresampled", Zraw, y, Zte_raw, penalty="l2",
                       C=0.3, solver="lbfgs", class_weight="balanced", **tight)
    return {
        "n_train": int(len(y)), "n_pos": int(y.sum()), "n_features": int(X.shape[1]),
        "scaler_mean": scaler.mean_.tolist(), "scaler_scale": scaler.scale_.tolist(),
        "resampled_x": Xr.tolist(), "resampled_y": yr.astype(int).tolist(),
        "test_x_scaled": Xtes.tolist(),
        "pca_components": pca.components_.tolist(), "pca_mean": pca.mean_.tolist(),
        "pca_explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "pca_all_explained_variance_ratio": pca_all.explained_variance_ratio_.tolist(),
        "pca_projection_first5": Z[:5].tolist(),
        "lr_cases": cases,
        "unresampled_pca_components": pca_raw.components_.tolist(),
        "unresampled_pca_mean": pca_raw.mean_.tolist(),
        "weighted_case": weighted,
    }


CONFIGS = {
    "l2_lbfgs": {"pca_components": 5, "C": 0.3, "penalty": "l2", "solver": "lbfgs",
                 "class_weight": "none", "max_iter": 500},
    "l2_lbfgs_balanced": {"pca_components": 5, "C": 0.3, "penalty": "l2", "solver": "lbfgs",
                          "class_weight": "balanced", "max_iter": 500},
    "l1_saga": {"pca_components": 8, "C": 0.5, "penalty": "l1", "solver": "saga",
                "class_weight": "none", "max_iter": 1000},
    "elasticnet_saga_balanced": {"pca_components": 5, "C": 0.3, "penalty": "elasticnet",
                                 "solver": "saga", "l1_ratio": 0.4, "class_weight": "balanced",
                                 "max_iter": 500},
    "l2_lbfgs_pca19": {"pca_components": 19, "C": 0.6107035569915314, "penalty": "l2",
                       "solver": "lbfgs", "class_weight": "balanced", "max_iter": 1888},
}


def peer(train, params, folds, seed, tmp):
    fo, po, jo = (os.path.join(tmp, n) for n in ("folds.csv", "preds.csv", "out.json"))
    cmd = [sys.executable, os.path.join(PEERS, "fm_benchmark.py"), os.path.join(EX, train),
           os.path.join(EX, "fm_test.csv"), "--folds", str(folds), "--seed", str(seed),
           "--folds-out", fo, "--pred-out", po, "--out", jo]
    if params is not None:
        cmd += ["--fixed-params", json.dumps(params)]
    else:
        cmd += ["--trials", "15"]
    subprocess.run(cmd, check=True)
    res = json.load(open(jo))
    return res, pd.read_csv(fo)["fold"].tolist(), pd.read_csv(po)["y_prob"].tolist()


def peer_runs():
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for train, seed in (("fm_train.csv", 0), ("fm_train_grouped.csv", 1)):
            for name, params in CONFIGS.items():
                res, folds, prob = peer(train, params, 5, seed, tmp)
                runs.append({"train": train, "config": name, "params": params, "folds": 5,
                             "seed": seed, "fold_of_row": folds,
                             "cv_fold_aucs": res["cv_fold_aucs"], "cv_auc_mean": res["cv_auc_mean"],
                             "cv_oof_auc": res["cv_oof_auc"], "test_auc": res["test_auc"],
                             "test_prob": prob})
        res, _, _ = peer("fm_train.csv", None, 5, 0, tmp)
        timing = {"train": "fm_train.csv", "trials": 15, "folds": 5,
                  "per_trial_s": res["timing"]["per_trial_s"],
                  "per_fit_s_mean": res["timing"]["per_fit_s_mean"]}
        res10, _, _ = peer("fm_train.csv", None, 10, 0, tmp)
        timing10 = {"train": "fm_train.csv", "trials": 15, "folds": 10,
                    "per_trial_s": res10["timing"]["per_trial_s"]}
    return {"runs": runs, "timing": [timing, timing10]}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "components.json"), "w") as fh:
        json.dump(components(), fh)
    with open(os.path.join(OUT, "peer_runs.json"), "w") as fh:
        json.dump(peer_runs(), fh, indent=1)


if __name__ == "__main__":
    main()
