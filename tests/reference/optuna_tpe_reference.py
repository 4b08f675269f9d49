"""Reference best-value distributions of Optuna 3.1's default TPESampler (and RandomSampler).

Runs the objectives of tests/Crlm.Core.Tests/Search/TpeOptimisationTests.cs for 50 trials over
20 seeds and writes the per-seed regrets (optimum - best value) to
tests/Crlm.Core.Tests/Fixtures/search/optuna_tpe_reference.json. The C# test compares our
TPE's mean regret with Optuna's: different random generators, so distributions, not sequences.

Usage: /usr/bin/python3 tests/reference/optuna_tpe_reference.py
"""
import json
import math
import os

import optuna

TRIALS = 50
SEEDS = 20


def bowl(t):
    x = t.suggest_float("x", -5, 5)
    y = t.suggest_float("y", -5, 5)
    return -((x - 1.5) ** 2 + (y + 2) ** 2)


def mixed(t):
    kernel = t.suggest_categorical("kernel", ["a", "b", "c", "d"])
    lr = t.suggest_float("lr", 1e-5, 1, log=True)
    n = t.suggest_int("n", 1, 64)
    return (0 if kernel == "c" else -1) - (math.log10(lr) + 2) ** 2 - ((n - 40) / 20.0) ** 2


def conditional(t):
    pca = t.suggest_int("pca_components", 1, 64)
    c = t.suggest_float("C", 1e-4, 1e2, log=True)
    penalty = t.suggest_categorical("penalty", ["l1", "l2", "elasticnet"])
    score = -((math.log10(c) - 0.5) ** 2) / 4 - ((pca - 12) / 32.0) ** 2
    if penalty == "elasticnet":
        score += 1 - 4 * (t.suggest_float("l1_ratio", 0, 1) - 0.3) ** 2
    elif penalty == "l2":
        score += 0.5 if t.suggest_categorical("solver", ["lbfgs", "saga"]) == "saga" else 0.2
    return score


OBJECTIVES = {"bowl": (bowl, 0.0), "mixed": (mixed, 0.0), "conditional": (conditional, 1.0)}


def regrets(make_sampler, objective, optimum):
    out = []
    for seed in range(SEEDS):
        study = optuna.create_study(direction="maximize", sampler=make_sampler(seed))
        study.optimize(objective, n_trials=TRIALS)
        out.append(optimum - study.best_value)
    return out


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    result = {"optuna_version": optuna.__version__, "trials": TRIALS, "seeds": SEEDS, "objectives": {}}
    for name, (objective, optimum) in OBJECTIVES.items():
        tpe = regrets(lambda s: optuna.samplers.TPESampler(seed=s), objective, optimum)
        rnd = regrets(lambda s: optuna.samplers.RandomSampler(seed=s), objective, optimum)
        result["objectives"][name] = {
            "tpe_regrets": tpe,
            "random_regrets": rnd,
            "tpe_mean_regret": sum(tpe) / SEEDS,
            "random_mean_regret": sum(rnd) / SEEDS,
        }
        print(f"{name}: optuna TPE mean regret {sum(tpe) / SEEDS:.4f}, random {sum(rnd) / SEEDS:.4f}")
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "Crlm.Core.Tests", "Fixtures", "search", "optuna_tpe_reference.json")
    with open(target, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
