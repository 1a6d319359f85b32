#!/usr/bin/env python3
"""Validates docs/asyncapi.yaml (AsyncAPI 3.0) and checks it against driftd itself.

Usage: check_asyncapi.py [DRIFTD_BINARY]

- The document validates against the official AsyncAPI 3.0.0 JSON Schema, committed as
  docs/schemas/asyncapi-3.0.0.schema.json (asyncapi/spec-json-schemas, schemas/3.0.0-without-$id.json,
  Apache-2.0, minified), offline.
- Every reference resolves: `#/...` pointers inside the document, `./schemas/*.json` files
  beside it; each operation's messages belong to its channel; every channel has an operation.
- Every topic driftd reads or writes has its channel: kafka.input_topics, label_topics,
  alert_topic, retrain_topic, dead_letter_topic and state.topic, with the configuration's
  defaults (config/driftd.yaml) as parameter defaults.
- The referenced payload schemas use only draft-07 keywords (the document declares them so);
  every message example validates against its payload and headers schemas.
- Headers: the alert and retrain headers RecordFactory sets, the dead-letter headers of
  DeadLetterHeader and the checkpoint headers of CheckpointChunks (KafkaCheckpointStore, StageStateStore) are declared; the dead-letter reason enum is exactly DecodeError's codes plus
  the daemon's own (timestamp_out_of_range).
- With DRIFTD_BINARY: `driftd replay` of events with every kind of defect produces dead letters
  whose headers validate against the dead-letter message's headers schema.

Exit status 0 when every check passed; each failure is printed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

from checklib import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "asyncapi.yaml")
SPEC_SCHEMA = os.path.join(ROOT, "docs", "schemas", "asyncapi-3.0.0.schema.json")
# JSON Schema keywords newer than draft-07: a draft-07 reader would ignore them.
NEWER_KEYWORDS = {"$defs", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                  "dependentSchemas", "$anchor", "$dynamicRef", "$dynamicAnchor", "minContains", "maxContains"}
# Channel -> the config key of its topic(s).
CHANNEL_TOPICS = {"inference": "kafka.input_topics", "labels": "kafka.label_topics", "alerts": "kafka.alert_topic",
                  "retrain": "kafka.retrain_topic", "deadLetter": "kafka.dead_letter_topic", "state": "state.topic",
                  "partialPanes": "scale_out.internal_topic"}

CHECKS = Checks("check_asyncapi")
check = CHECKS.check
failures = CHECKS.failures


def pointer(document, ref: str):
    node = document
    for part in ref.lstrip("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def walk_refs(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from walk_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_refs(value, f"{path}/{i}")


def keywords(node) -> set:
    found = set()
    if isinstance(node, dict):
        found |= set(node)
        for key, value in node.items():
            if key not in ("properties", "patternProperties", "$defs", "definitions"):
                found |= keywords(value)
            else:
                for sub in value.values():
                    found |= keywords(sub)
    elif isinstance(node, list):
        for value in node:
            found |= keywords(value)
    return found


def load_payload_schema(message: dict) -> dict | None:
    payload = message.get("payload", {})
    schema = payload.get("schema", payload) if isinstance(payload, dict) else payload
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref and not ref.startswith("#"):
        with open(os.path.join(os.path.dirname(DOC), ref)) as f:
            return json.load(f)
    return schema


def source_header_names() -> tuple[set, set, set]:
    with open(os.path.join(ROOT, "Sources", "DriftDaemon", "Pipeline", "RecordFactory.swift")) as f:
        factory = f.read()
    alert = retrain = set()
    m = re.search(r"case \.alert.*?headers: \[(.*?)\]", factory, re.S)
    if m:
        alert = set(re.findall(r'KafkaHeader\(name: "([^"]+)"', m.group(1)))
    m = re.search(r"case \.retrain.*?headers: \[(.*?)\]", factory, re.S)
    if m:
        retrain = set(re.findall(r'KafkaHeader\(name: "([^"]+)"', m.group(1)))
    with open(os.path.join(ROOT, "Sources", "DriftDaemon", "Pipeline", "DeadLetterHeader.swift")) as f:
        dead = set(re.findall(r'static let \w+ = "([^"]+)"', f.read()))
    state = set()
    path = os.path.join(ROOT, "Sources", "DriftDaemon", "State", "CheckpointChunks.swift")
    if os.path.exists(path):
        with open(path) as f:
            state = set(re.findall(r'static let \w+Header = "([^"]+)"', f.read()))
    return alert, retrain, dead, state


def reason_codes() -> set:
    with open(os.path.join(ROOT, "Sources", "DriftDecode", "DecodeError.swift")) as f:
        codes = set(re.findall(r'static let \w+ = Code\(rawValue: "([a-z_]+)"\)', f.read()))
    daemon = os.path.join(ROOT, "Sources", "DriftDaemon", "Pipeline")
    for name in os.listdir(daemon):
        with open(os.path.join(daemon, name)) as f:
            text = f.read()
            codes |= set(re.findall(r'code: "([a-z_]+)"', text))
            # Reason codes the daemon names as constants (RejectedEvent.timestampOutOfRange).
            codes |= set(re.findall(r'static let \w+ = "([a-z_]+_[a-z_]+)"', text)) if name == "RejectedEvent.swift" else set()
    return codes


def replay_dead_letters(driftd: str) -> list[dict]:
    lines = [
        '{"model":"churn","features":{"tenure":12}',  # invalid_json
        '[1,2]',  # not_an_object
        '{"features":{"tenure":1}}',  # missing_model
        '{"model":"nope","features":{"tenure":1}}',  # unknown_model
        '{"model":"churn"}',  # missing_features
        '{"model":"churn","features":{"tenure":"long"}}',  # wrong_type
        '{"model":"churn","timestamp":"yesterday","features":{"tenure":1}}',  # bad_timestamp
        '{"model":"churn","model":"churn","features":{"tenure":1}}',  # duplicate_key
        '{"model":"churn","timestamp":1795300000000,"features":{"tenure":3,"plan":"pro"}}',  # fine
    ]
    with tempfile.TemporaryDirectory(prefix="driftd-asyncapi-") as tmp:
        path = os.path.join(tmp, "events.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        result = subprocess.run([driftd, "replay", "--baseline", os.path.join(ROOT, "config", "baselines", "churn.json"),
                                 "--input", path], capture_output=True, text=True)
    check(result.returncode == 0, f"driftd replay failed: {result.stderr[-500:]}")
    return [json.loads(line) for line in result.stdout.splitlines() if '"driftd.dead_letter"' in line]


def main() -> None:
    driftd = sys.argv[1] if len(sys.argv) > 1 else None
    with open(DOC) as f:
        doc = yaml.safe_load(f)
    with open(SPEC_SCHEMA) as f:
        spec = json.load(f)
    errors = sorted(jsonschema.Draft7Validator(spec).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    # The spec schema's if/then chains report the same problem several times; the deepest path is the useful one.
    check(not errors, "docs/asyncapi.yaml does not validate against the AsyncAPI 3.0.0 schema: "
          + "; ".join(f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]))
    check(doc.get("asyncapi") == "3.0.0", f"asyncapi: {doc.get('asyncapi')}, expected 3.0.0")

    for path, ref in walk_refs(doc):
        if ref.startswith("#"):
            try:
                pointer(doc, ref)
            except (KeyError, IndexError, TypeError):
                check(False, f"{path}: $ref {ref} does not resolve")
        else:
            check(os.path.isfile(os.path.join(os.path.dirname(DOC), ref.split("#")[0])), f"{path}: $ref {ref}: no such file")

    channels = doc.get("channels", {})
    operations = doc.get("operations", {})
    used = set()
    for name, operation in operations.items():
        channel_ref = operation.get("channel", {}).get("$ref", "")
        channel_name = channel_ref.rsplit("/", 1)[-1]
        used.add(channel_name)
        for message in operation.get("messages", []):
            check(message.get("$ref", "").startswith(f"#/channels/{channel_name}/messages/"),
                  f"operation {name}: message {message.get('$ref')} is not one of channel {channel_name}'s")
    check(set(channels) == used, f"channels without an operation: {sorted(set(channels) - used)}")
    check(set(CHANNEL_TOPICS) == set(channels), f"channels {sorted(channels)}, expected one per topic role {sorted(CHANNEL_TOPICS)}")
    with open(os.path.join(ROOT, "config", "driftd.yaml")) as f:
        example = yaml.safe_load(f)
    for name, key in CHANNEL_TOPICS.items():
        channel = channels.get(name, {})
        params = channel.get("parameters", {})
        check(len(params) == 1 and re.fullmatch(r"\{\w+\}", channel.get("address", "")),
              f"channel {name}: address {channel.get('address')} should be one {{parameter}}")
        check(key in json.dumps(channel), f"channel {name} does not name its config key {key}")
        section, field = key.split(".")
        default = (example.get(section) or {}).get(field)
        default = default[0] if isinstance(default, list) and default else (None if isinstance(default, list) else default)
        for param in params.values():
            check(param.get("default") == default, f"channel {name}: default topic {param.get('default')}, config default {default}")

    messages = doc.get("components", {}).get("messages", {})
    for name, message in messages.items():
        payload = message.get("payload", {})
        if isinstance(payload, dict) and "schemaFormat" in payload:
            check(payload["schemaFormat"] == "application/schema+json;version=draft-07", f"message {name}: schemaFormat {payload['schemaFormat']}")
        schema = load_payload_schema(message)
        newer = keywords(schema) & NEWER_KEYWORDS
        check(not newer, f"message {name}: payload schema uses {sorted(newer)}, newer than draft-07")
        headers_schema = message.get("headers")
        if headers_schema:
            jsonschema.Draft7Validator.check_schema(headers_schema)
        for example in message.get("examples", []):
            if "payload" in example:
                errs = list(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(example["payload"]))
                check(not errs, f"message {name}, example {example.get('name')}: payload: {[e.message for e in errs[:3]]}")
            if "headers" in example and headers_schema:
                errs = list(jsonschema.Draft7Validator(headers_schema, format_checker=jsonschema.FormatChecker()).iter_errors(example["headers"]))
                check(not errs, f"message {name}, example {example.get('name')}: headers: {[e.message for e in errs[:3]]}")

    alert, retrain, dead, state = source_header_names()
    declared = lambda m: set(messages.get(m, {}).get("headers", {}).get("properties", {}))
    check(alert and alert == declared("alertEvent"), f"alert headers: source sets {sorted(alert)}, document declares {sorted(declared('alertEvent'))}")
    check(retrain and retrain == declared("retrainEvent"), f"retrain headers: source sets {sorted(retrain)}, document declares {sorted(declared('retrainEvent'))}")
    check(dead and dead == declared("deadLetter"), f"dead-letter headers: DeadLetterHeader has {sorted(dead)}, document declares {sorted(declared('deadLetter'))}")
    for message in ("modelCheckpoint", "stageCheckpoint"):
        check(state == declared(message), f"checkpoint headers: CheckpointChunks sets {sorted(state)}, {message} declares {sorted(declared(message))}")
    codes = reason_codes()
    enum = set(messages.get("deadLetter", {}).get("headers", {}).get("properties", {}).get("driftd-reason", {}).get("enum", []))
    check(codes == enum, f"dead-letter reasons: driftd has {sorted(codes)}, the document lists {sorted(enum)}")

    replayed = 0
    if driftd:
        headers_schema = messages["deadLetter"]["headers"]
        validator = jsonschema.Draft7Validator(headers_schema, format_checker=jsonschema.FormatChecker())
        letters = replay_dead_letters(driftd)
        check(len(letters) == 8, f"driftd replay produced {len(letters)} dead letters, expected 8")
        for letter in letters:
            errs = list(validator.iter_errors(letter.get("headers", {})))
            check(not errs, f"replayed dead letter {letter.get('headers')}: {[e.message for e in errs[:3]]}")
        replayed = len(letters)
    if failures:
        sys.exit(f"check_asyncapi: {len(failures)} check(s) failed (see above)")
    print(f"check_asyncapi: docs/asyncapi.yaml valid AsyncAPI 3.0.0; {len(channels)} channels, {len(operations)} operations, "
          f"{len(messages)} messages; headers and reasons match the source"
          + (f"; {replayed} replayed dead letters valid" if driftd else ""))


if __name__ == "__main__":
    main()
