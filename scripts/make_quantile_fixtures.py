#!/usr/bin/env python3
"""Writes the expected numeric baseline profiles that BaselineBuilder is tested against.

For each case it draws values with a seeded numpy generator and records what a Python
training pipeline computes with numpy's defaults:
  edges   = [min] + unique interior np.quantile(values, i/k) + [np.nextafter(max, inf)]
  counts  = per bin, bin of x = number of edges <= x (np.searchsorted side="right")
  mean, std (population, ddof=0)

Usage: python3 scripts/make_quantile_fixtures.py [output.json]
Default output: Tests/DriftCoreTests/Fixtures/baseline_building/numpy_quantiles.json
"""
import json
import sys

import numpy as np

DEFAULT_OUTPUT = "Tests/DriftCoreTests/Fixtures/baseline_building/numpy_quantiles.json"


def expected_profile(values: np.ndarray, bins: int) -> dict:
    lo, hi = float(values.min()), float(values.max())
    edges = [lo]
    for i in range(1, bins):
        q = float(np.quantile(values, i / bins))
        if q > edges[-1]:
            edges.append(q)
    upper = float(np.nextafter(hi, np.inf))
    if upper > edges[-1]:
        edges.append(upper)
    index = np.searchsorted(np.array(edges), values, side="right")
    counts = np.bincount(index, minlength=len(edges) + 1)
    return {
        "edges": edges,
        "counts": [float(c) for c in counts],
        "min": lo,
        "max": hi,
        "mean": float(np.mean(values)),
        "std": float(np.std(values)),
    }


def cases(rng: np.random.Generator):
    yield "normal_1000_10", rng.normal(50.0, 12.5, 1000), 10
    yield "lognormal_3000_10", rng.lognormal(0.0, 1.0, 3000), 10
    yield "uniform_500_20", rng.uniform(-1e6, 1e6, 500), 20
    # Integers with heavy ties: several quantiles coincide and must be merged.
    yield "poisson_ties_800_10", rng.poisson(3.0, 800).astype(float) * 10.0 + rng.integers(0, 2, 800) * 0.5, 10
    yield "skewed_ties_400_10", np.concatenate([np.zeros(300), rng.exponential(5.0, 100)]), 10
    yield "small_7_4", rng.normal(0.0, 1.0, 7), 4
    yield "two_values_2_4", np.array([3.25, -1.5]), 4
    yield "single_bin_50_1", rng.normal(0.0, 1.0, 50), 1
    yield "tiny_scale_300_10", rng.normal(1e-9, 1e-12, 300), 10


def main() -> None:
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    rng = np.random.default_rng(20240611)
    document = {
        "generator": "scripts/make_quantile_fixtures.py",
        "numpy": np.__version__,
        "cases": [
            {"name": name, "bins": bins, "values": [float(v) for v in values], **expected_profile(values, bins)}
            for name, values, bins in cases(rng)
        ],
    }
    with open(output, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
