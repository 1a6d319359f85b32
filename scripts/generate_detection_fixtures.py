#!/usr/bin/env python3
"""Golden values for the sequential detectors (DriftCore/Sequential), computed with numpy/scipy.

- ndtri: scipy.special.ndtri at probabilities from 1e-300 to 1 - 1e-16 (SpecialFunctions.normalQuantile).
- lanes: the increments ln(q/p) of the mean and scale lanes of a numeric profile without a raw
  sample (cells = the baseline's bins: the outer bins get count + 1, the inner bins their count),
  with q from the normal scores of each cell's interval of the baseline CDF shifted by delta or
  scaled by sigma; their mean and variance under the baseline (per present value).
- siegmund: the CUSUM threshold for a target run length, (exp(h + rho) - h - rho - 1) / m = gamma,
  solved with scipy's brentq, plain and with a design effect D (h = D h', h' for drift m / D and
  overshoot rho / sqrt(D)).

Writes Tests/DriftCoreTests/Fixtures/statistics/detection.json. Run from the repository root:

    python3 scripts/generate_detection_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import optimize, special, stats

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "statistics")

# (Kept away from 1 - 1e-16: Foundation's JSON reader does not round-trip 0.9999999999999999.)
PROBABILITIES = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.425, 0.5, 0.575,
                 0.7, 0.9, 0.97575, 0.999, 1 - 1e-5, 1 - 1e-10, 1 - 1e-13]

EDGES = [-2.0, -0.7, 0.0, 0.5, 2.5]
COUNTS = [0.0, 120.0, 300.0, 330.0, 250.0, 0.0]


def lanes():
    masses = np.array([COUNTS[0] + 1] + COUNTS[1:-1] + [COUNTS[-1] + 1])
    p = masses / masses.sum()
    upper = np.cumsum(p)
    upper[-1] = 1.0
    lower = np.concatenate([[0.0], upper[:-1]])
    out = []
    for kind, shift, scale in [("mean_up", 0.25, 1.0), ("mean_down", -0.5, 1.0), ("mean_up", 1.0, 1.0),
                               ("scale_up", 0.0, 1.5), ("scale_down", 0.0, 1 / 1.5)]:
        zl = special.ndtri(lower)
        zu = special.ndtri(upper)
        a = (zl - shift) / scale
        b = (zu - shift) / scale
        q = np.where(a > 0, stats.norm.sf(a) - stats.norm.sf(b), stats.norm.cdf(b) - stats.norm.cdf(a))
        w = np.log(q / p)
        mean = float(np.sum(p * w))
        var = float(np.sum(p * (w - mean) ** 2))
        alt = float(np.sum(q * w))
        out.append({"kind": kind, "shift": shift, "scale": scale, "increments": [float(x) for x in w],
                    "null_mean": mean, "null_variance": var, "alternative_mean": alt})
    return {"edges": EDGES, "counts": COUNTS, "lanes": out}


def siegmund():
    cases = []
    for gamma, rho, m, d in [(1e4, 0.29, 0.03125, 1.0), (1e12, 0.29, 0.03125, 1.0), (2e3, 1.166, 0.5, 1.0),
                             (1e6, 0.475, 0.1186, 1.0), (1e4, 0.29, 0.03125, 3.0), (1e9, 1.166, 0.5, 5.6667)]:
        md, rd = m / d, rho / math.sqrt(d)
        f = lambda h: (math.exp(h + rd) - h - rd - 1) / md - gamma
        h = optimize.brentq(f, 0, 200, xtol=1e-14, rtol=1e-15)
        cases.append({"run_length": gamma, "overshoot": rho, "drift": m, "dependence": d, "threshold": d * h})
    return cases


def main():
    cases = {
        "ndtri": [{"p": p, "x": float(special.ndtri(p))} for p in PROBABILITIES],
        "numeric_lanes": lanes(),
        "siegmund": siegmund(),
    }
    meta = {"numpy": np.__version__, "scipy": scipy.__version__, "script": "scripts/generate_detection_fixtures.py"}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "detection.json"), "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
