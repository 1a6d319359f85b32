#!/usr/bin/env python3
"""Checks deploy/grafana/driftd.json against the metrics driftd exports.

Usage: check_grafana_dashboard.py [DRIFTD_BINARY]

- The dashboard is well formed: unique panel ids, every panel inside the 24-column grid, every
  query on the dashboard's Prometheus datasource variable, every template variable it uses
  defined.
- Every PromQL query parses into known PromQL functions, aggregations and keywords plus metric
  names, and every metric name is one driftd declares (Sources/DriftDaemon/Metrics/
  DaemonMetrics.swift) and documents (docs/operations.md, "Metrics").
- With DRIFTD_BINARY: `driftd demo` (the daemon on an embedded broker, drifting traffic) runs
  until a scrape of its `/metrics` holds every metric the dashboard queries (at most 60 s), or
  the check fails naming the missing ones.

Exit status 0 when every check passed; each failure is printed.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from checklib import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "driftd.json")
METRICS_SOURCE = os.path.join(ROOT, "Sources", "DriftDaemon", "Metrics", "DaemonMetrics.swift")
OPERATIONS = os.path.join(ROOT, "docs", "operations.md")

# PromQL functions, aggregation operators and keywords a query may use.
PROMQL_WORDS = {
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "group", "count_values",
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    "rate", "irate", "increase", "delta", "idelta", "deriv", "time", "timestamp", "vector", "scalar", "abs", "clamp_min",
    "clamp_max", "clamp", "ceil", "floor", "round", "changes", "resets", "absent", "absent_over_time", "label_replace",
    "label_join", "histogram_quantile", "avg_over_time", "max_over_time", "min_over_time", "sum_over_time",
    "count_over_time", "last_over_time", "sort", "sort_desc", "sgn", "exp", "ln", "log2", "log10", "sqrt",
}

CHECKS = Checks("check_grafana_dashboard")
check = CHECKS.check
failures = CHECKS.failures


def metric_names(expr: str) -> set[str]:
    """The metric names of a PromQL expression; anything else must be a PromQL word."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors ($__rate_interval …)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", text)  # label lists
    names = set()
    for token in re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        if token in PROMQL_WORDS:
            continue
        if re.fullmatch(r"e|inf|nan|Inf|NaN", token):
            continue
        names.add(token)
    return names


def panels(dashboard: dict) -> list[dict]:
    out = []
    for panel in dashboard.get("panels", []):
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def declared_metrics() -> set[str]:
    with open(METRICS_SOURCE) as f:
        return set(re.findall(r'"(driftd_[a-z0-9_]+)"', f.read()))


def documented_metrics() -> set[str]:
    with open(OPERATIONS) as f:
        text = f.read()
    section = text.split("## Metrics", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(driftd_[a-z0-9_]+)`", section, flags=re.MULTILINE))


def scraped_metrics(driftd: str, wanted: set[str]) -> set[str]:
    """Runs `driftd demo` until its /metrics holds every wanted metric (60 s at most); returns the names scraped."""
    with tempfile.TemporaryDirectory(prefix="driftd-grafana-") as work:
        log_path = os.path.join(work, "demo.log")
        with open(log_path, "w") as log:
            demo = subprocess.Popen(
                [driftd, "demo", "--duration", "90", "--rate", "4000", "--stage-events", "20000", "--http-port", "0",
                 "--directory", os.path.join(work, "demo")],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        seen: set[str] = set()
        started = time.monotonic()
        try:
            port = None
            while time.monotonic() - started < 60 and demo.poll() is None:
                time.sleep(0.5)
                if port is None:
                    with open(log_path, errors="replace") as f:
                        m = re.search(r"metrics: http://127\.0\.0\.1:(\d+)/metrics", f.read())
                    port = int(m.group(1)) if m else None
                    continue
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                        body = response.read().decode("utf-8")
                except OSError:
                    continue
                seen = {line.split("{")[0].split(" ")[0] for line in body.splitlines() if line and not line.startswith("#")}
                if wanted <= seen:
                    break
            check(port is not None, f"driftd demo printed no metrics address ({log_path})")
        finally:
            # The demo runs for --duration whatever the signals; its files are in this temporary directory.
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
        print(f"check_grafana_dashboard: scraped driftd demo's /metrics for {time.monotonic() - started:.1f} s")
        return seen


def main() -> None:
    driftd = sys.argv[1] if len(sys.argv) > 1 else None
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    check(dashboard.get("uid") and dashboard.get("title"), "the dashboard has no uid or title")
    variables = {v["name"] for v in dashboard.get("templating", {}).get("list", [])}
    check("datasource" in variables, "no datasource variable: queries would be bound to one Grafana's datasource")
    all_panels = panels(dashboard)
    ids = [p.get("id") for p in all_panels]
    check(len(ids) == len(set(ids)) and None not in ids, f"panel ids are missing or repeated: {ids}")
    queried: set[str] = set()
    for panel in all_panels:
        title = panel.get("title", "?")
        grid = panel.get("gridPos", {})
        check(grid.get("x", -1) >= 0 and grid.get("x", 0) + grid.get("w", 0) <= 24 and grid.get("h", 0) > 0,
              f"panel {title}: gridPos {grid} outside the 24-column grid")
        if panel.get("repeat"):
            check(panel["repeat"] in variables, f"panel {title}: repeats on undefined variable {panel['repeat']}")
        for target in panel.get("targets", []):
            expr = target.get("expr", "")
            if not check(bool(expr.strip()), f"panel {title}: a query without expr"):
                continue
            check(target.get("datasource", panel.get("datasource", {})).get("uid") == "${datasource}",
                  f"panel {title}: query {target.get('refId')} not on the ${{datasource}} variable")
            for var in re.findall(r"\$(?!__)\{?(\w+)", expr):
                check(var in variables, f"panel {title}: query uses undefined variable ${var}")
            check(expr.count("(") == expr.count(")"), f"panel {title}: unbalanced parentheses in {expr}")
            names = metric_names(expr)
            for name in names:
                check(name.startswith("driftd_"), f"panel {title}: '{name}' in {expr!r} is neither a PromQL word nor a driftd metric")
            queried |= {n for n in names if n.startswith("driftd_")}
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("definition") or ""
        queried |= set(re.findall(r"driftd_[a-z0-9_]+", query))
    check(len(queried) >= 8, f"the dashboard queries only {sorted(queried)}")

    declared = declared_metrics()
    documented = documented_metrics()
    for name in sorted(queried):
        # Counters are declared without a suffix only if the client adds one; driftd names them with _total.
        check(name in declared, f"{name} is queried but not declared in {os.path.relpath(METRICS_SOURCE, ROOT)}")
        check(name in documented, f"{name} is queried but not documented in docs/operations.md (Metrics)")
    print(f"check_grafana_dashboard: {len(all_panels)} panels, {len(queried)} metrics queried, all declared and documented"
          if not failures else "check_grafana_dashboard: dashboard checked")
    if driftd:
        seen = scraped_metrics(driftd, queried)
        missing = sorted(queried - seen)
        check(not missing, f"metrics the dashboard queries but driftd's /metrics did not export within 60 s: {missing}")
        if not missing:
            print(f"check_grafana_dashboard: every queried metric is in a live /metrics scrape ({len(seen)} series names)")
    if failures:
        sys.exit(f"check_grafana_dashboard: {len(failures)} check(s) failed (see above)")
    print("check_grafana_dashboard: all checks passed")


if __name__ == "__main__":
    main()
