#!/usr/bin/env python3
"""Renders driftd's HTML drift reports in headless Chromium and checks the DOM.

Usage: check_html_report.py DRIFTD_BINARY [--live] [--keep DIR]

1. `driftd compare --format html` on a drifted copy of the example training data
   (config/data/churn_training.csv against config/baselines/churn.json): the page is loaded
   by Chromium (`--dump-dom`, after its scripts ran) and must have one chart (`svg.chart`) and
   one table row per compared feature and the prediction, no script error, the sort script
   finished, charts with two bars per bin and the new-value bins marked, and nothing loaded
   from elsewhere; `#sort=score-desc` must order rows and charts by descending score, and
   clicking the Score heading (Chromium driven over its DevTools pipe) must sort descending,
   then ascending, with the charts following and the order recorded in the URL.
2. With --live: the daemon's `/report` pages (`driftd demo`, which runs the daemon with its
   status server, on an embedded broker): the model list, and the model's page with one chart
   per monitored column, the alert-state column and the recent-alerts section.

Chromium is Debian's `chromium`, installed with apt when missing (as scripts/ensure-deps.sh
installs packages). Exit status 0 when every check passed; otherwise each failed check is
printed with what was expected and what was found.
"""
import argparse
import csv
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser

from checklib import Checks, ensure_apt_command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "config", "baselines", "churn.json")
TRAINING = os.path.join(ROOT, "config", "data", "churn_training.csv")

CHECKS = Checks("check_html_report")
check = CHECKS.check
failures = CHECKS.failures


def ensure_chromium() -> str:
    return ensure_apt_command(
        "check_html_report", "chromium", "chromium", "chromium (Debian package) for the browser checks",
        strict=True, missing="chromium is still missing after apt-get install chromium")


