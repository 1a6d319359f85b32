#!/usr/bin/env python3
"""make soak: driftd under a steady load for a bounded time, watching its memory.

1. Starts the embedded broker (`driftd dev-broker`, loopback; its first stdout line is the
   bootstrap address) with two extra topics, `soak.probe` and `soak.steady`.
2. Maximum rate: fills `soak.probe` with a burst of events (within the embedded broker's
   retention of about 5 MB per partition, over 48 partitions), then starts `driftd run` on it
   and times how fast `driftd_events_processed_total` climbs from 10 % to 90 % of the burst
   (sampled every 50 ms), so start-up and the last batch do not count. That daemon is then
   stopped. `--rate` skips this step.
3. Steady state: a fresh `driftd run` (new consumer group, a Kafka state topic so checkpoints
   are part of the load) on `soak.steady`, with config/driftd.yaml's models and rules, while
   this script produces events at half the measured maximum (or `--rate`) for `--seconds`,
   paced every 10 ms (without bursts to catch up: if the producer cannot reach the rate on
   this host, the rate it reached is reported). The daemon's VmRSS, split into RssAnon (heap,
   librdkafka's buffers, stacks) and RssFile (the binary and libraries as their code first runs),
   from /proc/<pid>/status, and its processed counter are sampled every `--sample-seconds`
   (default 1: the resident size moves by a few MiB from second to second with the buffers in
   flight, so a 30 s median needs many samples).
4. After the last event: waits until the daemon has processed everything, then reports RSS
   at the start of the steady state (median of the samples in the 30 s after a warm-up of
   a quarter of the run, at most 120 s) and at the end (median of the last 30 s), the growth,
   and the processed count against the number of events the broker acknowledged. The warm-up
   covers what fills once and then stays: the windows (full after `window.size` events, under a
   second here), the first checkpoints and evaluations (their code paths paged in), and
   librdkafka's queues and connections reaching their working size. RSS is not expected to be
   flat *before* it; it must be within `--max-growth` after it.

Fails (exit 1) when RSS grew by more than `--max-growth` percent (default 5), when the
processed count differs from the acknowledged count, or when the daemon exits. Every process
it starts is stopped on exit, also on Ctrl-C. Events are rows of config/data/churn_training.csv
(the data config/baselines/churn.json was built from), so the traffic does not drift.
Requires confluent-kafka (pip install confluent-kafka; bundles its own librdkafka).
Docs: docs/operations.md, "Soak test".
"""
import argparse
import csv
import json
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARTITIONS = 48  # enough retention for a burst that takes the daemon seconds, not milliseconds
# The embedded broker drops a partition's oldest messages past about 5 MB or 100k messages
# (librdkafka's mock cluster); the burst stays under both.
PARTITION_BYTES = 4_500_000
PARTITION_MESSAGES = 90_000

children = []


def log(message):
    print(f"soak: {message}", flush=True)


def stop_children():
    """Stops every process this script started: SIGTERM, then SIGKILL after 20 s."""
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 20
    for child in reversed(children):
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    children.clear()


def on_signal(signum, _frame):
    stop_children()
    sys.exit(128 + signum)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def event_pool(limit):
    """JSON inference events from the training rows (no timestamp: the Kafka timestamp is used)."""
    def value(text, kind):  # an empty cell is a missing value (null)
        return None if text == "" else kind(text)

    pool = []
    with open(ROOT / "config" / "data" / "churn_training.csv", newline="") as f:
        for row in csv.DictReader(f):
            body = {
                "model": "churn", "version": "3", "id": row["customer_id"],
                "features": {
                    "tenure": value(row["tenure"], int), "monthly_charges": value(row["monthly_charges"], float),
                    "plan": value(row["plan"], str), "region": value(row["region"], str),
                    "support_calls": value(row["support_calls"], int),
                    "autopay": value(row["autopay"], lambda text: text == "true"),
                },
                "prediction": value(row["churn_score"], float), "latency_ms": 5.0,
            }
            pool.append(json.dumps(body, separators=(",", ":")).encode())
            if len(pool) == limit:
                break
    return pool


