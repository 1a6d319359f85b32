#!/usr/bin/env python3
"""Scale-out cost and throughput on this machine (docs/operations.md, "Scale-out capacity").

Usage: bench_scaleout.py DRIFTD_BINARY [EVENTS]

On `driftd dev-broker` (12 input partitions) with the churn example model (6 features and a
prediction), measures:
1. ingest throughput with 1 and with 2 `driftd run` processes in `scale_out.mode: ingest`
   (events/s from the first to the last consumed message, read from each process's /metrics);
2. what the internal topic costs: records and key + value bytes per input event;
3. the added latency from the moment the events that close a pane are produced to the alert
   the evaluator publishes (`mode: both`, one process): the internal hop (ingest batch, internal
   topic, evaluator poll), on top of the pane itself.
Prints one line per figure. Needs confluent-kafka (pip install confluent-kafka).
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request

from confluent_kafka import Consumer, Producer, TopicPartition

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASELINE = os.path.join(ROOT, "config", "baselines", "churn.json")
PARTITIONS = 12
START_MS = 1_780_000_000_000


with open(BASELINE) as _f:
    _BASE = json.load(_f)


def _draw(profile, rng):
    """A value from the baseline's own distribution: its raw sample (numeric) or its category counts."""
    if profile["type"] == "numeric":
        return rng.choice(profile["sample"])
    cats = profile["categories"]
    return rng.choices(cats, weights=profile["counts"][:len(cats)])[0]


def event(i, rng, shift=0.0, t=None):
    """Event `i` drawn from the baseline; `shift` moves tenure by that many baseline sd."""
    features = {f["name"]: _draw(f, rng) for f in _BASE["features"]}
    features["tenure"] = features["tenure"] + shift * _BASE["features"][0]["summary"]["std"]
    return json.dumps({
        "model": "churn", "version": "3", "id": f"e-{i}", "timestamp": START_MS + i if t is None else t,
        "features": features, "prediction": _draw(_BASE["prediction"], rng),
    })


def produce(brokers, topic, lines):
    p = Producer({"bootstrap.servers": brokers, "linger.ms": 20})
    for i, value in enumerate(lines):
        while True:
            try:
                p.produce(topic, key=f"k-{i * 7919 % 100003}".encode(), value=value.encode())
                if i % 5000 == 0:
                    p.poll(0)
                break
            except BufferError:
                p.poll(0.05)
    p.flush(60)


def config(path, brokers, mode, run, http_port):
    with open(path, "w") as f:
        f.write(f"""kafka:
  brokers: "{brokers}"
  group_id: ingest-{run}
  input_topics: [inference]
  alert_topic: driftd.alerts
  retrain_topic: driftd.retrain
  dead_letter_topic: driftd.dead-letter
  batch_size: 5000
defaults:
  window: {{ type: time, duration: 10s, panes: 5 }}
  drift: {{ cooldown: 0s }}
models:
  - baseline: {BASELINE}
state: {{ topic: state-{run}, checkpoint_interval: 5s }}
scale_out: {{ mode: {mode}, internal_topic: panes-{run}, evaluator_group: evaluate-{run}, input_partitions: {PARTITIONS} }}
http: {{ address: 127.0.0.1, port: {http_port} }}
logging: {{ level: warning }}
""")


def metric(port, name):
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        return 0.0
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + "{"))


def topic_bytes(brokers, topic):
    c = Consumer({"bootstrap.servers": brokers, "group.id": f"bench-read-{time.time()}", "enable.auto.commit": False})
    meta = c.list_topics(topic, timeout=10).topics[topic].partitions
    ends = {}
    for p in meta:
        low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        if high > low:
            ends[p] = high
    c.assign([TopicPartition(topic, p, 0) for p in ends])
    records, size = 0, 0
    while ends:
        m = c.poll(1.0)
        if m is None or m.error():
            continue
        records += 1
        size += len(m.value() or b"") + len(m.key() or b"")
        if m.offset() + 1 >= ends.get(m.partition(), 0):
            ends.pop(m.partition(), None)
    c.close()
    return records, size


