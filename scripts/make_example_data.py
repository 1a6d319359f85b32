#!/usr/bin/env python3
"""Writes config/data/churn_training.csv: synthetic training data for the example churn model.

Deterministic (seeded, standard library only). The example baseline
config/baselines/churn.json is built from it by BaselineBuilder; regenerate with
  python3 scripts/make_example_data.py
  DRIFTD_UPDATE_EXAMPLES=1 swift test --filter ExampleBaselineTests
"""
import csv
import math
import random

ROWS = 2000


def main() -> None:
    rng = random.Random(7)
    with open("config/data/churn_training.csv", "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["customer_id", "tenure", "monthly_charges", "plan", "region", "support_calls", "autopay", "churn_score"])
        for i in range(ROWS):
            plan = rng.choices(["basic", "pro", "team"], weights=[5, 3, 2])[0]
            region = rng.choices(["emea", "amer", "apac"], weights=[4, 4, 2])[0]
            tenure = min(72, int(rng.expovariate(1 / 20)))
            charges = round({"basic": 19.0, "pro": 49.0, "team": 99.0}[plan] + rng.gauss(0, 6), 2)
            calls = min(9, int(rng.expovariate(1 / 1.5)))
            autopay = rng.random() < 0.6
            logit = -1.0 - 0.05 * tenure + 0.35 * calls - (0.8 if autopay else 0.0)
            score = round(1 / (1 + math.exp(-logit)), 4)
            # About 2% of charges are missing, as in real exports.
            charges_cell = "" if rng.random() < 0.02 else charges
            out.writerow([f"c{i:05d}", tenure, charges_cell, plan, region, calls, "true" if autopay else "false", score])


if __name__ == "__main__":
    main()
