#!/usr/bin/env python3
"""Checks config/driftd.schema.json against driftd's own configuration loader.

Usage: check_config_schema.py [DRIFTD_BINARY]

- The schema is a valid JSON Schema (2020-12).
- config/driftd.yaml and the configuration in deploy/kubernetes/base/configmap.yaml are valid.
- Every config fixture (Tests/DriftConfigTests/Fixtures/configs) gets the verdict listed in
  FIXTURES: valid, invalid at the listed key paths, or not loadable YAML. Schema-valid
  fixtures that driftd rejects are rejected for reasons a schema cannot see (baselines, keys
  that must agree); a new fixture must be added to the list.
- A set of small documents (CASES) gets the same verdict from the schema and from
  `driftd validate` (with DRIFTD_BINARY): durations, YAML 1.2 booleans, quoted numbers,
  window kinds, topic lists, reserved properties, null sections …

YAML is read as driftd reads it (YAML 1.2 core scalars: only true/false are booleans, 1e7 is
a number, `_` may separate digits; a repeated key is an error). Exit status 0 when every check
passed; each failure is printed with the schema's errors.
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
SCHEMA = os.path.join(ROOT, "config", "driftd.schema.json")
FIXTURES = os.path.join(ROOT, "Tests", "DriftConfigTests", "Fixtures", "configs")
BASELINE = os.path.join(ROOT, "config", "baselines", "churn.json")

# Fixture -> True (schema-valid), "yaml" (not loadable), or the key paths the schema must reject.
EXPECTED = {
    "minimal.yaml": True,
    "full.yaml": True,
    "accuracy.yaml": True,
    "accuracy_resolve.yaml": True,  # resolve_accuracy below min_accuracy: two keys, driftd's check
    "no_brokers.yaml": True,  # brokers may come from --brokers
    "invalid_baseline.yaml": True,  # the baselines are broken, not the file
    "broken.yaml": ["kafka/properties", "http/port", "defaults/drift/cooldown",
                    "models/0/features/tenure/threshold", "logging/level", "limits/decode_threads"],
    "typo.yaml": ["", "kafka", "models/0"],
    "accuracy_broken.yaml": ["defaults/accuracy/min_accuracy", "defaults/accuracy/label_ttl", "models/0/accuracy"],
    "performance.yaml": True,
    "performance_rules.yaml": True,
    "performance_estimated.yaml": ["models/0/performance/rules/1/metric"],  # log loss is not estimated without labels
    "performance_broken.yaml": ["defaults/performance", "defaults/performance/rules/0/metric", "defaults/performance/rules/1",
                                "defaults/performance/rules/2", "defaults/performance/rules/4", "models/0"],
    "syntax.yaml": "yaml",
    "duplicate_key.yaml": "yaml",
}

HEAD = "kafka: {brokers: 'localhost:9092'}\nmodels: [{baseline: BASELINE}]\n"
# (document, valid?) — the schema and driftd validate must agree on each.
CASES = [
    (HEAD, True),
    (HEAD + "versions: {unknown_version: nearest_older, retire_after: 6h}", True),
    (HEAD + "versions: {unknown_version: newest}", False),
    (HEAD + "versions: {retire_after: 10 minutes}", False),
    (HEAD + "versions: {canaries: [{model: churn, incumbent: '3', candidate: '4'}]}", False),
    (HEAD + "defaults: {drift: {cooldown: 10}}", False),
    (HEAD + "defaults: {drift: {cooldown: 0}}", True),
    (HEAD + "defaults: {drift: {cooldown: 1h30m}}", True),
    (HEAD + "defaults: {drift: {cooldown: 10 minutes}}", False),
    (HEAD + "defaults: {drift: {enabled: yes}}", False),
    (HEAD + "defaults: {drift: {enabled: False}}", True),
    (HEAD + "defaults: {drift: {enabled: 'true'}}", False),
    (HEAD + "defaults: {drift: {threshold: '0.2'}}", False),
    (HEAD + "defaults: {drift: {threshold: null, alpha: 0.05, for: 3}}", True),
    (HEAD + "defaults: {drift: {alpha: 1}}", False),
    (HEAD + "defaults: {drift: {method: psy}}", False),
    (HEAD + "defaults: {drift: {sequential: {run_length: 1e7}}}", True),
    (HEAD + "defaults: {drift: {sequential: {run_length: 10}}}", False),
    (HEAD + "defaults: {drift: {sequential: false}}", True),
    (HEAD + "defaults: {window: {type: time, size: 100}}", False),
    (HEAD + "defaults: {window: {duration: 1h}}", False),
    (HEAD + "defaults: {window: {type: time, duration: 1h, panes: 12}}", True),
    (HEAD + "defaults: {window: {size: 1000, panes: 10}}", True),
    (HEAD + "defaults: {window: }", True),
    (HEAD + "defaults: {retrain: {drift_share: 1, cooldown: 1d}}", True),
    (HEAD + "defaults: {retrain: {drift_share: 0}}", False),
    (HEAD + "defaults: {accuracy: {min_accuracy: null, label_ttl: 6h}}", True),
    (HEAD + "defaults: {performance: {task: binary, rules: [{metric: accuracy, below: 0.9, retrain: true}]}}", True),
    (HEAD + "defaults: {performance: {rules: [{metric: accuracy}]}}", False),
    (HEAD + "defaults: {performance: {min_accuracy: 0.9}}", False),
    (HEAD + "defaults: {performance: {window: 500}, accuracy: {window: 500}}", False),
    (HEAD + "state: {topic: driftd.state, checkpoint_interval: 5s}", True),
    (HEAD + "limits:\nstate: {directory: null, checkpoint_interval: 250ms}", True),
    (HEAD + "http: {port: '9464'}", False),
    (HEAD + "http: {port: 65536}", False),
    (HEAD + "logging: {level: verbose}", False),
    ("kafka: {brokers: 'a:1', batch_size: 5_000, input_topics: inference}\nmodels: [{baseline: BASELINE}]", True),
    ("kafka: {brokers: 'a:1', input_topics: [a, a]}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1', input_topics: ['bad topic']}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1', input_topics: [a, {topic: b, format: oip-v2, model: churn}], join_ttl: 5s, join_max_pending: 10}\n"
     "models: [{baseline: BASELINE, tensors: {inputs: [{name: t, columns: [tenure, null]}], prediction: {name: o, column: 0}}}]", True),
    ("kafka: {brokers: 'a:1', input_topics: [{topic: b, format: kserve}]}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1', input_topics: [{format: oip-v2}]}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1', join_max_pending: 0}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1'}\nmodels: [{baseline: BASELINE, tensors: {inputs: [{name: t}]}}]", False),
    ("kafka: {brokers: 'a:1', properties: {group.id: x}}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1', properties: {linger.ms: 5, socket.keepalive.enable: true}}\nmodels: [{baseline: BASELINE}]", True),
    ("kafka: {brokers: 'a:1 , b:2'}\nmodels: [{baseline: BASELINE}]", False),
    ("kafka: {brokers: 'a:1'}\nmodels: [{window: {size: 100}}]", False),
    ("kafka: {brokers: 'a:1'}\nmodels: [{baseline: BASELINE, features: {tenure: {method: psi}}, prediction: {threshold: 0.1}}]", True),
    ("kafka: {brokers: 'a:1'}\nmodels: [{baseline: BASELINE, drfit: {}}]", False),
]

CHECKS = Checks("check_config_schema")
check = CHECKS.check
failures = CHECKS.failures


class DriftdLoader(yaml.SafeLoader):
    """YAML as driftd (Yams, YAML 1.2 core schema) reads it, and repeated keys refused."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"repeated key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_SCALAR_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
DriftdLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _SCALAR_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DriftdLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
DriftdLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9](?:_?[0-9])*$"), list("-+0123456789"))
DriftdLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9](?:_?[0-9])*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def errors(validator, document) -> list:
    return sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])


def describe(errs) -> str:
    return "; ".join(f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}" for e in errs[:6])


def driftd_accepts(driftd: str, path: str) -> tuple[bool, str]:
    result = subprocess.run([driftd, "validate", "--config", path], capture_output=True, text=True,
                            env=dict(os.environ, DRIFTD_KAFKA_SASL_USERNAME="u", DRIFTD_KAFKA_SASL_PASSWORD="p"))
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def main() -> None:
    driftd = sys.argv[1] if len(sys.argv) > 1 else None
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    with open(os.path.join(ROOT, "config", "driftd.yaml")) as f:
        errs = errors(validator, yaml.load(f, Loader=DriftdLoader))
    check(not errs, f"config/driftd.yaml: {describe(errs)}")
    with open(os.path.join(ROOT, "deploy", "kubernetes", "base", "configmap.yaml")) as f:
        configmap = yaml.safe_load(f)
    errs = errors(validator, yaml.load(configmap["data"]["driftd.yaml"], Loader=DriftdLoader))
    check(not errs, f"deploy/kubernetes/base/configmap.yaml driftd.yaml: {describe(errs)}")

    fixtures = sorted(f for f in os.listdir(FIXTURES) if f.endswith((".yaml", ".yml")))
    check(set(fixtures) == set(EXPECTED), f"fixtures {sorted(set(fixtures) ^ set(EXPECTED))} are not classified in EXPECTED "
          "(add the verdict the schema should give)")
    for name in fixtures:
        expected = EXPECTED.get(name)
        try:
            with open(os.path.join(FIXTURES, name)) as f:
                document = yaml.load(f, Loader=DriftdLoader)
        except yaml.YAMLError as error:
            check(expected == "yaml", f"{name}: not loadable YAML ({str(error).splitlines()[0]}), expected {expected}")
            continue
        if not check(expected != "yaml", f"{name}: loads as YAML, expected a YAML error"):
            continue
        errs = errors(validator, document)
        if expected is True:
            check(not errs, f"{name}: expected valid, schema says {describe(errs)}")
            continue
        paths = {"/".join(map(str, e.absolute_path)) for e in errs}
        missing = [p for p in (expected or []) if p not in paths]
        check(bool(errs) and not missing, f"{name}: expected errors at {expected}, schema reports {sorted(paths)}")
        if driftd:
            accepted, output = driftd_accepts(driftd, os.path.join(FIXTURES, name))
            check(not accepted, f"{name}: the schema rejects it but driftd validate accepts it")

    with tempfile.TemporaryDirectory(prefix="driftd-schema-") as tmp:
        for i, (text, valid) in enumerate(CASES):
            text = text.replace("BASELINE", json.dumps(BASELINE))
            errs = errors(validator, yaml.load(text, Loader=DriftdLoader))
            check((not errs) == valid, f"case {text!r}: expected {'valid' if valid else 'invalid'}, schema: {describe(errs) or 'valid'}")
            if driftd:
                path = os.path.join(tmp, f"case{i}.yaml")
                with open(path, "w") as f:
                    f.write(text + "\n")
                accepted, output = driftd_accepts(driftd, path)
                check(accepted == valid, f"case {text!r}: driftd validate {'accepts' if accepted else 'rejects'} it, "
                      f"expected {'valid' if valid else 'invalid'}: {output[-400:]}")
    if failures:
        sys.exit(f"check_config_schema: {len(failures)} check(s) failed (see above)")
    print(f"check_config_schema: config/driftd.yaml, the Kubernetes config, {len(fixtures)} fixtures and {len(CASES)} cases"
          + (" (each case also through driftd validate)" if driftd else "") + ": all checks passed")


if __name__ == "__main__":
    main()
