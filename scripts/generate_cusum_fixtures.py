#!/usr/bin/env python3
"""Golden tilts for CusumThreshold.tilt(values:delta:), computed with numpy/scipy.

The tilt theta of a one-sided CUSUM fed values v with reference delta is the positive root of
mean(exp(theta (s v - delta))) = 1 (s = +1 upward, -1 downward). This script draws seeded
samples, standardises them with their own mean and std and clips them to +-4 sd exactly as
SequentialDetectorBank does with a baseline sample, and finds the root with scipy's brentq.
The values are rounded to 9 decimals first and the root is computed on the rounded values, so
the Swift test feeds exactly the numbers the golden was computed from.

Writes Tests/DriftCoreTests/Fixtures/statistics/cusum_tilt.json. Run from the repository root:

    python3 scripts/generate_cusum_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import optimize

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "statistics")
DELTAS = [0.125, 0.25, 0.5]


def standardised(x, clip):
    z = (x - x.mean()) / x.std()
    if clip is not None:
        z = np.clip(z, -clip, clip)
    return np.round(z, 9)


def tilt(values, delta):
    """Positive root of mean(exp(theta (v - delta))) - 1, or None when there is none."""
    if values.mean() >= delta or not np.any(values > delta):
        return None

    def excess(theta):
        # log-sum-exp for stability; the root is where this crosses 0.
        return np.log(np.mean(np.exp(theta * (values - delta))))

    # excess(0) = 0 and excess'(0) < 0; the function is convex: step out until it is positive.
    high = 2 * delta
    while excess(high) < 0:
        high *= 2
    low = optimize.minimize_scalar(excess, bounds=(0, high), method="bounded",
                                   options={"xatol": 1e-12}).x
    assert excess(low) < 0
    return optimize.brentq(excess, low, high, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)


def exp1_population_tilt(delta):
    """Unclipped Exp(1) standardised (z = X - 1): exp(-(1 + delta) theta) / (1 - theta) = 1."""
    return optimize.brentq(lambda t: -(1 + delta) * t - math.log1p(-t), 1e-6, 1 - 1e-12, xtol=1e-15)


def main():
    cases = []

    def add(name, values, deltas):
        expected = []
        for delta in deltas:
            for direction, v in (("up", values), ("down", -values)):
                theta = tilt(v, delta)
                expected.append({"delta": delta, "direction": direction,
                                 "theta": None if theta is None else float(theta)})
        cases.append({"name": name, "values": [float(x) for x in values], "expected": expected})

    rng = np.random.default_rng(20260601)
    # The skewed feature of docs/statistics.md section 6: Exp(1), clipped as the monitor clips.
    add("exp1_5000_clipped", standardised(rng.exponential(1.0, 5_000), 4.0), DELTAS)
    # Normal data: the tilt is near 2 delta on both sides (the monitor caps at exactly 2 delta).
    add("normal_3000_clipped", standardised(rng.normal(0.0, 1.0, 3_000), 4.0), DELTAS)
    # Unclipped, larger: the upward tilt for delta = 0.5 near the population value 0.583 (docs: 0.58).
    add("exp1_20000_unclipped", standardised(rng.exponential(1.0, 20_000), None), [0.5])
    # A small, lumpy sample: 200 values (SequentialDetectorBank.minimumSampleSize) of a 3-point law.
    add("three_point_200", np.round(rng.choice([-1.0, 0.0, 2.0], 200, p=[0.5, 0.3, 0.2]), 9), DELTAS)

    meta = {"scipy": scipy.__version__, "numpy": np.__version__, "generator": "scripts/generate_cusum_fixtures.py",
            "exp1_population_tilt": {str(d): exp1_population_tilt(d) for d in DELTAS}}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cusum_tilt.json"), "w") as fh:
        json.dump({"meta": meta, "cases": cases}, fh, separators=(",", ":"))
    for c in cases:
        print(c["name"], [(e["delta"], e["direction"], e["theta"]) for e in c["expected"]])
    print("population Exp(1) tilts", meta["exp1_population_tilt"])


if __name__ == "__main__":
    main()
