#!/usr/bin/env python3
"""Checkpoint size and cost: how large a model's state record is, and what checkpoints cost in
throughput (docs/operations.md, "Checkpoint cost"; docs/kafka.md, "Delivery and state contract").

1. Starts the embedded broker (`driftd dev-broker`, loopback, 48 partitions per topic).
2. Two models: `churn` from config/driftd.yaml (6 columns: 5 monitored features plus its
   prediction; count window of 5,000 events in 10 panes) and `wide`, a 40-column model (24
   numeric, 16 categorical; the default window of 10,000 events in 10 panes) whose baseline
   this script builds with `driftd baseline build` from scripts/make_compare_bench.py data.
3. Size: for each model, a daemon with a Kafka state topic reads a few thousand events and is
   stopped (SIGTERM: a final checkpoint); the state topic is read back and the newest record of
   each key measured (value and key bytes): one model checkpoint, one frontier per partition.
4. Cost: a burst of events (as many as the broker keeps: about 1.1 M churn or 0.3 M wide events
   over 48 partitions) is read by fresh daemons (new group, new state topic) that differ only in
   `state.checkpoint_interval`: the default 5 s, 100 ms (the minimum: a checkpoint every few
   thousand events, to make the cost visible), and 1 d (none during the run). Each daemon is timed
   from 10 % to 90 % of the burst like `make soak`'s probe; the intervals take turns, `--repeats`
   times, and the median rates, their ratio to the 1 d rate and the checkpoints taken
   (`driftd_checkpoints_total{outcome="ok"}`) are printed. Next to events per wall-clock second it
   gives events per CPU second of the daemon (utime + stime from /proc/<pid>/stat), which a host
   shared with other work disturbs much less. A checkpoint costs one flush of the
   producer plus the encoding and acknowledgement of the changed models' state.

Prints a summary and writes it to `--results` (result.json). Requires confluent-kafka.

    python3 scripts/checkpoint_cost.py --driftd .build/release/driftd [--repeats 3]
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import soak  # noqa: E402  (the broker, producer, daemon and timing helpers of make soak)

ROOT = soak.ROOT
INTERVALS = ["5s", "100ms", "1d"]


def log(message):
    print(f"checkpoint_cost: {message}", flush=True)


def config_text(state_topic, interval, wide_baseline=None):
    """config/driftd.yaml with the given state topic and interval; with `wide_baseline`, the
    models section replaced by that one model (all other defaults kept)."""
    text = (ROOT / "config" / "driftd.yaml").read_text()
    text = text.replace("baseline: baselines/", f"baseline: {ROOT / 'config' / 'baselines'}/")
    assert "\n  topic: null" in text and "\n  checkpoint_interval: 5s" in text, "config/driftd.yaml: state lines not found"
    text = text.replace("\n  topic: null", f"\n  topic: {state_topic}", 1)
    text = text.replace("\n  checkpoint_interval: 5s", f"\n  checkpoint_interval: {interval}", 1)
    if wide_baseline:
        head, _, rest = text.partition("\nmodels:")
        _, _, tail = rest.partition("\nstate:")
        text = f"{head}\nmodels:\n  - baseline: {wide_baseline}\nstate:{tail}"
    return text


def wide_model(driftd, workdir, rows):
    """Builds the 40-column baseline; returns (baseline path, JSON events of the training rows)."""
    data = workdir / "wide-data"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_compare_bench.py"), "--out", str(data),
                    "--rows", str(rows)], check=True, stdout=subprocess.DEVNULL)
    baseline = workdir / "wide.json"
    subprocess.run([driftd, "baseline", "build", "--input", str(data / "train.csv"), "--model", "wide",
                    "--version", "1", "--output", str(baseline)], check=True, stdout=subprocess.DEVNULL)
    import csv
    pool = []
    with open(data / "train.csv", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            features = {}
            for key, value in row.items():
                if key.startswith("num_"):
                    features[key] = None if value == "" else float(value)
                else:
                    features[key] = value
            body = {"model": "wide", "version": "1", "id": f"w{i}", "features": features, "latency_ms": 5.0}
            pool.append(json.dumps(body, separators=(",", ":")).encode())
    return baseline, pool


def produce(brokers, topic, pool, total):
    producer = soak.Producer(brokers)
    for i in range(total):
        producer.send(topic, i % soak.PARTITIONS, pool[i % len(pool)])
        if i % 1000 == 0:
            producer.poll()
    if producer.flush(120) != 0 or producer.failed:
        raise SystemExit(f"checkpoint_cost: events not delivered ({producer.failed} failed: {producer.first_error})")
    producer.close()


def state_records(brokers, topic):
    """Newest (key, value) per key of the state topic."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "checkpoint-cost-reader",
                         "enable.auto.commit": False, "enable.partition.eof": True, "log_level": 3})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = list(metadata.topics[topic].partitions)
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    newest, at_end = {}, set()
    deadline = time.monotonic() + 30
    while len(at_end) < len(partitions) and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            if message.error().code() == -191:  # _PARTITION_EOF
                at_end.add(message.partition())
            continue
        newest[message.key()] = message.value()
    consumer.close()
    return newest