def main():
    driftd = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    extra = []
    for run in ["one", "two", "lat"]:
        extra += ["--topic", f"state-{run}", "--topic", f"panes-{run}"]
    broker = subprocess.Popen([driftd, "dev-broker", "--partitions", str(PARTITIONS)] + extra,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    brokers = broker.stdout.readline().strip()
    tmp = tempfile.mkdtemp()
    try:
        rng = random.Random(7)
        t0 = time.time()
        produce(brokers, "inference", (event(i, rng) for i in range(n)))
        print(f"produced {n} events over {PARTITIONS} partitions in {time.time() - t0:.1f} s", flush=True)
        for run, processes in [("one", 1), ("two", 2)]:
            procs, ports = [], []
            for k in range(processes):
                port = 9480 + k + (10 if run == "two" else 0)
                path = os.path.join(tmp, f"{run}-{k}.yaml")
                config(path, brokers, "ingest", run, port)
                procs.append(subprocess.Popen([driftd, "run", "--config", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                ports.append(port)
            first, last = None, None
            deadline = time.time() + 600
            while time.time() < deadline:
                each = [metric(p, "driftd_messages_consumed_total") for p in ports]
                consumed = sum(each)
                now = time.time()
                # Timed from the moment every process consumes (the group has settled).
                if first is None and all(c > 0 for c in each):
                    first = (now, consumed)
                if consumed >= n:
                    last = (now, consumed)
                    break
                time.sleep(0.1)
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(60)
            if first and last and last[0] > first[0]:
                rate = (last[1] - first[1]) / (last[0] - first[0])
                print(f"ingest, {processes} process(es): {rate:,.0f} events/s (6 features + prediction, 12 partitions; {last[1] - first[1]:.0f} events timed over {last[0] - first[0]:.1f} s)", flush=True)
            else:
                print(f"ingest, {processes} process(es): did not finish", flush=True)
            records, size = topic_bytes(brokers, f"panes-{run}")
            print(f"internal topic ({processes} process(es)): {records} partial panes, {size} bytes: {size / n:.3f} bytes and {records / n:.5f} records per input event; {size / max(records, 1):.0f} bytes per partial", flush=True)
        # Added latency: mode both, one process; wall-clock timestamps; the closing events' produce to the alert.
        path = os.path.join(tmp, "lat.yaml")
        config(path, brokers, "both", "lat", 9499)
        proc = subprocess.Popen([driftd, "run", "--config", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        alerts = Consumer({"bootstrap.servers": brokers, "group.id": "bench-alerts", "auto.offset.reset": "latest"})
        alerts.subscribe(["driftd.alerts"])
        for _ in range(30):
            alerts.poll(0.2)
        # 24 s of normal events, then one 2 s pane of drifted ones: that pane stays open (no
        # partition's watermark has passed it) until the closing events arrive.
        now_ms = (int(time.time() * 1000) - 60_000) // 2000 * 2000
        lines = [event(i, rng, t=now_ms + i * 2) for i in range(12_000)]
        lines += [event(20_000 + i, rng, shift=3.0, t=now_ms + 24_000 + i) for i in range(2_000)]
        produce(brokers, "inference", lines)
        time.sleep(5)
        while alerts.poll(1.0) is not None:
            pass
        sent = time.time()
        produce(brokers, "inference", [event(100_000 + j, rng, t=now_ms + 40_000) for j in range(300)])
        got = None
        deadline = time.time() + 120
        while time.time() < deadline and got is None:
            m = alerts.poll(0.05)
            if m is not None and not m.error():
                got = time.time()
        alerts.close()
        proc.terminate()
        proc.wait(60)
        if got:
            print(f"added latency, closing events produced -> alert published: {1000 * (got - sent):.0f} ms (mode both, one process)", flush=True)
        else:
            print("added latency: no alert within 120 s", flush=True)
    finally:
        broker.terminate()
        broker.wait(30)


if __name__ == "__main__":
    main()
