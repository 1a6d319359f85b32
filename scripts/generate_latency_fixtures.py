#!/usr/bin/env python3
"""Golden latency percentiles for DriftCore's QuantileSketch and ServingWindow, computed with numpy.

Writes Tests/DriftCoreTests/Fixtures/serving/latency.json: seeded latency samples (milliseconds,
rounded to 1 microsecond so the JSON holds the exact values numpy saw) of several shapes, and
their exact percentiles, both numpy's `method="lower"` (the order statistic of rank
floor(q (n - 1)), which the sketch's relative-error bound refers to) and numpy's default
`method="linear"`. A sliding case adds the percentiles of the last window of a count window.
Deterministic (numpy default_rng with fixed seeds). Run from the repository root:

    python3 scripts/generate_latency_fixtures.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "serving")
QUANTILES = [0.5, 0.9, 0.95, 0.99, 1.0]


def percentiles(values):
    v = np.asarray(values)
    return {
        "lower": [float(np.quantile(v, q, method="lower")) for q in QUANTILES],
        "linear": [float(np.quantile(v, q)) for q in QUANTILES],
    }


def case(name, values, window=None):
    values = np.round(np.asarray(values, dtype=float), 3)
    out = {"name": name, "values": [float(x) for x in values], **percentiles(values)}
    if window is not None:
        events, panes = window
        pane = events // panes
        closed = len(values) // pane
        last = values[(closed - panes) * pane: closed * pane]
        out["window"] = {"events": events, "panes": panes, **percentiles(last)}
    return out


def main():
    rng = np.random.default_rng(20261203)
    cases = [
        case("lognormal", rng.lognormal(mean=np.log(20), sigma=0.6, size=10000)),
        # A fast path and a slow tail (cache hits and misses).
        case("bimodal", np.concatenate([rng.normal(5, 0.5, 8000).clip(0.1), rng.normal(180, 30, 2000).clip(1)])[rng.permutation(10000)]),
        # Exponential with exact zeros (responses served from cache in under 1 microsecond).
        case("exponential_with_zeros", np.where(rng.random(8000) < 0.05, 0.0, rng.exponential(12, 8000))),
        # Whole milliseconds: heavy ties.
        case("integer_ms", rng.integers(1, 60, 6000).astype(float)),
        # Pareto tail spanning six orders of magnitude.
        case("pareto_tail", (rng.pareto(1.2, 10000) + 1) * 0.5),
        # Sliding: the latency doubles halfway; the window holds the last 10,000 of 25,000 events.
        case("sliding_shift", np.concatenate([rng.gamma(4, 5, 12500), 2 * rng.gamma(4, 5, 12500)]), window=(10000, 10)),
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "latency.json"), "w") as fh:
        json.dump({"numpy": np.__version__, "quantiles": QUANTILES, "cases": cases}, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
