#!/usr/bin/env python3
"""Checks docs/schemas/*.schema.json against real driftd input and output.

Generates drifting churn events (each validated against the inference-event schema), runs
`driftd replay` with the example baseline, and validates every alert and retrain CloudEvent it
prints; validates the example baseline and a baseline freshly built by `driftd baseline build`
against the baseline schema, and sample labels against the label schema. Then replays the same
events with labels under the seed performance rule (accuracy below 0.92, retrain: true) and
validates the performance alert and the performance retrain event it publishes. Needs
`pip install jsonschema` and a built driftd (default: .build/debug/driftd; pass another path as
the first argument).
"""
import json
import pathlib
import random
import subprocess
import sys
import tempfile

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent


def validator(name):
    """The validator of docs/schemas/NAME.schema.json, the schema itself checked once.

    `jsonschema.validate` checks the schema again on every call (about 9 ms here), which made
    30,000 events take minutes; one validator per schema takes about 0.2 ms per event.
    """
    schema = json.loads((root / f"docs/schemas/{name}.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


driftd = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/driftd")
random.seed(1)
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    for i in range(30_000):
        shift = 40 if i >= 12_000 else 0
        plan = random.choice(["basic", "pro", "enterprise"]) if i < 20_000 else random.choice(["basic", "trial"])
        f.write(json.dumps({
            "model": "churn", "version": "3", "id": f"e{i}", "timestamp": 1795300000000 + i * 10,
            "features": {"tenure": random.randint(0, 70), "monthly_charges": random.uniform(20, 110) + shift,
                         "plan": plan, "region": random.choice(["emea", "amer", "apac"]),
                         "support_calls": random.randint(0, 5), "autopay": random.random() < 0.6},
            "prediction": random.random()}) + "\n")
    events = f.name
inference_schema = validator("inference-event")
with open(events) as f:
    for line in f:
        inference_schema.validate(json.loads(line))
label_schema = validator("label-event")
for label in ({"model": "churn", "id": "req-42", "label": 1, "timestamp": 1795300000000},
              {"model": "churn", "id": "req-43", "label": "churned", "timestamp": "2026-11-20T10:00:00Z"}):
    label_schema.validate(label)
baseline_schema = validator("baseline")
baseline_schema.validate(json.loads((root / "config/baselines/churn.json").read_text()))
with tempfile.TemporaryDirectory() as scratch:
    built = pathlib.Path(scratch) / "churn.json"
    subprocess.run([driftd, "baseline", "build", "--input", str(root / "config/data/churn_training.csv"),
                    "--model", "churn", "--version", "3", "--prediction-column", "churn_score",
                    "--exclude", "customer_id", "--output", str(built)], check=True, capture_output=True)
    baseline_schema.validate(json.loads(built.read_text()))
    # With labels: the performance reference (calibration) for label-free estimates.
    labelled_csv = pathlib.Path(scratch) / "labelled.csv"
    with open(root / "config/data/churn_training.csv") as source, open(labelled_csv, "w") as out:
        for i, line in enumerate(source):
            cells = line.rstrip("\n").split(",")
            score = cells[-1]
            churned = "churned" if i == 0 else ("1" if random.random() < float(score or 0) else "0")
            out.write(line.rstrip("\n") + "," + churned + "\n")
    subprocess.run([driftd, "baseline", "build", "--input", str(labelled_csv), "--model", "churn", "--version", "3",
                    "--prediction-column", "churn_score", "--label-column", "churned", "--exclude", "customer_id",
                    "--output", str(built)], check=True, capture_output=True)
    with_reference = json.loads(built.read_text())
    assert with_reference["performance_reference"]["format"] == "driftd.cbpe/v1", with_reference.keys()
    baseline_schema.validate(with_reference)
out = subprocess.run([driftd, "replay", "--baseline", str(root / "config/baselines/churn.json"), "--input", events],
                     check=True, capture_output=True, text=True).stdout
schemas = {t: validator(f"{t}-event") for t in ("alert", "retrain")}
counts = {"alert": 0, "retrain": 0}
for line in out.splitlines():
    event = json.loads(line)
    kind = {"io.driftd.alert": "alert", "io.driftd.retrain": "retrain"}.get(event.get("type"))
    if kind:
        schemas[kind].validate(event)
        counts[kind] += 1
        # Every window drift alert says where its distribution moved.
        # (Sequential alarms before the first pane closed have no window to compare yet.)
        if kind == "alert" and event["data"]["method"] != "cusum":
            assert event["data"].get("evidence", {}).get("bins"), event
            if event["data"]["target"] == "prediction":
                assert "attribution" in event["data"], event
assert counts["alert"] > 0 and counts["retrain"] > 0, counts

# Labels for the same events: the predicted class (prediction >= 0.5) right 95 times in 100 for
# the first 15,000 events, 88 times in 100 after; each label a second after its event.
performance = {"alert": 0, "retrain": 0}
with tempfile.TemporaryDirectory() as scratch:
    labels = pathlib.Path(scratch) / "labels.jsonl"
    with open(events) as source, open(labels, "w") as out:
        for i, line in enumerate(source):
            event = json.loads(line)
            agree = (i % 100) < (95 if i < 15_000 else 88)
            truth = (event["prediction"] >= 0.5) == agree
            label = {"model": "churn", "id": event["id"], "label": 1 if truth else 0, "timestamp": event["timestamp"] + 1000}
            label_schema.validate(label)
            out.write(json.dumps(label) + "\n")
    config = pathlib.Path(scratch) / "driftd.yaml"
    config.write_text(
        "kafka: { brokers: localhost:9092, label_topics: [labels] }\n"
        # No retrain cooldown: the drift-share requests of the drifting features come first, and
        # would otherwise hold the performance request back (they share the model's cooldown).
        "defaults:\n  retrain: { cooldown: 0s }\n  performance:\n    window: 10000\n    rules:\n"
        "      - { metric: accuracy, below: 0.92, retrain: true }\n"
        f"models:\n  - baseline: {root / 'config/baselines/churn.json'}\n")
    out = subprocess.run([driftd, "replay", "--config", str(config), "--input", events, "--labels", str(labels)],
                         check=True, capture_output=True, text=True).stdout
for line in out.splitlines():
    event = json.loads(line)
    kind = {"io.driftd.alert": "alert", "io.driftd.retrain": "retrain"}.get(event.get("type"))
    if kind:
        schemas[kind].validate(event)
        counts[kind] += 1
        data = event["data"]
        if data.get("target") == "performance" or data.get("trigger") == "performance":
            performance[kind] += 1
        if data.get("target") == "performance":
            assert "attribution" in data, data
assert performance == {"alert": 1, "retrain": 1}, performance

# Latency and cost: the same events with latency_ms (tripled from event 15,000) and cost, under a
# p99 objective of 200 ms: exactly one latency alert (firing), valid against the alert schema.
latency_alerts = []
with tempfile.TemporaryDirectory() as scratch:
    timed = pathlib.Path(scratch) / "timed.jsonl"
    with open(events) as source, open(timed, "w") as out:
        for i, line in enumerate(source):
            event = json.loads(line)
            event["latency_ms"] = random.uniform(50, 100) * (3 if i >= 15_000 else 1)
            event["cost"] = 0.0004
            inference_schema.validate(event)
            out.write(json.dumps(event) + "\n")
    config = pathlib.Path(scratch) / "driftd.yaml"
    config.write_text(
        "kafka: { brokers: localhost:9092 }\n"
        "defaults:\n  latency: { p99_below: 200ms }\n  cost: { unit: USD, per_1000_below: 0.5 }\n"
        f"models:\n  - baseline: {root / 'config/baselines/churn.json'}\n")
    out = subprocess.run([driftd, "replay", "--config", str(config), "--input", str(timed)],
                         check=True, capture_output=True, text=True).stdout
for line in out.splitlines():
    event = json.loads(line)
    if event.get("type") == "io.driftd.alert" and event["data"]["target"] in ("latency", "cost"):
        schemas["alert"].validate(event)
        latency_alerts.append((event["data"]["target"], event["data"]["method"], event["data"]["status"]))
assert latency_alerts == [("latency", "p99", "firing")], latency_alerts
counts["alert"] += len(latency_alerts)
# Canary: versions 3 and 4 of churn live at once (4 on 30% of the traffic), compared under a
# canary rule. A candidate whose predictions shift and whose latency doubles: exactly one
# io.driftd.rollback; an equal candidate: exactly one io.driftd.promote. Both validated.
canary_schemas = {t: validator(f"{t}-event") for t in ("rollback", "promote")}
decisions = {}
with tempfile.TemporaryDirectory() as scratch:
    v4 = json.loads((root / "config/baselines/churn.json").read_text())
    v4["version"], v4["id"] = "4", "churn@4:0000beef"
    (pathlib.Path(scratch) / "churn-4.json").write_text(json.dumps(v4))
    config = pathlib.Path(scratch) / "driftd.yaml"
    config.write_text(
        "kafka: { brokers: localhost:9092 }\n"
        f"models:\n  - baseline: {root / 'config/baselines/churn.json'}\n  - baseline: churn-4.json\n"
        "versions:\n  canaries:\n    - { model: churn, incumbent: '3', candidate: '4', min_events: 2000, step: 10s,\n"
        "        compare: { prediction: 0.05, features: 0.2, latency: 1.2 } }\n")
    for case, shift, slower in (("shifted", 0.2, 2.0), ("equal", 0.0, 1.0)):
        rng = random.Random(7)
        path = pathlib.Path(scratch) / f"{case}.jsonl"
        with open(path, "w") as out:
            for i in range(20_000):
                candidate = i % 10 < 3
                event = {
                    "model": "churn", "version": "4" if candidate else "3", "id": f"c{i}", "timestamp": 1795300000000 + i * 10,
                    "features": {"tenure": rng.randint(0, 70), "monthly_charges": rng.uniform(20, 110),
                                 "plan": rng.choice(["basic", "pro", "enterprise"]), "region": rng.choice(["emea", "amer", "apac"]),
                                 "support_calls": rng.randint(0, 5), "autopay": rng.random() < 0.6},
                    "prediction": min(1.0, rng.random() * 0.8 + (shift if candidate else 0)),
                    "latency_ms": rng.uniform(40, 80) * (slower if candidate else 1)}
                inference_schema.validate(event)
                out.write(json.dumps(event) + "\n")
        out = subprocess.run([driftd, "replay", "--config", str(config), "--input", str(path)],
                             check=True, capture_output=True, text=True).stdout
        found = []
        for line in out.splitlines():
            event = json.loads(line)
            kind = {"io.driftd.rollback": "rollback", "io.driftd.promote": "promote"}.get(event.get("type"))
            if kind:
                canary_schemas[kind].validate(event)
                found.append((kind, tuple(sorted(event["data"]["worse"]))))
        decisions[case] = found
assert decisions["shifted"] == [("rollback", ("latency", "prediction"))], decisions
assert decisions["equal"] == [("promote", ())], decisions

print(f"schemas valid: 30000 inference events, 30002 labels, 3 baselines, {counts['alert']} alert and "
      f"{counts['retrain']} retrain events checked ({performance['alert']} performance alert, "
      f"{performance['retrain']} performance retrain); canary: one rollback and one promote event checked")
