#!/usr/bin/env python3
"""Reference histograms for DriftCore's bin counting and sliding windows, computed with numpy.

Run once (python3 scripts/generate_window_fixtures.py) and commit the JSON it writes:
Tests/DriftCoreTests/Fixtures/windows/histograms.json. Deterministic (fixed seed).

Bin convention (driftd): bin(x) = number of edges <= x  ==  numpy.searchsorted(edges, x, side="right").
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261122)
cases = []


def add_case(name, values, edges, window_events=None, panes=None):
    values = np.asarray(values, dtype=float)
    edges = np.asarray(edges, dtype=float)
    present = values[~np.isnan(values)]
    bins = np.searchsorted(edges, present, side="right")
    counts = np.bincount(bins, minlength=len(edges) + 1)
    case = {
        "name": name,
        "edges": edges.tolist(),
        # NaN is not valid JSON: missing values are written as null.
        "values": [None if np.isnan(v) else float(v) for v in values],
        "counts": counts.astype(float).tolist(),
        "missing": float(np.isnan(values).sum()),
    }
    if window_events is not None:
        # Count window: the last `panes` closed panes of window_events/panes events each.
        pane = window_events // panes
        closed = (len(values) // pane) * pane
        start = max(0, closed - panes * pane)
        tail = values[start:closed]
        tail_present = tail[~np.isnan(tail)]
        wcounts = np.bincount(np.searchsorted(edges, tail_present, side="right"), minlength=len(edges) + 1)
        case["window"] = {
            "events": int(window_events),
            "panes": int(panes),
            "counts": wcounts.astype(float).tolist(),
            "missing": float(np.isnan(tail).sum()),
            "window_events": int(closed - start),
        }
    cases.append(case)


train = rng.normal(0, 1, 20_000)
edges16 = np.unique(np.quantile(train, np.linspace(0, 1, 17)))
edges16[-1] = np.nextafter(edges16[-1], np.inf)
add_case("normal_16_quantile_edges", rng.normal(0.3, 1.2, 5_003), edges16)

vals = rng.normal(0, 1, 4_000)
vals[rng.random(4_000) < 0.1] = np.nan
add_case("with_missing", vals, edges16)

# Values exactly on edges, duplicates, and outside the range on both sides.
on_edges = np.concatenate([edges16, edges16, [-1e9, 1e9, edges16[0] - 1e-12, edges16[-1]]])
add_case("values_on_edges", on_edges, edges16)

# Skewed data: most values in one bin (the sub-histogram case).
skew = np.where(rng.random(10_000) < 0.95, 0.5, rng.normal(0, 3, 10_000))
add_case("skewed", skew, np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))

# 64 edges.
edges64 = np.quantile(rng.exponential(2.0, 50_000), np.linspace(0, 1, 65)[1:-1])
add_case("exponential_64_edges", rng.exponential(2.5, 7_777), np.unique(edges64))

# One edge (a constant training feature).
add_case("single_edge", rng.integers(0, 3, 1_000).astype(float), np.array([1.0]))

# Sliding count window: 23,456 events, window 10,000 in 10 panes.
stream = rng.normal(0, 1, 23_456)
stream[rng.random(23_456) < 0.02] = np.nan
add_case("count_window", stream, edges16, window_events=10_000, panes=10)

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/DriftCoreTests/Fixtures/windows/histograms.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps({"generator": "scripts/generate_window_fixtures.py", "numpy": np.__version__, "cases": cases}))
print(f"wrote {out} ({len(cases)} cases)")
