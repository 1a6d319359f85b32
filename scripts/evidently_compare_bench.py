#!/usr/bin/env python3
"""Evidently's data-drift report on the `make compare-bench` files, for the speed comparison in
docs/compare.md ("Speed"): the whole process is what `driftd baseline build` + `driftd compare`
are measured against.

Reads the training file (reference) and the production file (current) with pandas, runs
`Report([DataDriftPreset()])` with Evidently's defaults (column types inferred, its default test
per column) and writes the report as JSON. Needs `pip install evidently` (0.7.x; measured with
0.7.23, pandas 2.3.3: Evidently 0.7.23 does not import with pandas 3), best in a virtual
environment outside the repository:

    python3 -m venv /tmp/evidently-venv && /tmp/evidently-venv/bin/pip install evidently==0.7.23 "pandas<3"
    /tmp/evidently-venv/bin/python scripts/evidently_compare_bench.py TRAIN.csv CURRENT.csv OUT.json
"""
import sys

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: evidently_compare_bench.py TRAIN.csv CURRENT.csv OUT.json")
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    snapshot = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
    with open(sys.argv[3], "w") as out:
        out.write(snapshot.json())


if __name__ == "__main__":
    main()