def measure_size(args, brokers, workdir, name, config, topic, pool, events):
    produce(brokers, topic, pool, events)
    daemon = Daemon(args.driftd, brokers, topic, f"size-{name}", workdir, f"size-{name}", config)
    try:
        soak.wait_processed(daemon, "driftd_events_applied_total", events, timeout=30)
    finally:
        daemon.stop()
    records = state_records(brokers, f"cc.state.size-{name}")
    models = {k: v for k, v in records.items() if k.split(b"\0")[1] == b"m"}
    frontiers = {k: v for k, v in records.items() if k.split(b"\0")[1] == b"p"}
    # The newest slot of the model: the one with the larger sequence number (chunks summed).
    slots = {}
    for key, value in models.items():
        parts = key.split(b"\0")
        slots.setdefault(parts[3], []).append((key, value))
    newest = max(slots.values(), key=lambda chunks: json.loads(b"".join(v for _, v in sorted(chunks))).get("sequence", 0))
    value_bytes = sum(len(v) for _, v in newest)
    state = json.loads(b"".join(v for _, v in sorted(newest)))
    result = {
        "model_record_bytes": value_bytes, "model_key_bytes": len(newest[0][0]), "chunks": len(newest),
        "frontier_records": len(frontiers),
        "frontier_value_bytes": statistics.median(len(v) for v in frontiers.values()) if frontiers else None,
        "frontier_key_bytes": statistics.median(len(k) for k in frontiers) if frontiers else None,
        "events_applied": state.get("events_applied"),
    }
    log(f"{name}: model checkpoint {value_bytes:,} bytes ({len(newest)} chunk(s), key {result['model_key_bytes']} bytes); "
             f"{len(frontiers)} frontiers of {result['frontier_value_bytes']} bytes (key {result['frontier_key_bytes']} bytes)")
    return result


