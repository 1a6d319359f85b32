#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (Fuzz/Corpus, committed; docs/operations.md, "Fuzzing").

decoders/: inference events built from rows of config/data/churn_training.csv (the data
config/baselines/churn.json was built from), the documented variants of each field (integer
versions, RFC 3339 timestamps, escapes, nulls, unknown features), label events, and batches of
several events on separate lines (the target cuts its input at newlines).
config/: config/driftd.yaml, the DriftConfig test fixtures and the Kubernetes ConfigMap's
driftd.yaml, with baseline paths pointed at `baselines/churn.json` (the target's scratch
directory holds a copy of config/baselines/churn.json there).

Deterministic: run it again after changing the sources and commit the result.
"""
import csv
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Fuzz" / "Corpus"


def training_rows(count):
    with open(ROOT / "config" / "data" / "churn_training.csv", newline="") as f:
        return [row for _, row in zip(range(count), csv.DictReader(f))]


def event(row, index, **extra):
    features = {
        "tenure": int(row["tenure"]),
        "monthly_charges": float(row["monthly_charges"]),
        "plan": row["plan"],
        "region": row["region"],
        "support_calls": int(row["support_calls"]),
        "autopay": row["autopay"] == "true",
    }
    body = {"model": "churn", "version": "3", "id": row["customer_id"], "timestamp": 1795300000000 + index,
            "features": features, "prediction": float(row["churn_score"]), "latency_ms": 4.5}
    body.update(extra)
    return json.dumps(body, separators=(",", ":"))


def decoder_seeds():
    rows = training_rows(8)
    seeds = {f"event-{i}.json": event(row, i) for i, row in enumerate(rows[:4])}
    r = rows[4]
    seeds["event-int-version.json"] = event(r, 10, version=3)
    seeds["event-old-version.json"] = event(r, 11, version="2")
    seeds["event-unknown-version.json"] = event(r, 12, version="9")
    seeds["event-no-version.json"] = re.sub(r'"version":"3",', "", event(r, 13))
    seeds["event-rfc3339.json"] = event(r, 14, timestamp="2026-11-21T10:06:40.123+01:30")
    seeds["event-null-fields.json"] = event(r, 15, timestamp=None, id=None, prediction=None, latency_ms=None)
    seeds["event-integer-id.json"] = event(r, 16, id=18446744073709551615)
    seeds["event-unknown-feature.json"] = event(r, 17).replace('"features":{', '"features":{"coupon":"x","score":[1,{"a":null}],')
    seeds["event-escapes.json"] = event(r, 18).replace('"plan":"', '"pl\\u0061n":"').replace('"region":"', '"region":"\\u00e9\\n')
    seeds["event-unseen-category.json"] = event(r, 19).replace('"plan":"basic"', '"plan":"trial"').replace('"plan":"pro"', '"plan":"trial"')
    seeds["event-missing-features.json"] = json.dumps({"model": "churn", "features": {"tenure": None}})
    seeds["event-keys-reordered.json"] = (
        '{"features":{"autopay":false,"support_calls":3,"region":"apac","plan":"team","monthly_charges":99.5,'
        '"tenure":1e1},"prediction":0.5,"model":"churn","timestamp":"2026-01-01 00:00:60Z"}')
    seeds["event-big-numbers.json"] = event(r, 20).replace('"tenure":', '"tenure":-1.7976931348623157e308,"x":')
    seeds["event-duplicate.json"] = event(r, 21).replace('"features":{', '"features":{"tenure":1,')
    seeds["label-number.json"] = json.dumps({"model": "churn", "id": "c00001", "label": 1, "timestamp": 1795300000000})
    seeds["label-string.json"] = json.dumps({"model": "churn", "id": 42, "label": "churned",
                                             "timestamp": "2026-11-21T10:06:40Z"})
    seeds["label-bool.json"] = json.dumps({"label": True, "id": "c00002", "model": "churn"})
    seeds["batch-events.jsonl"] = "\n".join(event(row, 100 + i) for i, row in enumerate(rows))
    seeds["batch-mixed.jsonl"] = "\n".join([event(rows[0], 200), "", "[1,2]", seeds["label-number.json"],
                                            event(rows[1], 201, model="fraud"), event(rows[2], 202)[:-7]])
    return seeds


def config_seeds():
    def repoint(text):
        return re.sub(r"baseline: \S+\.json", "baseline: baselines/churn.json", text)

    seeds = {"driftd.yaml": repoint((ROOT / "config" / "driftd.yaml").read_text())}
    for path in sorted((ROOT / "Tests" / "DriftConfigTests" / "Fixtures" / "configs").glob("*.yaml")):
        seeds[f"fixture-{path.name}"] = repoint(path.read_text())
    configmap = (ROOT / "deploy" / "kubernetes" / "configmap.yaml").read_text()
    embedded = configmap.split("driftd.yaml: |\n", 1)[1]
    seeds["kubernetes-configmap.yaml"] = repoint("".join(
        line[4:] if line.startswith("    ") else line for line in embedded.splitlines(keepends=True)))
    return seeds


def write(directory, seeds):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, text in seeds.items():
        (directory / name).write_text(text)


if __name__ == "__main__":
    write(OUT / "decoders", decoder_seeds())
    write(OUT / "config", config_seeds())
    print(f"wrote {len(list((OUT / 'decoders').iterdir()))} decoder seeds, "
          f"{len(list((OUT / 'config').iterdir()))} config seeds under {OUT.relative_to(ROOT)}")
