#!/usr/bin/python3
"""An independent numpy reference of parametric empirical-Bayes ComBat (Johnson, Li & Rabinovic 2007) with the
conventions of neuroCombat (Fortin et al.), and the writer of the fixtures under tests/Crlm.Core.Tests/Fixtures/combat.

Written from the paper and from reading neuroCombat's formulas, not copied from it. Run from the repository root with
Debian 12's Python stack (/usr/bin/python3, numpy 1.24):
    /usr/bin/python3 tests/reference/combat_reference.py
CI never regenerates the fixtures; tests/Crlm.Core.Tests/Harmonisation/ComBatReferenceTests.cs compares the C# model
with what is recorded here (tolerance 1e-8). docs/combat.md describes the model; the steps below follow it.

Conventions shared with the C# code (docs/combat.md explains each):
  - sites are ordered by ordinal string order (numpy's np.unique on str);
  - covariates are centred on their training means before the OLS fit (the harmonised output does not change);
  - a feature whose pooled residual variance is <= (1e-12 * max|x|)^2 is "degenerate": passed through untouched and
    left out of the per-site priors (neuroCombat instead substitutes a buggy value);
  - EB priors are per site, pooled over the non-degenerate features (as neuroCombat and sva);
  - the posterior iteration stops when the largest relative change, |new - old| / old with old's sign kept (as
    neuroCombat and sva compute it), is <= 1e-4; NaN ratios are ignored;
  - mean-only sites (the mean-only variant, and any site with one training row) get delta* = 1 and
    gamma* = (t2 * gamma_hat + gamma_bar) / (t2 + 1), neuroCombat's mean-only posterior;
  - when every delta_hat of a site is equal (prior variance 0) the inverse-gamma prior is a point mass: delta* = that
    value, gamma* = the posterior mean with it;
  - held-out rows: standardised with the training grand mean, pooled variance and covariate coefficients and their
    own preserved covariates; training-only covariates (the label) take their training mean, i.e. 0 after centring.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "tests", "Crlm.Core.Tests", "Fixtures", "combat")
CONVERGENCE = 1e-4


def fit(x, sites, cov, mean_only=False):
    """x: (n, p) features; sites: (n,) str; cov: (n, q) floats (q may be 0). Returns the model as a dict."""
    n, p = x.shape
    levels, site_index = np.unique(sites, return_inverse=True)
    k = len(levels)
    counts = np.bincount(site_index, minlength=k)
    cov_mean = cov.mean(axis=0) if cov.shape[1] else np.zeros(0)
    centred = cov - cov_mean
    design = np.hstack([np.eye(k)[site_index], centred])
    coef = np.linalg.solve(design.T @ design, design.T @ x)  # (k + q, p)
    grand_mean = (counts / n) @ coef[:k]
    beta = coef[k:]
    var_pooled = ((x - design @ coef) ** 2).mean(axis=0)
    degenerate = var_pooled <= (1e-12 * np.abs(x).max(axis=0)) ** 2
    active = ~degenerate
    sd = np.where(active, np.sqrt(np.where(active, var_pooled, 1.0)), 1.0)
    s = (x - grand_mean - centred @ beta) / sd

    gamma_star = np.zeros((k, p))
    delta_star = np.ones((k, p))
    for site in range(k):
        rows = s[site_index == site][:, active]
        m = rows.shape[0]
        g_hat = rows.mean(axis=0)
        g_bar = g_hat.mean()
        t2 = g_hat.var(ddof=1)
        if mean_only or m == 1:
            g_star = (t2 * g_hat + g_bar) / (t2 + 1.0)
            d_star = np.ones_like(g_hat)
        else:
            d_hat = rows.var(axis=0, ddof=1)
            d_hat[d_hat == 0] = 1.0
            mean_d = d_hat.mean()
            s2 = d_hat.var(ddof=1)
            if s2 == 0:
                d_star = np.full_like(d_hat, mean_d)
                g_star = (t2 * m * g_hat + d_star * g_bar) / (t2 * m + d_star)
            else:
                a = (2 * s2 + mean_d ** 2) / s2
                b = (mean_d * s2 + mean_d ** 3) / s2
                g_star, d_star = posterior(rows, g_hat, d_hat, g_bar, t2, a, b)
        gamma_star[site, active] = g_star
        delta_star[site, active] = d_star
    return dict(levels=levels, cov_mean=cov_mean, grand_mean=grand_mean, beta=beta, var_pooled=var_pooled,
                active=active, gamma_star=gamma_star, delta_star=delta_star)


def posterior(rows, g_hat, d_hat, g_bar, t2, a, b):
    """Iterates the conditional posterior means of gamma and delta^2 (the paper's eqs. 2.3-2.4) to convergence."""
    m = rows.shape[0]
    g_old, d_old = g_hat.copy(), d_hat.copy()
    for _ in range(10000):
        g_new = (t2 * m * g_hat + d_old * g_bar) / (t2 * m + d_old)
        sum2 = ((rows - g_new) ** 2).sum(axis=0)
        d_new = (0.5 * sum2 + b) / (m / 2.0 + a - 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.concatenate([np.abs(g_new - g_old) / g_old, np.abs(d_new - d_old) / d_old])
        change = np.nanmax(ratios) if np.any(~np.isnan(ratios)) else 0.0
        g_old, d_old = g_new, d_new
        if change <= CONVERGENCE:
            return g_new, d_new
    raise RuntimeError("no convergence")


def apply(model, x, sites, cov):
    """Harmonises rows of training sites; cov holds every covariate column (training-only ones already replaced)."""
    levels = list(model["levels"])
    site_index = np.array([levels.index(s) for s in sites])
    active = model["active"]
    centred = cov - model["cov_mean"]
    mean = model["grand_mean"] + centred @ model["beta"]
    sd = np.sqrt(np.where(active, model["var_pooled"], 1.0))
    s = (x - mean) / sd
    adjusted = (s - model["gamma_star"][site_index]) / np.sqrt(model["delta_star"][site_index]) * sd + mean
    return np.where(active, adjusted, x)


def make_data(rng):
    """3 sites with different shifts and scales, 6 informative features, one constant feature, age and a label."""
    sizes = {"siteB": 15, "siteA": 20, "site10": 25}  # ordinal order: site10, siteA, siteB
    shift = {"siteA": 0.0, "siteB": 1.5, "site10": -0.8}
    scale = {"siteA": 1.0, "siteB": 2.0, "site10": 0.6}
    p = 6
    loadings = rng.normal(0, 1, p)
    label_effect = rng.normal(0, 0.8, p)
    feature_shift = rng.normal(0, 0.5, p)
    rows = []
    for split, per_site in (("train", sizes), ("heldout", {s: 5 for s in sizes})):
        for site, count in per_site.items():
            for _ in range(count):
                age = round(float(rng.uniform(35, 85)), 1)
                label = int(rng.uniform() < 0.4)
                base = 10 + 0.05 * loadings * (age - 60) + label_effect * label + rng.normal(0, 1, p)
                f = base + shift[site] + feature_shift * (site == "siteB") + scale[site] * rng.normal(0, 0.7, p)
                rows.append((split, site, age, label, list(f) + [3.25]))
    return rows


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("site,age,label," + ",".join(f"f{j}" for j in range(7)) + "\n")
        for _, site, age, label, f in rows:
            fh.write(f"{site},{age!r},{label}," + ",".join(repr(float(v)) for v in f) + "\n")


def arrays(rows):
    sites = np.array([r[1] for r in rows])
    age = np.array([r[2] for r in rows], dtype=float)
    label = np.array([r[3] for r in rows], dtype=float)
    x = np.array([r[4] for r in rows], dtype=float)
    return x, sites, age, label


def case(name, train, heldout, covariates, mean_only=False):
    """covariates: list of (name, training_only)."""
    x, sites, age, label = arrays(train)
    hx, hsites, hage, hlabel = arrays(heldout)
    columns = {"age": (age, hage), "label": (label, hlabel)}
    cov = np.column_stack([columns[c][0] for c, _ in covariates]) if covariates else np.zeros((len(x), 0))
    model = fit(x, sites, cov, mean_only)
    train_out = apply(model, x, sites, cov)
    held_cov = np.column_stack([
        np.full(len(hx), model["cov_mean"][i]) if only else columns[c][1]
        for i, (c, only) in enumerate(covariates)]) if covariates else np.zeros((len(hx), 0))
    held_out = apply(model, hx, hsites, held_cov) if len(hx) else np.zeros((0, x.shape[1]))
    result = {
        "variant": "mean_only" if mean_only else "parametric",
        "covariates": [{"name": c, "training_only": only} for c, only in covariates],
        "sites": [str(s) for s in model["levels"]],
        "grand_mean": model["grand_mean"].tolist(),
        "var_pooled": model["var_pooled"].tolist(),
        "gamma_star": model["gamma_star"].tolist(),
        "delta_star": model["delta_star"].tolist(),
        "train_harmonised": train_out.tolist(),
        "heldout_harmonised": held_out.tolist(),
    }
    with open(os.path.join(OUT, f"{name}.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)


def main():
    assert np.__version__.startswith("1.24"), f"fixtures were made with numpy 1.24, this is {np.__version__}"
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20070101)
    rows = make_data(rng)
    train = [r for r in rows if r[0] == "train"]
    heldout = [r for r in rows if r[0] == "heldout"]
    write_csv(os.path.join(OUT, "train.csv"), train)
    write_csv(os.path.join(OUT, "heldout.csv"), heldout)
    case("parametric_age", train, heldout, [("age", False)])
    case("parametric_plain", train, heldout, [])
    case("mean_only_age", train, heldout, [("age", False)], mean_only=True)
    case("parametric_age_label", train, heldout, [("age", False), ("label", True)])
    # A fourth site with a single training row: mean shift only (delta* = 1).
    single = train + [("train", "siteZ", 50.0, 0, list(heldout[0][4][:6] + np.array([2.0] * 6)) + [3.25])]
    write_csv(os.path.join(OUT, "train_single.csv"), single)
    case("parametric_age_single", single, heldout, [("age", False)])


if __name__ == "__main__":
    main()
