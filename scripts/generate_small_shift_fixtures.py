#!/usr/bin/env python3
"""Golden values for the three verdicts of large samples (drift, small but certain shift, none).

Writes Tests/DriftCoreTests/Fixtures/statistics/small_shift.json. No random numbers: the counts are
the expected counts (rounded) of two 200,000-row samples on the 10 quantile bins of N(0, 1), the
current one shifted by `shift` standard deviations. Per case scipy gives the Jensen-Shannon distance
and the chi-square test of homogeneity (the significance of plain distances in FeatureEvaluator),
and the verdict follows the documented rule (docs/statistics.md, docs/compare.md):

    drift        JS >= 0.05 and p < alpha (0.01, AlertRule's default)
    small_shift  JS <  0.05 and p < min(alpha, 1e-6)
    none         otherwise

Run from the repository root:  python3 scripts/generate_small_shift_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "statistics")
ROWS = 200_000
THRESHOLD = 0.05  # DriftMethod.jensenShannon.defaultThreshold
ALPHA = 0.01  # AlertRule's default alpha
STRICT = 1e-6  # FeatureEvaluator.smallShiftStrictLevel


def expected_counts(edges, shift, rows):
    """Rounded expected counts per bin (bin of x = number of edges <= x) of N(shift, 1)."""
    cdf = stats.norm.cdf(np.asarray(edges) - shift)
    probs = np.diff(np.concatenate([[0.0], cdf, [1.0]]))
    return np.round(probs * rows)


def main():
    inner = stats.norm.ppf(np.linspace(0, 1, 11)[1:-1])
    edges = np.concatenate([[-4.5], inner, [4.5]])
    baseline = expected_counts(edges, 0.0, ROWS)
    cases = []
    for shift in [0.0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5]:
        current = expected_counts(edges, shift, ROWS)
        keep = (baseline + current) > 0
        chi = stats.chi2_contingency(np.vstack([baseline[keep], current[keep]]), correction=False)
        js = float(jensenshannon(baseline / baseline.sum(), current / current.sum()))
        p = float(chi.pvalue)
        if js >= THRESHOLD and p < ALPHA:
            verdict = "drift"
        elif js < THRESHOLD and p < min(ALPHA, STRICT):
            verdict = "small_shift"
        else:
            verdict = "none"
        cases.append({"shift_sd": shift, "current": current.tolist(), "jensen_shannon": js,
                      "chi_square": float(chi.statistic), "p": p, "verdict": verdict})
    out = {"generator": "scripts/generate_small_shift_fixtures.py",
           "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "rows": ROWS, "threshold": THRESHOLD, "alpha": ALPHA, "strict_level": STRICT,
           "edges": edges.tolist(), "baseline": baseline.tolist(), "cases": cases}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "small_shift.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    for c in cases:
        print(f"shift {c['shift_sd']:.2f} sd: JS {c['jensen_shannon']:.5f}, p {c['p']:.3g} -> {c['verdict']}")


if __name__ == "__main__":
    main()
