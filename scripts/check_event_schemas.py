#!/usr/bin/env python3
"""Checks docs/schemas/*.schema.json against real driftd input and output.

Generates drifting churn events (each validated against the inference-event schema), runs
`driftd replay` with the example baseline, and validates every alert and retrain CloudEvent it
prints; validates the example baseline and a baseline freshly built by `driftd baseline build`
against the baseline schema, and sample labels against the label schema. Needs `pip install jsonschema` and a built driftd
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
inference_schema = json.loads((root / "docs/schemas/inference-event.schema.json").read_text())
with open(events) as f:
    for line in f:
        jsonschema.validate(json.loads(line), inference_schema)
label_schema = json.loads((root / "docs/schemas/label-event.schema.json").read_text())
for label in ({"model": "churn", "id": "req-42", "label": 1, "timestamp": 1795300000000},
              {"model": "churn", "id": "req-43", "label": "churned", "timestamp": "2026-11-20T10:00:00Z"}):
    jsonschema.validate(label, label_schema)
baseline_schema = json.loads((root / "docs/schemas/baseline.schema.json").read_text())
jsonschema.validate(json.loads((root / "config/baselines/churn.json").read_text()), baseline_schema)
with tempfile.TemporaryDirectory() as scratch:
    built = pathlib.Path(scratch) / "churn.json"
    subprocess.run([driftd, "baseline", "build", "--input", str(root / "config/data/churn_training.csv"),
                    "--model", "churn", "--version", "3", "--prediction-column", "churn_score",
                    "--exclude", "customer_id", "--output", str(built)], check=True, capture_output=True)
    jsonschema.validate(json.loads(built.read_text()), baseline_schema)
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
print(f"schemas valid: 30000 inference events, 2 labels, 2 baselines, {counts['alert']} alert and "
      f"{counts['retrain']} retrain events checked")
