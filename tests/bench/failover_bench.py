#!/usr/bin/env python3
"""Benchmark: distributed-mode failover and join times, Sluice and the JVM worker in one run.

On a real Kafka (one KRaft node), a cluster of two workers runs the verifiable source with
4 tasks. Each round:
  failover: SIGKILL the worker that does not serve as observer; time until the observer's REST
            shows every task RUNNING on the survivor;
  join:     start a fresh worker; time from its exec until a task is RUNNING on it.
Connect's default timeouts (session 10 s, heartbeat 3 s) with scheduled.rebalance.max.delay.ms
5 s for Sluice; the JVM keeps its default 300 s (JVM_DELAY_MS overrides). Prints median and
p90 for each; targets: failover <= 20 s, join <= 8 s.

usage: failover_bench.py SLUICE_BINARY      env: RUNS (Sluice rounds, 5), JVM_RUNS (1; 0 skips
                                                 the JVM), JVM_DELAY_MS (300000)
"""
import os
import signal
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "integration"))
from connect_worker import ConnectWorker, RestClient  # noqa: E402
from distributed_lib import Worker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from sluice_process import temp_dir  # noqa: E402

TASKS = 4
CONFIG = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
          "tasks.max": str(TASKS), "topic": "bench", "throughput": "100"}


def owners(rest):
    try:
        code, body = rest.request("GET", "/connectors/bench/status")
    except OSError:
        return None
    if code != 200 or len(body.get("tasks", [])) != TASKS:
        return None
    return {t["id"]: (t["state"], t["worker_id"]) for t in body["tasks"]}


def wait(cond, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


class SluiceSide:
    name = "sluice"

    def __init__(self, sluice, bootstrap, work):
        self.sluice, self.bootstrap, self.work, self.n = sluice, bootstrap, work, 0
        self.extra = {"config.storage.replication.factor": "1", "offset.storage.replication.factor": "1",
                      "status.storage.replication.factor": "1", "offset.storage.partitions": "5",
                      "status.storage.partitions": "1", "scheduled.rebalance.max.delay.ms": "5000"}

    def start(self, wait_ready=True):
        self.n += 1
        w = Worker(self.sluice, self.bootstrap, self.work, f"s{self.n}", group="bench-sluice",
                   topics=("bench-sluice-configs", "bench-sluice-offsets", "bench-sluice-status"),
                   extra=self.extra, wait=wait_ready)
        w.client = RestClient(f"http://127.0.0.1:{w.port}")
        return w

    def kill(self, w):
        w.proc.send_signal(signal.SIGKILL)
        w.proc.wait()

    def stop(self, w):
        if w.proc.poll() is None:
            w.stop()


class JvmSide:
    name = "jvm"

    def __init__(self, bootstrap, delay_ms):
        self.bootstrap = bootstrap
        self.config = {"group.id": "bench-jvm", "scheduled.rebalance.max.delay.ms": str(delay_ms)}

    def start(self, wait_ready=True):
        w = ConnectWorker("distributed", bootstrap=self.bootstrap, plugin_path=None, stdout_log=False,
                          worker_config=self.config)
        w.start()
        w.id = f"127.0.0.1:{w.port}"
        w.client = RestClient(w.url)
        return w

    def kill(self, w):
        w.kill()

    def stop(self, w):
        w.stop()


def measure(side, runs, failover_timeout):
    a, b = side.start(), side.start()
    # 409 until the group has formed and a leader is known.
    assert wait(lambda: a.client.request("PUT", "/connectors/bench/config", CONFIG)[0] in (200, 201), 120), \
        f"{side.name}: the connector could not be created"
    assert wait(lambda: (o := owners(a.client)) and all(s == "RUNNING" for s, _ in o.values()), 120), \
        f"{side.name}: the connector never ran"
    failovers, joins = [], []
    try:
        for r in range(runs):
            assert wait(lambda: (o := owners(a.client)) and {w for _, w in o.values()} == {a.id, b.id}
                        and all(s == "RUNNING" for s, _ in o.values()), 120), f"{side.name}: never balanced"
            t0 = time.monotonic()
            side.kill(b)
            done = wait(lambda: (o := owners(a.client)) and all(s == "RUNNING" and w == a.id for s, w in o.values()),
                        failover_timeout)
            failovers.append(time.monotonic() - t0 if done else float("inf"))
            print(f"{side.name} round {r + 1}: failover {failovers[-1]:.1f} s", flush=True)
            if not done:
                break
            t0 = time.monotonic()
            b = side.start(wait_ready=False)
            done = wait(lambda: (o := owners(a.client)) and any(s == "RUNNING" and w == b.id for s, w in o.values()),
                        120)
            joins.append(time.monotonic() - t0 if done else float("inf"))
            print(f"{side.name} round {r + 1}: join {joins[-1]:.1f} s", flush=True)
    finally:
        for w in (a, b):
            try:
                side.stop(w)
            except Exception:  # noqa: BLE001 - best effort at the end of a benchmark
                pass
    return failovers, joins


def summary(name, values):
    if not values:
        return f"{name}: no data"
    s = sorted(values)
    p90 = s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]
    return f"{name}: median {statistics.median(s):.1f} s, p90 {p90:.1f} s over {len(s)} runs"


def main():
    sluice = os.path.abspath(sys.argv[1])
    runs = int(os.environ.get("RUNS", "5"))
    jvm_runs = int(os.environ.get("JVM_RUNS", "1"))
    jvm_delay = int(os.environ.get("JVM_DELAY_MS", "300000"))
    work = temp_dir()
    with KafkaCluster(nodes=1) as kc:
        kc.create_topic("bench", partitions=1)
        results = {"sluice": measure(SluiceSide(sluice, kc.bootstrap, work), runs, 60)}
        if jvm_runs:
            results["jvm"] = measure(JvmSide(kc.bootstrap, jvm_delay), jvm_runs, jvm_delay / 1000 + 60)
    print("\nresults (targets: failover <= 20 s, join <= 8 s)")
    for side, (failovers, joins) in results.items():
        print(summary(f"{side} failover", failovers))
        print(summary(f"{side} join", joins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