class Daemon:
    """One `driftd run` child with its status endpoint."""

    def __init__(self, driftd, brokers, topic, group, workdir, name):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The example config, with checkpoints in a Kafka state topic of this run (state follows
        # partitions: the soak exercises the same checkpoint path as a production deployment).
        example = (ROOT / "config" / "driftd.yaml").read_text()
        example = example.replace("baseline: baselines/", f"baseline: {ROOT / 'config' / 'baselines'}/")
        assert "\n  topic: null" in example, "config/driftd.yaml: state.topic line not found"
        config = workdir / f"driftd-{name}.yaml"
        config.write_text(example.replace("\n  topic: null", f"\n  topic: soak.state.{name}", 1))
        self.log_path = workdir / f"driftd-{name}.log"
        self.log_file = open(self.log_path, "w")
        args = [driftd, "run", "--config", str(config), "--brokers", brokers,
                "--input-topic", topic, "--group-id", group,
                "--http-address", "127.0.0.1", "--http-port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(args, stdout=self.log_file, stderr=subprocess.STDOUT)
        children.append(self.process)

    def alive(self):
        return self.process.poll() is None

    def get(self, path, timeout=2.0):
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            return response.status, response.read().decode()

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise SystemExit(f"soak: driftd exited with {self.process.returncode}; log {self.log_path}")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"soak: driftd not ready after {timeout} s; log {self.log_path}")

    def processed(self, metric):
        """Sum of `metric` over its label sets, or None when /metrics does not answer."""
        try:
            _, text = self.get("/metrics")
        except (urllib.error.URLError, ConnectionError, OSError):
            return None
        total = 0
        for line in text.splitlines():
            if line.startswith(metric) and line[len(metric):len(metric) + 1] in ("{", " "):
                total += int(float(line.rsplit(" ", 1)[1]))
        return total

    def rss_kb(self):
        return self.memory_kb()[0]

    def memory_kb(self):
        """(VmRSS, RssAnon, RssFile) in kB from /proc/<pid>/status; None where unreadable. RssAnon
        is the heap (malloc arenas, librdkafka's buffers, stacks); RssFile the mapped binary and
        libraries, which grows as code runs for the first time."""
        values = {}
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "RssAnon", "RssFile"):
                        values[key] = int(value.split()[0])
        except OSError:
            pass
        return values.get("VmRSS"), values.get("RssAnon"), values.get("RssFile")

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process in children:
            children.remove(self.process)
        self.log_file.close()


class Producer:
    """confluent-kafka producer that counts sent and failed messages. Delivery reports come
    for failures only (`delivery.report.only.error`: a callback per message would cost the
    Python producer a third of its rate), so once `flush` returns 0 every message sent is
    either acknowledged by the broker or counted in `failed`."""

    def __init__(self, brokers):
        from confluent_kafka import Producer as KafkaProducer
        self.sent = 0
        self.failed = 0
        self.first_error = None
        self.producer = KafkaProducer({
            "bootstrap.servers": brokers, "linger.ms": 5, "batch.num.messages": 10000,
            "queue.buffering.max.messages": 500000, "queue.buffering.max.kbytes": 262144,
            "enable.idempotence": True, "message.timeout.ms": 120000, "log_level": 3,
            "delivery.report.only.error": True, "on_delivery": self._report,
        })

    def _report(self, error, _message):
        self.failed += 1
        self.first_error = self.first_error or str(error)

    def send(self, topic, partition, value):
        while True:
            try:
                self.producer.produce(topic, value=value, partition=partition)
                self.sent += 1
                return
            except BufferError:
                self.producer.poll(0.01)

    def poll(self):
        self.producer.poll(0)

    def flush(self, timeout):
        """Messages still unacknowledged after `timeout` s (0: all acknowledged or failed)."""
        return self.producer.flush(timeout)

    def close(self):
        """Destroys the client now, while the broker still runs (the delivery callback makes a
        reference cycle that would keep it, reconnecting, until the interpreter exits)."""
        self.producer = None

    @property
    def acknowledged(self):
        return self.sent - self.failed


def wait_processed(daemon, metric, target, timeout, interval=0.1):
    """Samples the counter every `interval` s until it reaches `target` or stops moving for
    `timeout` s; returns [(time, count)]."""
    samples = []
    last_change = time.monotonic()
    last = None
    while True:
        if not daemon.alive():
            raise SystemExit(f"soak: driftd exited with {daemon.process.returncode}; log {daemon.log_path}")
        count = daemon.processed(metric)
        now = time.monotonic()
        if count is not None:
            samples.append((now, count))
            if count != last:
                last, last_change = count, now
            if count >= target:
                return samples
        if now - last_change > timeout:
            return samples
        time.sleep(interval)


