#!/usr/bin/env python3
"""River's ADWIN and Page-Hinkley on the detection-quality streams written by the Swift benchmark.

Reads <dir>/streams.json (written by `DetectionQuality run`), feeds each stream's column to
River's detectors event by event, and writes <dir>/river-results.json in the same shape as
driftd's results, so `DetectionQuality report` can join them.

Detectors (River defaults except ADWIN's delta, which is River's default too):
  ADWIN(delta=0.002) and PageHinkley() (min_instances=30, delta=0.005, threshold=50,
  alpha=0.9999, mode="both").

River's detectors take one number per event. Numeric columns are fed raw; categorical columns
are fed the indicator of one bin, missing values the indicator of "missing" (the manifest says
which). Delay: events from the change point to the first alarm at or after it, the alarming
event counted (an alarm on the first changed event has delay 1), exactly as for driftd.
"""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import sys
import time

import numpy as np

try:
    import river
    from river import drift
except ImportError:  # pragma: no cover - run.sh installs it
    sys.exit("river_baseline.py: River is not installed (pip install river)")

DETECTORS = {
    "adwin": ("River ADWIN", "river.drift.ADWIN(delta=0.002)", lambda: drift.ADWIN(delta=0.002)),
    "page_hinkley": (
        "River Page-Hinkley",
        "river.drift.PageHinkley() defaults: min_instances=30, delta=0.005, threshold=50, alpha=0.9999, mode='both'",
        lambda: drift.PageHinkley(),
    ),
}


class ManifestError(Exception):
    """The manifest or a stream file is unusable."""


def load_column(directory: pathlib.Path, file: str, events: int, spec: dict) -> list[float]:
    """The column as River sees it: raw values, a bin indicator, or the missing indicator."""
    path = directory / file
    values = np.fromfile(path, dtype="<f8")
    if values.size != events:
        raise ManifestError(f"{path}: {values.size} values, manifest says {events}")
    kind = spec.get("kind")
    if kind == "raw":
        if np.isnan(values).any():
            raise ManifestError(f"{path}: raw input holds missing values")
        return values.tolist()
    if kind == "indicator":
        if not isinstance(spec.get("bin"), int):
            raise ManifestError(f"{path}: indicator input without a bin")
        return (values == float(spec["bin"])).astype(np.float64).tolist()
    if kind == "missing":
        return np.isnan(values).astype(np.float64).tolist()
    raise ManifestError(f"{path}: unknown input kind {kind!r}")


def alarms(detector, values: list[float], stop_after: int | None = None) -> list[int]:
    """Indexes of the events at which the detector signalled drift.

    With stop_after, stops at the first alarm at or after that index (delay runs need no more).
    """
    found = []
    update = detector.update
    for i, x in enumerate(values):
        update(x)
        if detector.drift_detected:
            found.append(i)
            if stop_after is not None and i >= stop_after:
                break
    return found


def run(directory: pathlib.Path) -> dict:
    manifest = json.loads((directory / "streams.json").read_text())
    started = time.perf_counter()
    runs = []
    for stream in manifest["scenarioStreams"]:
        values = load_column(directory, stream["file"], stream["events"], stream["input"])
        change = stream["changeIndex"]
        outcomes = {}
        for key, (_, _, make) in DETECTORS.items():
            hits = alarms(make(), values, stop_after=change)
            after = [i for i in hits if i >= change]
            outcomes[key] = {
                "delay": after[0] - change + 1 if after else None,
                "preChangeAlarms": sum(1 for i in hits if i < change),
            }
        runs.append({"scenario": stream["scenario"], "seed": stream["seed"], "changeIndex": change, "outcomes": outcomes})
    print(f"river_baseline.py: {len(runs)} change-point streams ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    stationary = {key: [] for key in DETECTORS}
    events = manifest["stationaryEvents"]
    for feature in manifest["stationary"]:
        values = load_column(directory, feature["file"], events, feature["input"])
        for key, (_, _, make) in DETECTORS.items():
            stationary[key].append({"feature": feature["feature"], "alarms": len(alarms(make(), values))})
        print(f"river_baseline.py: stationary {feature['feature']} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    return {
        "tool": f"River {river.__version__}",
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        "settings": {"inputs": "raw numeric values; categorical: indicator of one bin; missing: indicator of NaN"},
        "detectors": [{"id": k, "label": label, "summary": summary} for k, (label, summary, _) in DETECTORS.items()],
        "scenarios": [],
        "runs": runs,
        "stationaryEvents": events,
        "stationary": [{"detector": k, "features": v} for k, v in stationary.items()],
        "seconds": round(time.perf_counter() - started),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=pathlib.Path, help="directory holding streams.json")
    args = parser.parse_args()
    try:
        results = run(args.out)
    except (ManifestError, OSError, KeyError, ValueError) as error:
        print(f"river_baseline.py: {error}", file=sys.stderr)
        return 1
    (args.out / "river-results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
