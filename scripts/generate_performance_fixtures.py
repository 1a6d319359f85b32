#!/usr/bin/env python3
"""Golden values for DriftCore's performance metrics, computed with scikit-learn and scipy.

Writes Tests/DriftCoreTests/Fixtures/performance/{metrics,intervals,calibration}.json. Deterministic
(numpy default_rng with fixed seeds). Run from the repository root:

    pip install scikit-learn      # numpy and scipy are already required by the other generators
    python3 scripts/generate_performance_fixtures.py

metrics.json: per case, the pairs (predictions, labels), the task, the positive threshold and
the calibration bins, and the value of every metric as scikit-learn computes it (null where
scikit-learn raises or returns NaN: ROC AUC with one class, R2 with one sample).
intervals.json: Student t distribution function and quantiles, the regularized incomplete
beta function, and Clopper-Pearson bounds (scipy), for the significance of performance rules.
calibration.json: scikit-learn's IsotonicRegression(out_of_bounds="clip") fitted on scores and
binary labels, and its predictions at query points inside and outside the fitted range (the
calibration behind label-free performance estimates). The versions used are recorded in every file.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy import special, stats
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "performance")
EPS = np.finfo(np.float64).eps


def f(x):
    """JSON-safe float (None for NaN)."""
    x = float(x)
    return None if math.isnan(x) else x


def ece(y, p, bins):
    """Expected calibration error from sklearn's calibration_curve (uniform bins), weighted by
    each non-empty bin's share of the pairs (the bin assignment is calibration_curve's)."""
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, bins + 1)
    binids = np.searchsorted(edges[1:-1], p)
    totals = np.bincount(binids, minlength=bins)
    weights = totals[totals != 0] / len(p)
    return float(np.sum(weights * np.abs(prob_true - prob_pred)))


def classification(y, yhat, values):
    values["accuracy"] = f(metrics.accuracy_score(y, yhat))
    for average in ("macro", "weighted"):
        values[f"precision_{average}"] = f(metrics.precision_score(y, yhat, average=average, zero_division=0))
        values[f"recall_{average}"] = f(metrics.recall_score(y, yhat, average=average, zero_division=0))
        values[f"f1_{average}"] = f(metrics.f1_score(y, yhat, average=average, zero_division=0))


def binary_case(name, p, y, threshold=0.5, bins=10):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=int)
    yhat = (p >= threshold).astype(int)
    values = {}
    classification(y, yhat, values)
    values["precision"] = f(metrics.precision_score(y, yhat, pos_label=1, zero_division=0))
    values["recall"] = f(metrics.recall_score(y, yhat, pos_label=1, zero_division=0))
    values["f1"] = f(metrics.f1_score(y, yhat, pos_label=1, zero_division=0))
    values["roc_auc"] = f(metrics.roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else None
    values["log_loss"] = f(metrics.log_loss(y, p, labels=[0, 1]))
    values["ece"] = ece(y, p, bins)
    tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    return {"name": name, "task": "binary", "threshold": threshold, "calibration_bins": bins,
            "predictions": p.tolist(), "labels": y.astype(float).tolist(), "values": values,
            "confusion": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)}}


def multiclass_case(name, yhat, y):
    yhat = np.asarray(yhat, dtype=int)
    y = np.asarray(y, dtype=int)
    values = {}
    classification(y, yhat, values)
    classes = sorted(set(y.tolist()) | set(yhat.tolist()))
    matrix = metrics.confusion_matrix(y, yhat, labels=classes)
    return {"name": name, "task": "multiclass", "threshold": 0.5, "calibration_bins": 10,
            "predictions": yhat.astype(float).tolist(), "labels": y.astype(float).tolist(), "values": values,
            "classes": classes, "matrix": matrix.tolist()}


def regression_case(name, yhat, y):
    yhat = np.asarray(yhat, dtype=float)
    y = np.asarray(y, dtype=float)
    values = {
        "mae": f(metrics.mean_absolute_error(y, yhat)),
        "rmse": f(metrics.root_mean_squared_error(y, yhat)),
        "mape": f(metrics.mean_absolute_percentage_error(y, yhat)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values["r2"] = f(metrics.r2_score(y, yhat)) if len(y) >= 2 else None
    return {"name": name, "task": "regression", "threshold": 0.5, "calibration_bins": 10,
            "predictions": yhat.tolist(), "labels": y.tolist(), "values": values}


def cases():
    rng = np.random.default_rng(20261203)
    out = []
    # Calibrated scores: labels drawn with the score's probability.
    p = rng.uniform(0, 1, 1000)
    out.append(binary_case("binary_calibrated", p, rng.uniform(0, 1, 1000) < p))
    # Overconfident scores at another threshold and bin count.
    p = rng.beta(0.5, 0.5, 800)
    out.append(binary_case("binary_overconfident", p, rng.uniform(0, 1, 800) < 0.3 + 0.4 * p, threshold=0.35, bins=15))
    # Scores on a 0.1 grid: many ties (ROC AUC mid-ranks), scores on the inner bin edges, and
    # 0 and 1 (log-loss clipping).
    p = np.round(rng.integers(0, 11, 600) * 0.1, 10)
    out.append(binary_case("binary_ties_and_edges", p, rng.uniform(0, 1, 600) < 0.2 + 0.6 * p, threshold=0.3))
    # Nothing predicted positive (precision 0 by zero_division), one class only among labels.
    p = rng.uniform(0, 0.4, 200)
    out.append(binary_case("binary_one_class", p, np.zeros(200, dtype=int)))
    # Imbalanced: 3% positives.
    p = rng.beta(1, 8, 2000)
    out.append(binary_case("binary_imbalanced", p, rng.uniform(0, 1, 2000) < 0.03 + 0.5 * p, threshold=0.2))
    # Multi-class: 5 classes, class 4 never predicted, class 5 ("other") predicted, never a label.
    y = rng.integers(0, 5, 1500)
    yhat = np.where(rng.uniform(0, 1, 1500) < 0.7, y, rng.integers(0, 6, 1500))
    yhat = np.where(yhat == 4, 0, yhat)
    out.append(multiclass_case("multiclass_five", yhat, y))
    # Unknown label code -1 against the categories.
    y = rng.integers(-1, 3, 400)
    yhat = np.where(rng.uniform(0, 1, 400) < 0.6, np.maximum(y, 0), rng.integers(0, 3, 400))
    out.append(multiclass_case("multiclass_unknown_labels", yhat, y))
    # Regression: noisy predictions, some labels 0 (MAPE's eps floor).
    y = rng.normal(50, 20, 900)
    y[::97] = 0.0
    out.append(regression_case("regression_noisy", y + rng.normal(0, 5, 900), y))
    # Constant labels, matched and missed (R2 1 and 0 by force_finite); a single pair (no R2).
    out.append(regression_case("regression_constant_matched", np.full(50, 3.0), np.full(50, 3.0)))
    out.append(regression_case("regression_constant_missed", np.full(50, 3.0) + rng.normal(0, 1, 50), np.full(50, 3.0)))
    out.append(regression_case("regression_single", [2.5], [3.0]))
    return out


def intervals():
    t = [{"t": t, "df": df, "cdf": f(stats.t.cdf(t, df))}
         for df in (1, 2, 4, 9, 29, 200) for t in (-6.0, -2.5, -1.0, -0.1, 0.0, 0.3, 1.7, 3.2, 8.0)]
    q = [{"p": p, "df": df, "quantile": f(stats.t.ppf(p, df))}
         for df in (1, 3, 9, 19) for p in (0.001, 0.01, 0.05, 0.3, 0.9, 0.95, 0.99, 0.999)]
    beta = [{"x": x, "a": a, "b": b, "value": f(special.betainc(a, b, x))}
            for (a, b) in ((0.5, 0.5), (4.5, 0.5), (1, 1), (10, 3), (50, 80), (0.5, 30))
            for x in (1e-6, 0.05, 0.3, 0.5, 0.77, 0.999)]
    cp = []
    for k, n in ((0, 20), (3, 20), (20, 20), (880, 1000), (9150, 10000), (70, 100), (1, 2)):
        for alpha in (0.01, 0.05):
            lower = 0.0 if k == 0 else f(stats.beta.ppf(alpha, k, n - k + 1))
            upper = 1.0 if k == n else f(stats.beta.ppf(1 - alpha, k + 1, n - k))
            cp.append({"k": k, "n": n, "alpha": alpha, "lower": lower, "upper": upper})
    return {"t_cdf": t, "t_quantile": q, "beta": beta, "clopper_pearson": cp}


def calibration():
    rng = np.random.default_rng(7)
    out = []
    for name, n, grid in (("continuous", 3000, None), ("ties", 2000, 0.01), ("small", 40, None)):
        scores = rng.uniform(0, 1, n)
        if grid:
            scores = np.round(scores / grid) * grid
        labels = (rng.uniform(0, 1, n) < scores ** 2).astype(float)  # miscalibrated: the truth is score^2
        model = IsotonicRegression(out_of_bounds="clip").fit(scores, labels)
        queries = np.concatenate([rng.uniform(-0.1, 1.1, 200), scores[:50], [0.0, 0.5, 1.0]])
        out.append({"name": name, "scores": scores.tolist(), "labels": labels.tolist(), "queries": queries.tolist(),
                    "predictions": model.predict(queries).tolist()})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}
    with open(os.path.join(OUT, "metrics.json"), "w") as fh:
        json.dump({"versions": versions, "cases": cases()}, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(OUT, "calibration.json"), "w") as fh:
        json.dump({"versions": versions, "cases": calibration()}, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(OUT, "intervals.json"), "w") as fh:
        json.dump({"versions": versions, **intervals()}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