class Dom(HTMLParser):
    """The parts of a dumped DOM the checks read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str] = {}
        self.charts: list[dict] = []  # one per svg.chart: attrs, bars, new bins
        self.rows: list[dict[str, str]] = []  # tr.feature attributes, in order
        self.cards: list[str] = []  # figure.card data-feature, in order
        self.external: list[str] = []
        self.sections: set[str] = set()
        self.headers: list[str] = []
        self.alert_rows = 0
        self._chart: dict | None = None
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "html":
            self.html_attrs = a
        if tag in ("link", "iframe", "object", "embed"):
            self.external.append(f"<{tag}>")
        for key in ("src", "href", "xlink:href", "srcset", "data"):
            value = a.get(key, "")
            if re.match(r"^\s*(https?:)?//", value):
                self.external.append(f"{tag} {key}={value}")
        if "style" in a and "url(" in a["style"]:
            self.external.append(f"{tag} style url()")
        if tag == "svg" and "chart" in classes:
            self._chart = {"attrs": a, "baseline": 0, "current": 0, "new": []}
            self.charts.append(self._chart)
        if self._chart is not None and tag == "rect":
            if "bar" in classes and "baseline" in classes:
                self._chart["baseline"] += 1
            if "bar" in classes and "current" in classes:
                self._chart["current"] += 1
            if "new-bin" in classes:
                self._chart["new"].append(a.get("data-kind", ""))
        if tag == "tr" and "feature" in classes:
            self.rows.append(a)
        if tag == "tr" and "alert" in classes:
            self.alert_rows += 1
        if tag == "figure" and "card" in classes:
            self.cards.append(a.get("data-feature", ""))
        if tag == "section" and "id" in a:
            self.sections.add(a["id"])
        if tag == "th":
            self._in_th = True
            self.headers.append("")

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None
        if tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th and self.headers:
            self.headers[-1] += data.strip()


def render(chromium: str, url: str, screenshot: str | None = None) -> tuple[Dom, str]:
    """Loads `url` in headless Chromium; returns the DOM after the scripts ran, and the console log."""
    profile = tempfile.mkdtemp(prefix="driftd-chromium-")
    try:
        args = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
            # The pages are files: no host name needs resolving, so none is (nothing leaves the machine).
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,2000",
        ]
        args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        result = subprocess.run(args + [url], capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if result.returncode != 0:
        sys.exit(f"check_html_report: chromium failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    dom = Dom()
    if not screenshot:
        dom.feed(result.stdout)
    return dom, result.stderr


def interact(chromium: str, url: str, expressions: list[str], timeout: float = 60) -> tuple[list, list]:
    """Loads `url` in headless Chromium driven over the DevTools protocol (--remote-debugging-pipe:
    JSON messages on file descriptors 3 and 4, no network), waits for the load event, evaluates
    each expression in turn (clicks and reads), and returns their values and the page's uncaught
    exceptions."""
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="driftd-chromium-")

    def child_fds():
        os.dup2(to_chrome_r, 3)
        os.dup2(from_chrome_w, 4)

    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
        pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    deadline = time.monotonic() + timeout
    buffer = b""
    events: list[dict] = []
    next_id = [0]

    def send(method: str, params: dict | None = None, session: str | None = None) -> int:
        next_id[0] += 1
        message = {"id": next_id[0], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
        return next_id[0]

    def receive(until) -> dict:
        nonlocal buffer
        while True:
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                events.append(message)
                if until(message):
                    return message
            if time.monotonic() > deadline:
                raise TimeoutError(f"chromium did not answer within {timeout} s")
            ready, _, _ = select.select([from_chrome_r], [], [], 1)
            if ready:
                chunk = os.read(from_chrome_r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                buffer += chunk

    def call(method: str, params: dict | None = None, session: str | None = None) -> dict:
        wanted = send(method, params, session)
        return receive(lambda m: m.get("id") == wanted)

    try:
        target = call("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
        call("Runtime.enable", session=session)
        call("Page.enable", session=session)
        call("Page.navigate", {"url": url}, session=session)
        receive(lambda m: m.get("method") == "Page.loadEventFired")
        values = []
        for expression in expressions:
            result = call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
            values.append(result.get("result", {}).get("result", {}).get("value"))
        exceptions = [m["params"]["exceptionDetails"].get("exception", {}).get("description", "exception")
                      for m in events if m.get("method") == "Runtime.exceptionThrown"]
        return values, exceptions
    finally:
        proc.kill()
        proc.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)


def check_clicks(chromium: str, url: str, what: str) -> None:
    """Clicks the Score heading twice: descending, then ascending; the charts follow the rows."""
    rows = "Array.from(document.querySelectorAll('tr.feature')).map(function(r){return parseFloat(r.getAttribute('data-score'))})"
    cards = "Array.from(document.querySelectorAll('figure.card')).map(function(c){return c.getAttribute('data-feature')})"
    names = "Array.from(document.querySelectorAll('tr.feature')).map(function(r){return r.getAttribute('data-feature')})"
    click = "document.querySelector('th[data-sort=score]').click()"
    values, exceptions = interact(chromium, url, [
        f"{click}; {rows}", "location.hash", f"{cards}.join('|') === {names}.join('|')",
        f"{click}; {rows}", "document.querySelector('th[data-sort=score]').getAttribute('aria-sort')",
    ])
    descending, hash_after, follow, ascending, aria = values
    check(not exceptions, f"{what}: uncaught exceptions while clicking: {exceptions[:3]}")
    check(bool(descending) and descending == sorted(descending, reverse=True), f"{what}: first click on Score: {descending}")
    check(hash_after == "#sort=score-desc", f"{what}: the URL does not record the sort: {hash_after!r}")
    check(follow is True, f"{what}: the charts did not follow the clicked sort")
    check(bool(ascending) and ascending == sorted(ascending), f"{what}: second click on Score: {ascending}")
    check(aria == "ascending", f"{what}: aria-sort after two clicks: {aria}")


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]


def drifted_csv(path: str) -> None:
    """The example training data with charges shifted up, an unseen plan and missing tenure."""
    rng = random.Random(3)
    with open(TRAINING, newline="") as f:
        rows = list(csv.DictReader(f))
    with open(path, "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        out.writeheader()
        for row in rows:
            if row["monthly_charges"]:
                row["monthly_charges"] = str(round(float(row["monthly_charges"]) * 1.25 + 4, 2))
            if rng.random() < 0.12:
                row["plan"] = "trial"
            if rng.random() < 0.2:
                row["tenure"] = ""
            out.writerow(row)


def check_page_basics(dom: Dom, log: str, what: str) -> None:
    check(dom.html_attrs.get("data-report-ready") == "1", f"{what}: the page script did not finish (no data-report-ready on <html>)")
    check("data-script-errors" not in dom.html_attrs, f"{what}: script errors: {dom.html_attrs.get('data-script-errors')}")
    errors = console_errors(log)
    check(not errors, f"{what}: console errors: {errors[:3]}")
    check(not dom.external, f"{what}: loads from elsewhere: {dom.external[:5]}")


def check_charts(dom: Dom, expected: dict[str, str], what: str) -> None:
    """One chart and one row per expected feature (name -> type), two bars per bin, new bins marked."""
    names = [c["attrs"].get("data-feature") for c in dom.charts]
    check(sorted(names) == sorted(expected), f"{what}: charts for {sorted(names)}, expected one each for {sorted(expected)}")
    rows = [r.get("data-feature") for r in dom.rows]
    check(sorted(rows) == sorted(expected), f"{what}: table rows for {sorted(rows)}, expected {sorted(expected)}")
    check(dom.cards == rows, f"{what}: chart cards {dom.cards} not in the table's order {rows}")
    for chart in dom.charts:
        name = chart["attrs"].get("data-feature")
        bins = int(chart["attrs"].get("data-bins", "0"))
        check(bins >= 2 and chart["baseline"] == bins and chart["current"] == bins,
              f"{what}: chart {name}: {chart['baseline']} baseline and {chart['current']} current bars for {bins} bins")
        kind = expected.get(name)
        want = ["below_range", "above_range"] if kind == "numeric" else ["unseen"]
        check(chart["new"] == want, f"{what}: chart {name} ({kind}) marks new-value bins {chart['new']}, expected {want}")


def compare_report(driftd: str, chromium: str, work: str, keep: str | None) -> None:
    data = os.path.join(work, "current.csv")
    drifted_csv(data)
    page = os.path.join(work, "report.html")
    with open(page, "w") as out:
        subprocess.run([driftd, "compare", "--baseline", BASELINE, "--input", data, "--format", "html"],
                       stdout=out, stderr=subprocess.DEVNULL, check=True)
    report = json.loads(subprocess.run(
        [driftd, "compare", "--baseline", BASELINE, "--input", data, "--format", "json"],
        capture_output=True, text=True, check=True).stdout)
    verdicts = report["features"] + ([report["prediction"]] if report["prediction"] else [])
    expected = {v["name"]: v["type"] for v in verdicts}

    dom, log = render(chromium, "file://" + page)
    check_page_basics(dom, log, "compare report")
    check_charts(dom, expected, "compare report")
    drifted = sorted(v["name"] for v in verdicts if v["drifted"])
    check(drifted == ["monthly_charges", "plan", "tenure"], f"compare report: drifted features {drifted}")
    marked = sorted(r.get("data-feature") for r in dom.rows if "drifted" in r.get("class", "").split())
    check(marked == drifted, f"compare report: rows marked drifted {marked}, the JSON says {drifted}")
    check(dom.rows[:len(drifted)] and all(r.get("data-feature") in drifted for r in dom.rows[:len(drifted)]),
          "compare report: drifted features are not listed first")

    sorted_dom, log = render(chromium, "file://" + page + "#sort=score-desc")
    check_page_basics(sorted_dom, log, "compare report #sort=score-desc")
    check(sorted_dom.html_attrs.get("data-sorted") == "score-desc",
          f"compare report: #sort=score-desc gave data-sorted={sorted_dom.html_attrs.get('data-sorted')}")
    scores = [float(r.get("data-score") or "nan") for r in sorted_dom.rows]
    check(scores == sorted(scores, reverse=True), f"compare report: rows not by descending score after sorting: {scores}")
    check(sorted_dom.cards == [r.get("data-feature") for r in sorted_dom.rows], "compare report: charts did not follow the sort")
    check_clicks(chromium, "file://" + page, "compare report")
    if keep:
        shutil.copy(page, os.path.join(keep, "report.html"))
        render(chromium, "file://" + page, screenshot=os.path.join(keep, "report.png"))
    print(f"check_html_report: compare report: {len(dom.charts)} charts, {len(dom.rows)} rows, sorted by score: ok"
          if not failures else "check_html_report: compare report checked")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def live_report(driftd: str, chromium: str, work: str, keep: str | None) -> None:
    """`driftd demo` runs the daemon (status server on a free port) on drifting traffic."""
    log_path = os.path.join(work, "demo.log")
    with open(log_path, "w") as log:
        demo = subprocess.Popen(
            [driftd, "demo", "--duration", "60", "--rate", "4000", "--stage-events", "20000", "--http-port", "0",
             "--directory", os.path.join(work, "demo")],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started = time.monotonic()
    try:
        port = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and port is None and demo.poll() is None:
            time.sleep(0.5)
            with open(log_path, errors="replace") as f:
                m = re.search(r"live report: http://127\.0\.0\.1:(\d+)/report", f.read())
            if m:
                port = int(m.group(1))
        if not check(port is not None, f"live report: driftd demo printed no status server address ({log_path})"):
            return
        base = f"http://127.0.0.1:{port}"
        # Wait for a firing alert (the demo's second stage shifts a feature, from event 20,000: 5 s).
        page = ""
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            status, page = fetch(base + "/report/churn")
            if status == 200 and 'data-alert="firing"' in page and 'class="alert firing"' in page:
                break
            time.sleep(0.5)
        print(f"check_html_report: live report: page taken {time.monotonic() - started:.1f} s after the demo started")
        status, index = fetch(base + "/report")
        check(status == 200 and 'href="/report/churn"' in index, f"live report: /report ({status}) does not link the model")
        status, missing = fetch(base + "/report/nope")
        check(status == 404, f"live report: /report/nope answered {status}, expected 404")
        path = os.path.join(work, "live.html")
        with open(path, "w") as f:
            f.write(page)
        index_path = os.path.join(work, "live-index.html")
        with open(index_path, "w") as f:
            f.write(index)
    finally:
        # The demo runs for --duration whatever the signals (its daemon alone stops on SIGINT):
        # its broker, traffic and state are in this run's temporary directory, so kill it.
        os.killpg(demo.pid, signal.SIGKILL)
        demo.wait()

    with open(os.path.join(work, "demo", "baselines", "churn.json")) as f:
        baseline = json.load(f)
    expected = {f["name"]: f["type"] for f in baseline["features"]}
    if baseline.get("prediction"):
        expected[baseline["prediction"]["name"]] = baseline["prediction"]["type"]
    dom, log = render(chromium, "file://" + path)
    check_page_basics(dom, log, "live report")
    check_charts(dom, expected, "live report")
    check("Alert" in dom.headers, f"live report: no alert-state column in {dom.headers}")
    firing = [r.get("data-feature") for r in dom.rows if r.get("data-alert") == "firing"]
    check(bool(firing), "live report: no feature shown firing within 45 s of drifting traffic")
    check(all(r.get("data-alert") in ("firing", "ok") for r in dom.rows), "live report: a row without its alert state")
    check(dom.rows and dom.rows[0].get("data-alert") == "firing", "live report: firing features are not listed first")
    check("alerts" in dom.sections, "live report: no recent-alerts section")
    check(dom.alert_rows >= 1, "live report: no alert listed after the demo's drift stage")
    check_clicks(chromium, "file://" + path, "live report")
    index_dom, log = render(chromium, "file://" + index_path)
    check_page_basics(index_dom, log, "live report index")
    if keep:
        shutil.copy(path, os.path.join(keep, "live.html"))
        render(chromium, "file://" + path, screenshot=os.path.join(keep, "live.png"))
    print(f"check_html_report: live report: {len(dom.charts)} charts, {len(firing)} firing ({', '.join(firing)}), {dom.alert_rows} recent alerts: ok"
          if not failures else "check_html_report: live report checked")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("driftd", help="the driftd binary")
    parser.add_argument("--live", action="store_true", help="also check the daemon's /report pages (driftd demo)")
    parser.add_argument("--keep", help="copy the pages and screenshots (1280 px wide) into this directory")
    args = parser.parse_args()
    chromium = ensure_chromium()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="driftd-html-") as work:
        compare_report(args.driftd, chromium, work, args.keep)
        if args.live:
            live_report(args.driftd, chromium, work, args.keep)
    if failures:
        sys.exit(f"check_html_report: {len(failures)} check(s) failed (see above)")
    print("check_html_report: all checks passed")


if __name__ == "__main__":
    main()
