#!/usr/bin/env python3
"""Data for the `driftd compare` speed measurement (docs/compare.md, "Speed").

Writes two seeded CSV files of 200,000 rows and 40 columns each into OUT_DIR (default: a new
temporary directory, printed on the last line):

- train.csv    the training distribution;
- current.csv  the production draw: numeric columns 0-5 shifted by 0.3 (sd or scale units),
               categorical columns 0-3 re-weighted (the first category 3x as likely).

24 numeric columns (normal, exponential x 100, integers 0-1000; 2 % empty cells) and 16
categorical columns of 2-12 categories. With --jsonl, current.jsonl holds the same rows as JSON
lines (null for a missing number). Standard library only; deterministic (random.Random(seed)).

    python3 scripts/make_compare_bench.py [--out OUT_DIR] [--rows N] [--jsonl]
"""
import argparse
import csv
import json
import os
import random
import tempfile

NUMERIC = 24
CATEGORICAL = 16
CATEGORIES = [list("abcde"), ["basic", "pro", "enterprise"], ["yes", "no"], [str(i) for i in range(12)]]


def generate(path, rows, seed, shift):
    r = random.Random(seed)
    with open(path, "w") as f:
        f.write(",".join([f"num_{i}" for i in range(NUMERIC)] + [f"cat_{i}" for i in range(CATEGORICAL)]) + "\n")
        for _ in range(rows):
            row = []
            for i in range(NUMERIC):
                if r.random() < 0.02:
                    row.append("")
                    continue
                mu = shift if i < 6 else 0.0
                if i % 3 == 0:
                    v = r.gauss(mu, 1)
                elif i % 3 == 1:
                    v = r.expovariate(1) * 100 + mu * 100
                else:
                    v = r.randint(0, 1000) + mu * 200
                row.append(repr(round(v, 6)) if i % 3 != 2 else str(int(v)))
            for i in range(CATEGORICAL):
                c = CATEGORIES[i % 4]
                row.append(r.choices(c, weights=[3.0] + [1.0] * (len(c) - 1))[0] if shift and i < 4 else r.choice(c))
            f.write(",".join(row) + "\n")


def to_jsonl(csv_path, jsonl_path):
    with open(csv_path) as src, open(jsonl_path, "w") as out:
        reader = csv.reader(src)
        header = next(reader)
        for row in reader:
            record = {}
            for k, v in zip(header, row):
                if k.startswith("num_"):
                    record[k] = None if v == "" else int(v) if v.lstrip("-").isdigit() else float(v)
                else:
                    record[k] = v
            out.write(json.dumps(record) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="directory to write into (created; default: a new temporary directory)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--jsonl", action="store_true", help="also write current.jsonl")
    args = parser.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="driftd-compare-bench-")
    os.makedirs(out, exist_ok=True)
    generate(os.path.join(out, "train.csv"), args.rows, 1, 0.0)
    generate(os.path.join(out, "current.csv"), args.rows, 2, 0.3)
    if args.jsonl:
        to_jsonl(os.path.join(out, "current.csv"), os.path.join(out, "current.jsonl"))
    print(out)


if __name__ == "__main__":
    main()