def measure_max_rate(args, brokers, pool, workdir):
    average = sum(map(len, pool)) / len(pool)
    per_partition = int(min(PARTITION_MESSAGES, PARTITION_BYTES / average))
    total = min(args.probe_events, per_partition * PARTITIONS)
    log(f"maximum rate: producing a burst of {total} events ({average:.0f} bytes each) to soak.probe")
    producer = Producer(brokers)
    for i in range(total):
        producer.send("soak.probe", i % PARTITIONS, pool[i % len(pool)])
        if i % 1000 == 0:
            producer.poll()
    if producer.flush(120) != 0 or producer.failed:
        raise SystemExit(f"soak: burst not delivered ({producer.failed} failed: {producer.first_error})")
    producer.close()
    daemon = Daemon(args.driftd, brokers, "soak.probe", "driftd-soak-probe", workdir, "probe")
    try:
        samples = wait_processed(daemon, args.metric, total, timeout=30, interval=0.05)
    finally:
        daemon.stop()
    if not samples or samples[-1][1] < total:
        raise SystemExit(f"soak: the probe daemon processed {samples[-1][1] if samples else 0} of {total} events")
    t0, c0 = next((t, c) for t, c in samples if c >= 0.1 * total)
    t1, c1 = next((t, c) for t, c in samples if c >= 0.9 * total)
    if t1 - t0 < 0.5:
        raise SystemExit(f"soak: {c1 - c0} events took {t1 - t0:.2f} s, too fast to time; pass --rate")
    rate = (c1 - c0) / (t1 - t0)
    log(f"maximum rate: {c1 - c0} events (10-90 % of the burst) in {t1 - t0:.2f} s = {rate:,.0f} events/s")
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--driftd", required=True, help="the driftd binary (release build)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 600)))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("SOAK_RATE", 0)) or None,
                        help="events/s; default: half the measured maximum")
    parser.add_argument("--probe-events", type=int, default=2_000_000,
                        help="burst size, capped by the broker's retention (about 1.1 M events)")
    parser.add_argument("--sample-seconds", type=float, default=1.0,
                        help="RSS sampling period; the start and end figures are medians of 30 s of samples")
    parser.add_argument("--max-growth", type=float, default=5.0, help="percent")
    parser.add_argument("--metric", default="driftd_events_applied_total")
    parser.add_argument("--results", default=str(ROOT / ".build" / "soak"),
                        help="directory for samples.csv and result.json")
    args = parser.parse_args()
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        raise SystemExit("soak: needs confluent-kafka (python3 -m pip install confluent-kafka)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="driftd-soak-"))
    results = pathlib.Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, workdir, results)
    finally:
        stop_children()
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        workdir.rmdir()


