#!/usr/bin/env python3
"""Migration between Kafka Connect's JVM distributed worker and Sluice, both ways, on a real
Kafka (one KRaft node, tests/support/kafka_cluster.py).

1. A JVM Connect cluster (one worker, tests/support/connect_worker.py) creates its internal
   topics and runs the verifiable source (2 tasks); it is stopped with SIGTERM.
2. Two Sluice workers start with the same group.id and topics: they read the JVM's connector
   config, task configs and offsets, report RUNNING, and continue each task's sequence.
3. They are stopped; a JVM worker starts again on the topics Sluice wrote and continues.
4. The verifiable sequence in Kafka has no gap (check_seqnos.py), and the JVM and Sluice REST
   answers agreed on the connector's config at each handover.

usage: distributed_migration_test.py SLUICE_BINARY
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE))
from connect_worker import ConnectWorker, RestClient  # noqa: E402
from distributed_lib import Worker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from sluice_process import end_offset, kcat_lines, temp_dir, wait_for  # noqa: E402

GROUP = "migration"
TOPICS = (f"{GROUP}-configs", f"{GROUP}-offsets", f"{GROUP}-status")
CONFIG = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector", "tasks.max": "2",
          "topic": "vs", "throughput": "300"}
JVM_CONFIG = {"group.id": GROUP, "key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false",
              "offset.flush.interval.ms": "1000"}
SLUICE_EXTRA = {"config.storage.replication.factor": "1", "offset.storage.replication.factor": "1",
                "status.storage.replication.factor": "1", "offset.storage.partitions": "5",
                "status.storage.partitions": "1", "scheduled.rebalance.max.delay.ms": "0",
                "offset.flush.interval.ms": "1000",
                # Older than this, the JVM's session key is replaced by a Sluice leader's one.
                "inter.worker.key.ttl.ms": "5000"}


def session_keys(bootstrap):
    """The session-key records of the config topic, decoded, oldest first."""
    out = []
    for line in kcat_lines(bootstrap, TOPICS[0], fmt="%k\t%s\n"):
        if line.startswith("session-key\t"):
            out.append(json.loads(line.split("\t", 1)[1]))
    return out


def check_session_key_shape(record, who):
    """Java's SESSION_KEY_V0 as Sluice writes and reads it (spec §2.2)."""
    assert list(record) == ["key", "algorithm", "creation-timestamp"], (who, record)
    assert record["algorithm"] == "HmacSHA256", (who, record)
    assert len(base64.b64decode(record["key"], validate=True)) == 32, (who, record)
    assert abs(record["creation-timestamp"] / 1000 - time.time()) < 900, (who, record)


def sluice_running(w):
    code, _, body = w.rest.get("/connectors/vs/status")
    return code == 200 and body["connector"]["state"] == "RUNNING" and len(body["tasks"]) == 2 and \
        all(t["state"] == "RUNNING" for t in body["tasks"])


def grows(bootstrap, by, timeout, what):
    start = end_offset(bootstrap, "vs")
    wait_for(lambda: end_offset(bootstrap, "vs") >= start + by, timeout, what)


def main():
    sluice = sys.argv[1]
    work = temp_dir()
    ok = False
    with KafkaCluster(nodes=1) as kc:
        kc.create_topic("vs", partitions=1)
        try:
            jvm = ConnectWorker("distributed", bootstrap=kc.bootstrap, plugin_path=None, stdout_log=False,
                                worker_config=JVM_CONFIG)
            jvm.start()
            jrest = RestClient(jvm.url)
            jrest.put_connector("vs", CONFIG)
            jrest.wait_status("vs", "RUNNING", timeout=120, tasks=2)
            grows(kc.bootstrap, 1000, 60, "the JVM worker's records")
            jvm.stop()
            print("JVM cluster ran and stopped:", end_offset(kc.bootstrap, "vs"), "records")
            jvm_keys = session_keys(kc.bootstrap)
            assert jvm_keys, "the JVM leader wrote no session-key record"
            check_session_key_shape(jvm_keys[-1], "JVM")

            workers = [Worker(sluice, kc.bootstrap, work, f"s{i}", group=GROUP, topics=TOPICS, extra=SLUICE_EXTRA)
                       for i in range(2)]
            wait_for(lambda: all(sluice_running(w) for w in workers), 120, "Sluice to run the JVM's connector")
            deadline = time.monotonic() + 60
            while True:  # 409 while a rebalance is due (clients retry)
                code, _, cfg = workers[1].rest.get("/connectors/vs/config")
                if code != 409 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert code == 200 and cfg["topic"] == "vs" and cfg["tasks.max"] == "2", (code, cfg)
            code, _, offsets = workers[0].rest.get("/connectors/vs/offsets")
            assert code == 200 and len(offsets["offsets"]) == 2, (code, offsets)
            grows(kc.bootstrap, 1000, 60, "Sluice's records")
            for w in workers:
                rc, took = w.stop()
                assert rc == 0 and took < 30, (rc, took)
            print("Sluice took over and stopped:", end_offset(kc.bootstrap, "vs"), "records")
            keys = session_keys(kc.bootstrap)
            assert len(keys) > len(jvm_keys), "the Sluice leader did not rotate the JVM's expired session key"
            check_session_key_shape(keys[-1], "Sluice")

            jvm2 = ConnectWorker("distributed", bootstrap=kc.bootstrap, plugin_path=None, stdout_log=False,
                                 worker_config=JVM_CONFIG)
            jvm2.start()
            jrest2 = RestClient(jvm2.url)
            jrest2.wait_status("vs", "RUNNING", timeout=120, tasks=2)
            code, cfg2 = jrest2.request("GET", "/connectors/vs/config")
            assert code == 200 and cfg2 == cfg, (code, cfg2, cfg)
            grows(kc.bootstrap, 1000, 60, "the JVM worker's records after Sluice")
            jvm2.stop()
            print("JVM took back over and stopped:", end_offset(kc.bootstrap, "vs"), "records")

            records = os.path.join(work, "records.txt")
            with open(records, "w") as f:
                f.write("\n".join(kcat_lines(kc.bootstrap, "vs")) + "\n")
            check = subprocess.run([sys.executable, str(HERE / "check_seqnos.py"), records, "--tasks", "2",
                                    "--per-task", "0"], capture_output=True, text=True)
            print(check.stdout.strip())
            assert check.returncode == 0, "the verifiable sequence has a gap"
            ok = True
            print("distributed_migration_test: ok")
        finally:
            if not ok:
                print("logs kept in", work)
                for log in sorted(Path(work).glob("*.log")):
                    print(f"--- {log.name} (tail)")
                    print("\n".join(log.read_text(errors="replace").splitlines()[-25:]))
            else:
                shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
