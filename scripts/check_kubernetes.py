#!/usr/bin/env python3
"""Renders deploy/kubernetes's overlays with `kubectl kustomize` and validates every object.

Usage: check_kubernetes.py [DRIFTD_BINARY]

For each overlay (deploy/kubernetes/overlays/*):
- `kubectl kustomize` renders it (kubectl installed with apt when missing);
- every object is validated, strictly (unknown fields are errors), against Kubernetes' own
  schemas with kubernetes-validate (offline) for Kubernetes 1.29 and the newest it knows; the
  ServiceMonitor against the Prometheus Operator's CRD schema committed in
  deploy/kubernetes/schemas/;
- the objects fit together: the StatefulSet's replica count is the overlay's, every ConfigMap,
  Secret and ServiceAccount it names is rendered or is one of the documented Secrets, its probes
  use a declared port, the Service, PodDisruptionBudget and ServiceMonitor select its pods, the
  ServiceMonitor's port is a Service port;
- with DRIFTD_BINARY: the rendered driftd.yaml passes `driftd validate` with the rendered
  baselines (paths moved into a temporary directory).
And the base's example baseline is config/baselines/churn.json's copy.

Exit status 0 when every check passed; each failure is printed with what was found.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import kubernetes_validate
import yaml

from checklib import Checks, ensure_apt_command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KUBE = os.path.join(ROOT, "deploy", "kubernetes")
OVERLAY_REPLICAS = {"single": 1, "multi": 3, "scale-out": 3}
# Secrets created by users outside Git (deploy/kubernetes/README.md).
EXTERNAL_SECRETS = {"driftd-kafka", "driftd-kafka-tls"}
KUBERNETES_VERSIONS = ["1.29.0", kubernetes_validate.latest_version()]

CHECKS = Checks("check_kubernetes")
check = CHECKS.check
failures = CHECKS.failures


def ensure_kubectl() -> str:
    return ensure_apt_command(
        "check_kubernetes", "kubectl", "kubectl", "kubectl (apt package kubectl)", strict=False,
        missing="kubectl is missing and `apt-get install kubectl` did not provide it; "
        "install kubectl >= 1.27 (it carries kustomize v5)")


def strict(schema):
    """The schema with additionalProperties: false wherever properties are listed and nothing
    else is said (as kubernetes-validate's strict schemas), so a misspelt field is an error."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def load_crd_schemas() -> dict:
    with open(os.path.join(KUBE, "schemas", "servicemonitor-v1.schema.json")) as f:
        schema = strict(json.load(f))
    # metadata is typed as a bare object in CRDs; the API server checks it like any object's.
    schema["properties"]["metadata"] = {"type": "object"}
    return {("monitoring.coreos.com/v1", "ServiceMonitor"): jsonschema.Draft7Validator(schema)}


def validate(doc: dict, crds: dict, where: str) -> None:
    key = (doc.get("apiVersion"), doc.get("kind"))
    name = f"{where}: {key[1]} {doc.get('metadata', {}).get('name')}"
    if key in crds:
        errors = sorted(crds[key].iter_errors(doc), key=lambda e: list(e.absolute_path))
        check(not errors, f"{name}: " + "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]))
        return
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(copy.deepcopy(doc), version, strict=True)
        except kubernetes_validate.ValidationError as error:
            check(False, f"{name} (Kubernetes {version}): {'/'.join(map(str, error.path))}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError:
            check(False, f"{name}: no schema for {key[0]} {key[1]} in Kubernetes {version} (nor a CRD schema here)")


def selects(selector: dict, labels: dict) -> bool:
    match = selector.get("matchLabels", selector)
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def check_wiring(docs: list[dict], overlay: str, driftd: str | None) -> None:
    by_kind: dict[str, list[dict]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for kind in ("Namespace", "ServiceAccount", "ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget", "ServiceMonitor"):
        check(kind in by_kind, f"{overlay}: no {kind} rendered")
    if "StatefulSet" not in by_kind:
        return
    sts = by_kind["StatefulSet"][0]
    want = OVERLAY_REPLICAS.get(overlay)
    check(want is None or sts["spec"].get("replicas") == want,
          f"{overlay}: StatefulSet replicas {sts['spec'].get('replicas')}, expected {want}")
    pod = sts["spec"]["template"]
    labels = pod["metadata"].get("labels", {})
    check(selects(sts["spec"]["selector"], labels), f"{overlay}: the StatefulSet's selector does not match its pod labels")
    spec = pod["spec"]
    sa = spec.get("serviceAccountName")
    check(sa is None or ("ServiceAccount", sa) in names, f"{overlay}: ServiceAccount {sa} not rendered")
    secrets_used = set()
    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            cm = volume["configMap"]["name"]
            check(("ConfigMap", cm) in names, f"{overlay}: volume {volume['name']} names ConfigMap {cm}, not rendered")
        if "secret" in volume:
            secrets_used.add(volume["secret"]["secretName"])
    container = next(c for c in spec["containers"] if c["name"] == "driftd")
    for env in container.get("env", []):
        ref = env.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            secrets_used.add(ref["name"])
    check(secrets_used == EXTERNAL_SECRETS, f"{overlay}: Secrets used {sorted(secrets_used)}, documented {sorted(EXTERNAL_SECRETS)}")
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        get = container.get(probe, {}).get("httpGet")
        check(get is not None and get.get("port") in ports, f"{overlay}: {probe} missing or on an undeclared port")
    check(container.get("resources", {}).get("limits", {}).get("memory") is not None, f"{overlay}: no memory limit")

    service = by_kind.get("Service", [{}])[0]
    check(selects(service.get("spec", {}).get("selector", {}), labels), f"{overlay}: the Service does not select the pods")
    service_ports = {p.get("name") for p in service.get("spec", {}).get("ports", [])}
    for pdb in by_kind.get("PodDisruptionBudget", []):
        check(selects(pdb["spec"]["selector"], labels), f"{overlay}: the PodDisruptionBudget does not select the pods")
        check("minAvailable" not in pdb["spec"] or (want or 1) > 1,
              f"{overlay}: a minAvailable PodDisruptionBudget with one replica blocks node drains")
    for sm in by_kind.get("ServiceMonitor", []):
        check(selects(sm["spec"]["selector"], service.get("metadata", {}).get("labels", {})),
              f"{overlay}: the ServiceMonitor does not select the Service")
        for endpoint in sm["spec"].get("endpoints", []):
            check(endpoint.get("port") in service_ports, f"{overlay}: ServiceMonitor port {endpoint.get('port')} is not a Service port")
            check(endpoint.get("path", "/metrics") == "/metrics", f"{overlay}: ServiceMonitor path {endpoint.get('path')}")

    # The configuration itself, with the rendered baselines.
    config = next((d for d in by_kind.get("ConfigMap", []) if "driftd.yaml" in d.get("data", {})), None)
    if not check(config is not None, f"{overlay}: no ConfigMap with driftd.yaml") or not driftd:
        return
    mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
    with tempfile.TemporaryDirectory(prefix="driftd-k8s-") as tmp:
        text = config["data"]["driftd.yaml"]
        for volume in spec.get("volumes", []):
            if "configMap" not in volume or volume["name"] not in mounts:
                continue
            cm = next(d for d in by_kind["ConfigMap"] if d["metadata"]["name"] == volume["configMap"]["name"])
            if cm is config:
                continue
            directory = os.path.join(tmp, volume["name"])
            os.makedirs(directory)
            for key, value in cm.get("data", {}).items():
                with open(os.path.join(directory, key), "w") as f:
                    f.write(value)
            text = text.replace(mounts[volume["name"]].rstrip("/") + "/", directory + "/")
        for volume in ("state",):
            if volume in mounts:
                text = text.replace(mounts[volume], os.path.join(tmp, volume))
        path = os.path.join(tmp, "driftd.yaml")
        with open(path, "w") as f:
            f.write(text)
        env = dict(os.environ, DRIFTD_KAFKA_SASL_USERNAME="user", DRIFTD_KAFKA_SASL_PASSWORD="password")
        result = subprocess.run([driftd, "validate", "--config", path], capture_output=True, text=True, env=env)
        check(result.returncode == 0, f"{overlay}: driftd validate rejects the rendered driftd.yaml:\n{result.stdout}{result.stderr}")


def main() -> None:
    driftd = sys.argv[1] if len(sys.argv) > 1 else None
    kubectl = ensure_kubectl()
    crds = load_crd_schemas()
    with open(os.path.join(ROOT, "config", "baselines", "churn.json"), "rb") as a, \
            open(os.path.join(KUBE, "base", "baselines", "churn.json"), "rb") as b:
        check(a.read() == b.read(), "deploy/kubernetes/base/baselines/churn.json differs from config/baselines/churn.json; "
              "copy it again (cp config/baselines/churn.json deploy/kubernetes/base/baselines/)")
    overlays = sorted(os.listdir(os.path.join(KUBE, "overlays")))
    check(set(OVERLAY_REPLICAS) <= set(overlays), f"overlays {overlays}, expected at least {sorted(OVERLAY_REPLICAS)}")
    for overlay in overlays:
        result = subprocess.run([kubectl, "kustomize", os.path.join(KUBE, "overlays", overlay)], capture_output=True, text=True)
        if not check(result.returncode == 0, f"{overlay}: kubectl kustomize failed:\n{result.stderr}"):
            continue
        docs = [d for d in yaml.safe_load_all(result.stdout) if d]
        for doc in docs:
            validate(doc, crds, overlay)
        check_wiring(docs, overlay, driftd)
        print(f"check_kubernetes: {overlay}: {len(docs)} objects ({', '.join(sorted(d['kind'] for d in docs))}) "
              f"validated for Kubernetes {' and '.join(KUBERNETES_VERSIONS)}")
    if failures:
        sys.exit(f"check_kubernetes: {len(failures)} check(s) failed (see above)")
    print("check_kubernetes: all checks passed")


if __name__ == "__main__":
    main()