def run(args, workdir, results):
    broker_log = open(workdir / "dev-broker.log", "w")
    broker = subprocess.Popen(
        [args.driftd, "dev-broker", "--partitions", str(PARTITIONS), "--topic", "soak.probe", "--topic", "soak.steady"],
        stdout=subprocess.PIPE, stderr=broker_log, text=True)
    children.append(broker)
    brokers = broker.stdout.readline().strip()
    if not brokers:
        raise SystemExit("soak: dev-broker printed no bootstrap address")
    log(f"embedded broker at {brokers}, {PARTITIONS} partitions per topic")
    pool = event_pool(2000)

    rate = args.rate or measure_max_rate(args, brokers, pool, workdir) / 2
    warmup = min(120.0, args.seconds / 4)
    log(f"steady state: {rate:,.0f} events/s for {args.seconds:.0f} s (warm-up {warmup:.0f} s), "
        f"RSS sampled every {args.sample_seconds:.0f} s")

    daemon = Daemon(args.driftd, brokers, "soak.steady", "driftd-soak", workdir, "steady")
    daemon.wait_ready(60)
    producer = Producer(brokers)
    samples = []  # (seconds since start, (rss, anon, file) kB, processed, sent)
    stop = threading.Event()
    start = time.monotonic()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic() - start, daemon.memory_kb(), daemon.processed(args.metric), producer.sent))
            stop.wait(args.sample_seconds)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        # Token bucket refilled every 10 ms, holding at most 0.1 s of events: when the producer
        # falls behind (CPU), it does not burst to catch up; the achieved rate is reported.
        credit, last, next_report = 0.0, start, 30.0
        while True:
            now = time.monotonic()
            elapsed = now - start
            if elapsed >= args.seconds:
                break
            if not daemon.alive():
                raise SystemExit(f"soak: driftd exited with {daemon.process.returncode}; log {daemon.log_path}")
            credit = min(credit + rate * (now - last), rate * 0.1)
            last = now
            for _ in range(int(credit)):
                producer.send("soak.steady", producer.sent % PARTITIONS, pool[producer.sent % len(pool)])
                if producer.sent % 1000 == 0:
                    producer.poll()
            credit -= int(credit)
            producer.poll()
            if elapsed >= next_report:
                latest = samples[-1] if samples else (0, None, None, 0)
                memory = latest[1] or (None, None, None)
                log(f"{elapsed:5.0f} s: sent {producer.sent}, processed {latest[2]}, "
                    f"RSS {memory[0]} kB (anon {memory[1]}, file {memory[2]})")
                next_report += 30
            time.sleep(0.01)
        produce_seconds = time.monotonic() - start
    finally:
        stop.set()
        sampler.join()
    sent = producer.sent
    if producer.flush(120) != 0:
        raise SystemExit("soak: producer could not flush within 120 s")
    producer.close()
    log(f"produced {sent} events in {produce_seconds:.1f} s ({sent / produce_seconds:,.0f}/s); "
        f"acknowledged {producer.acknowledged}, failed {producer.failed}")
    drained = wait_processed(daemon, args.metric, producer.acknowledged, timeout=60)
    processed = drained[-1][1] if drained else None
    final_rss = daemon.rss_kb()
    alive = daemon.alive()
    daemon.stop()

    steady = [(t, m[0], m[1], m[2]) for t, m, _, _ in samples if m[0] is not None]
    first = [x for x in steady if warmup <= x[0] < warmup + 30]
    last = [x for x in steady if x[0] >= produce_seconds - 30]
    if not first or not last:
        raise SystemExit("soak: too few RSS samples; run longer")

    def median(rows, column):
        values = [row[column] for row in rows if row[column] is not None]
        return statistics.median(values) if values else None

    rss_start, rss_end = median(first, 1), median(last, 1)
    growth = 100.0 * (rss_end - rss_start) / rss_start
    # Backlog: events the broker holds that the daemon has not applied yet, at each sample; the
    # consumer prefetches part of it (librdkafka's queue), so it is the input side of memory.
    backlog = [s - p for _, _, p, s in samples if p is not None]
    result = {
        "seconds": round(produce_seconds, 1), "target_rate": round(rate), "achieved_rate": round(sent / produce_seconds),
        "max_rate_measured": None if args.rate else round(2 * rate), "produced": sent,
        "acknowledged": producer.acknowledged, "failed": producer.failed, "processed": processed,
        "rss_start_kb": rss_start, "rss_end_kb": rss_end, "rss_growth_percent": round(growth, 2),
        "rss_anon_start_kb": median(first, 2), "rss_anon_end_kb": median(last, 2),
        "rss_file_start_kb": median(first, 3), "rss_file_end_kb": median(last, 3),
        "rss_max_kb": max(x[1] for x in steady), "rss_after_drain_kb": final_rss, "samples": len(steady),
        "warmup_seconds": warmup, "max_backlog_events": max(backlog) if backlog else None,
    }
    with open(results / "samples.csv", "w") as f:
        f.write("seconds,rss_kb,rss_anon_kb,rss_file_kb,processed,sent\n")
        for t, m, p, s in samples:
            cells = ["" if v is None else str(v) for v in (*m, p)]
            f.write(f"{t:.1f},{','.join(cells)},{s}\n")
    (results / "result.json").write_text(json.dumps(result, indent=2) + "\n")

    mib = lambda kb: "?" if kb is None else f"{kb / 1024:.1f}"  # noqa: E731
    log(f"RSS start of steady state (median of {warmup:.0f}-{warmup + 30:.0f} s) {mib(rss_start)} MiB, "
        f"end (median of the last 30 s) {mib(rss_end)} MiB, growth {growth:+.2f}% (limit {args.max_growth}%), "
        f"max {mib(result['rss_max_kb'])} MiB")
    log(f"of which anonymous (heap, buffers, stacks) {mib(result['rss_anon_start_kb'])} -> {mib(result['rss_anon_end_kb'])} MiB, "
        f"file-backed (binary, libraries) {mib(result['rss_file_start_kb'])} -> {mib(result['rss_file_end_kb'])} MiB; "
        f"largest backlog sampled {result['max_backlog_events']} events")
    log(f"events: produced {sent}, acknowledged {producer.acknowledged}, processed {processed}")
    log(f"samples: {results / 'samples.csv'}; summary: {results / 'result.json'}")
    failures = []
    if not alive:
        failures.append("the daemon exited during the run")
    if growth > args.max_growth:
        failures.append(f"RSS grew {growth:.2f}% > {args.max_growth}%")
    if processed != producer.acknowledged or producer.failed:
        failures.append(f"processed {processed} != acknowledged {producer.acknowledged} (failed {producer.failed})")
    if sent / produce_seconds < 0.95 * rate:
        log(f"warning: the producer reached only {sent / produce_seconds:,.0f} of {rate:,.0f} events/s")
    for failure in failures:
        log(f"FAILED: {failure}")
    if not failures:
        log("passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
