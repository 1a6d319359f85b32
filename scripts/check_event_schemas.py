#!/usr/bin/env python3
"""Checks docs/schemas/{alert,retrain}-event.schema.json against real driftd output.

Generates drifting churn events, runs `driftd replay` with the example baseline, and validates
every alert and retrain CloudEvent it prints. Needs `pip install jsonschema` and a built driftd
(default: .build/debug/driftd; pass another path as the first argument).
"""
import json
import pathlib
import random
import subprocess
import sys
import tempfile

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
driftd = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/driftd")
random.seed(1)
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    for i in range(30_000):
        shift = 40 if i >= 12_000 else 0
        plan = random.choice(["basic", "pro", "enterprise"]) if i < 20_000 else random.choice(["basic", "trial"])
        f.write(json.dumps({
            "model": "churn", "version": "3", "timestamp": 1795300000000 + i * 10,
            "features": {"tenure": random.randint(0, 70), "monthly_charges": random.uniform(20, 110) + shift,
                         "plan": plan, "region": random.choice(["emea", "amer", "apac"]),
                         "support_calls": random.randint(0, 5), "autopay": random.random() < 0.6},
            "prediction": random.random()}) + "\n")
    events = f.name
out = subprocess.run([driftd, "replay", "--baseline", str(root / "config/baselines/churn.json"), "--input", events],
                     check=True, capture_output=True, text=True).stdout
schemas = {t: json.loads((root / f"docs/schemas/{t}-event.schema.json").read_text()) for t in ("alert", "retrain")}
counts = {"alert": 0, "retrain": 0}
for line in out.splitlines():
    event = json.loads(line)
    kind = {"io.driftd.alert": "alert", "io.driftd.retrain": "retrain"}.get(event.get("type"))
    if kind:
        jsonschema.validate(event, schemas[kind])
        counts[kind] += 1
assert counts["alert"] > 0 and counts["retrain"] > 0, counts
print(f"schemas valid: {counts['alert']} alert and {counts['retrain']} retrain events checked")
