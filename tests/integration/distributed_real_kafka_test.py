#!/usr/bin/env python3
"""Distributed mode on a real 3-node Kafka (KRaft, tests/support/kafka_cluster.py): three Sluice
workers create their internal topics with real CreateTopics (replication factor 3), run the
verifiable source (3 tasks), survive a SIGKILL of the broker that is their group coordinator
(they find the new coordinator and the same work runs again) and a SIGKILL of a worker (its
tasks move), and the verifiable sequence in Kafka has no gap at the end.

usage: distributed_real_kafka_test.py SLUICE_BINARY
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE))
from distributed_lib import Worker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from sluice_process import end_offset, kcat_lines, temp_dir, wait_for  # noqa: E402

EXTRA = {"session.timeout.ms": "6000", "heartbeat.interval.ms": "1000", "scheduled.rebalance.max.delay.ms": "3000"}
CONFIG = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector", "tasks.max": "3",
          "topic": "vs", "throughput": "200"}


def running(workers, exclude=None):
    seen = []
    for w in workers:
        code, _, s = w.rest.get("/connectors/vs/status")
        if code != 200 or s["connector"]["state"] != "RUNNING" or len(s["tasks"]) != 3:
            return False
        if any(t["state"] != "RUNNING" or t["worker_id"] == exclude for t in s["tasks"]):
            return False
        seen.append(sorted((t["id"], t["worker_id"]) for t in s["tasks"]))
    return all(x == seen[0] for x in seen)


def coordinator_port(w):
    ports = re.findall(r"coordinator is broker \d+ at [^:]+:(\d+)", w.log_text())
    return int(ports[-1]) if ports else None


def main():
    sluice = sys.argv[1]
    work = temp_dir()
    ok = False
    with KafkaCluster(nodes=3) as kc:
        kc.create_topic("vs", partitions=1, replication_factor=3)
        kc.create_topic("bad-offsets", partitions=3, config={"cleanup.policy": "delete"})
        workers = []
        try:
            # An existing offsets topic that deletes records: the worker does not start.
            bad = Worker(sluice, kc.bootstrap, work, "bad", group="bad", extra=EXTRA, wait=False,
                         topics=("bad-configs", "bad-offsets", "bad-status"))
            assert bad.proc.wait(timeout=120) == 1
            assert "'cleanup.policy=compact'" in bad.log_text() and "offset.storage.topic" in bad.log_text()
            print("a non-compacted offsets topic: the worker exits with the reason")

            workers = [Worker(sluice, kc.bootstrap, work, f"w{i}", group="real", extra=EXTRA,
                              topics=("real-configs", "real-offsets", "real-status")) for i in range(3)]
            deadline = time.monotonic() + 60
            while workers[1].rest.request("POST", "/connectors", {"name": "vs", "config": CONFIG})[0] != 201:
                assert time.monotonic() < deadline, "could not create the connector"
                time.sleep(0.5)
            wait_for(lambda: running(workers), 90, "3 tasks RUNNING on every worker's REST")

            port = coordinator_port(workers[0])
            node = next(i for i, n in enumerate(kc.nodes) if n.port == port)
            before = end_offset(kc.bootstrap, "vs")
            t0 = time.monotonic()
            kc.kill(node)
            wait_for(lambda: coordinator_port(workers[0]) not in (None, port), 90, "a new coordinator")
            wait_for(lambda: running(workers), 90, "RUNNING after the coordinator's broker died")
            wait_for(lambda: end_offset(kc.bootstrap, "vs") > before + 500, 60, "records after the broker died")
            print(f"coordinator broker {node} SIGKILLed: work running again after {time.monotonic() - t0:.1f} s")
            kc.restart(node)

            victim = workers[2]
            t0 = time.monotonic()
            victim.stop(signal.SIGKILL)
            wait_for(lambda: running(workers[:2], exclude=victim.id), 90, "the killed worker's tasks elsewhere")
            print(f"worker SIGKILLed: its tasks RUNNING elsewhere after {time.monotonic() - t0:.1f} s")
            for w in workers[:2]:
                rc, took = w.stop()
                assert rc == 0 and took < 30, (rc, took)

            records = os.path.join(work, "records.txt")
            with open(records, "w") as f:
                f.write("\n".join(kcat_lines(kc.bootstrap, "vs")) + "\n")
            check = subprocess.run([sys.executable, str(HERE / "check_seqnos.py"), records, "--tasks", "3",
                                    "--per-task", "0"], capture_output=True, text=True)
            print(check.stdout.strip())
            assert check.returncode == 0, "the verifiable sequence has a gap"
            ok = True
            print("distributed_real_kafka_test: ok")
        finally:
            for w in workers:
                if w.proc and w.proc.poll() is None:
                    w.proc.kill()
                    w.proc.wait()
            if ok:
                shutil.rmtree(work, ignore_errors=True)
            else:
                print("logs kept in", work)
                for log in sorted(Path(work).glob("*.log")):
                    print(f"--- {log.name} (tail)")
                    print("\n".join(log.read_text(errors="replace").splitlines()[-30:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