class Daemon(soak.Daemon):
    """A `driftd run` child with the given configuration text."""

    def __init__(self, driftd, brokers, topic, group, workdir, name, config):
        path = workdir / f"cfg-{name}.yaml"
        path.write_text(config(f"cc.state.{name}"))
        self.port = soak.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"driftd-{name}.log"
        self.log_file = open(self.log_path, "w")
        args = [driftd, "run", "--config", str(path), "--brokers", brokers, "--input-topic", topic, "--group-id", group,
                "--http-address", "127.0.0.1", "--http-port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(args, stdout=self.log_file, stderr=subprocess.STDOUT)
        soak.children.append(self.process)


def checkpoints(daemon):
    try:
        _, text = daemon.get("/metrics")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith('driftd_checkpoints_total{outcome="ok"}'):
            return int(float(line.rsplit(" ", 1)[1]))
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process (/proc/<pid>/stat), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_read(args, brokers, workdir, label, config, topic, total):
    """Reads the burst; returns (events/s, events per CPU second of the daemon, seconds,
    checkpoints), both rates over 10-90 % of the burst."""
    daemon = Daemon(args.driftd, brokers, topic, f"cost-{label}", workdir, f"cost-{label}", config)
    samples = []  # (wall time, applied, daemon CPU seconds)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if not daemon.alive():
                raise SystemExit(f"checkpoint_cost: driftd exited; log {daemon.log_path}")
            count = daemon.processed("driftd_events_applied_total")
            if count is not None:
                samples.append((time.monotonic(), count, cpu_seconds(daemon.process.pid)))
                if count >= total:
                    break
            time.sleep(0.02)
        done = checkpoints(daemon)
    finally:
        daemon.stop()
    if not samples or samples[-1][1] < total:
        raise SystemExit(f"checkpoint_cost: {label} applied {samples[-1][1] if samples else 0} of {total}")
    t0, c0, u0 = next(x for x in samples if x[1] >= 0.1 * total)
    t1, c1, u1 = next(x for x in samples if x[1] >= 0.9 * total)
    return (c1 - c0) / (t1 - t0), (c1 - c0) / max(u1 - u0, 0.01), t1 - t0, done


def measure_cost(args, brokers, workdir, name, config_for, topic, pool):
    average = sum(map(len, pool)) / len(pool)
    per_partition = int(min(soak.PARTITION_MESSAGES, soak.PARTITION_BYTES / average))
    total = per_partition * soak.PARTITIONS
    produce(brokers, topic, pool, total)
    log(f"{name}: burst of {total:,} events ({average:.0f} bytes each) in {topic}")
    rates = {interval: [] for interval in INTERVALS}
    per_cpu = {interval: [] for interval in INTERVALS}
    counts = {interval: [] for interval in INTERVALS}
    for repeat in range(args.repeats):
        for interval in INTERVALS:
            label = f"{name}-{interval}-{repeat}"
            rate, cpu_rate, seconds, done = timed_read(args, brokers, workdir, label, config_for(interval), topic, total)
            rates[interval].append(rate)
            per_cpu[interval].append(cpu_rate)
            counts[interval].append(done)
            log(f"{name}, checkpoint_interval {interval}: {rate:,.0f} events/s, {cpu_rate:,.0f} events per CPU second "
                f"(10-90 % in {seconds:.2f} s), {done} checkpoints in the daemon's life")
    reference = statistics.median(rates["1d"])
    reference_cpu = statistics.median(per_cpu["1d"])
    result = {"burst_events": total, "event_bytes": round(average)}
    for interval in INTERVALS:
        median = statistics.median(rates[interval])
        median_cpu = statistics.median(per_cpu[interval])
        result[interval] = {
            "rates": [round(r) for r in rates[interval]], "median_rate": round(median),
            "ratio_to_1d": round(median / reference, 3),
            "events_per_cpu_second": [round(r) for r in per_cpu[interval]],
            "median_events_per_cpu_second": round(median_cpu),
            "cpu_ratio_to_1d": round(median_cpu / reference_cpu, 3), "checkpoints": counts[interval],
        }
        log(f"{name}: checkpoint_interval {interval}: median {median:,.0f} events/s = {median / reference:.3f} x the 1 d rate; "
            f"median {median_cpu:,.0f} events per CPU second = {median_cpu / reference_cpu:.3f} x "
            f"(runs: {', '.join(f'{r:,.0f}' for r in rates[interval])})")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--driftd", required=True, help="the driftd binary (release build)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--wide-rows", type=int, default=20_000, help="rows of the 40-column training data")
    parser.add_argument("--results", default=str(ROOT / ".build" / "checkpoint-cost"))
    args = parser.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="driftd-ckpt-"))
    results = pathlib.Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    try:
        broker_log = open(workdir / "dev-broker.log", "w")
        topics = ["cc.churn", "cc.wide", "cc.size-churn", "cc.size-wide"]
        broker = subprocess.Popen([args.driftd, "dev-broker", "--partitions", str(soak.PARTITIONS)]
                                  + [x for t in topics for x in ("--topic", t)],
                                  stdout=subprocess.PIPE, stderr=broker_log, text=True)
        soak.children.append(broker)
        brokers = broker.stdout.readline().strip()
        if not brokers:
            raise SystemExit("checkpoint_cost: dev-broker printed no bootstrap address")
        churn_pool = soak.event_pool(2000)
        wide_baseline, wide_pool = wide_model(args.driftd, workdir, args.wide_rows)
        churn = lambda interval: lambda state: config_text(state, interval)  # noqa: E731
        wide = lambda interval: lambda state: config_text(state, interval, wide_baseline)  # noqa: E731
        summary = {
            "size": {
                "churn": measure_size(args, brokers, workdir, "churn", churn("5s"), "cc.size-churn", churn_pool, 20_000),
                "wide": measure_size(args, brokers, workdir, "wide", wide("5s"), "cc.size-wide", wide_pool, 20_000),
            },
            "cost": {
                "churn": measure_cost(args, brokers, workdir, "churn", churn, "cc.churn", churn_pool),
                "wide": measure_cost(args, brokers, workdir, "wide", wide, "cc.wide", wide_pool),
            },
        }
        (results / "result.json").write_text(json.dumps(summary, indent=2) + "\n")
        log(f"summary: {results / 'result.json'}")
        return 0
    finally:
        soak.stop_children()
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        workdir.rmdir()


if __name__ == "__main__":
    sys.exit(main())
