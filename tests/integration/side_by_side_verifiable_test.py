#!/usr/bin/env python3
"""Side by side: Kafka Connect's JVM worker and Sluice run the same verifiable source.

One real Kafka (one KRaft node, tests/support/kafka_cluster.py). Kafka Connect's own standalone
worker (tests/support/connect_worker.py) runs
org.apache.kafka.connect.tools.VerifiableSourceConnector into topic `jvm`; `sluice standalone`
runs the same connector config into topic `sluice`. Same worker converters (JsonConverter,
schemas.enable=true for keys and values), the same connector config (tasks.max=1,
throughput=1000, complete.record.data=true; Java's connector has no max.messages, so both are
stopped once their topic holds RECORDS records, default 5000). Both topics have 3 partitions,
so the keyed records must land in the same partition too.

Then tests/support/topic_diff.py compares the first RECORDS records of every partition with the
verifiable preset (time_ms may differ; the topic name in the value is the topic's own) and
raw keys: the same keys byte for byte (the JSON text the partitioner hashes), the same
partitions, the same value schemas and structure. If Sluice answers `GET /` on its `listeners` port, `/` and
`/connectors/verifiable/status` are compared too (the same fields; the same Kafka cluster id;
states RUNNING); when its REST is refused, that part is skipped with a note.

usage: side_by_side_verifiable_test.py SLUICE_BINARY      (KEEP_WORK=1 keeps the files)
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker, RestClient  # noqa: E402
from kafka_cluster import KafkaCluster, _die_with_parent, free_ports  # noqa: E402
import topic_diff  # noqa: E402

RECORDS = int(os.environ.get("RECORDS", "5000"))
PARTITIONS = 3
CONNECTOR = {
    "connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
    "tasks.max": "1",
    "throughput": "1000",
    "complete.record.data": "true",
}
CONVERTERS = {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter.schemas.enable": "true",
}


class Failed(Exception):
    pass


def log(msg):
    print(f"-- {msg}", flush=True)


def count(bootstrap, topic):
    return topic_diff.count_records(bootstrap, topic)


def tail(path, n=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def shape(x):
    """The structure of a JSON value: dict keys and list shapes kept, scalars as type names."""
    if isinstance(x, dict):
        return {k: shape(v) for k, v in x.items()}
    if isinstance(x, list):
        return [shape(v) for v in x]
    return type(x).__name__


def compare_rest(jvm, sluice_url):
    """-> list of problems (empty: the same), or None when Sluice's REST is not there."""
    s = RestClient(sluice_url, timeout=10)
    try:
        code, root = s.request("GET", "/")
    except (ConnectionRefusedError, ConnectionResetError, http.client.HTTPException) as e:
        log(f"Sluice's REST at {sluice_url} does not answer ({e.__class__.__name__}): "
            "REST comparison skipped")
        return None
    problems = []
    jcode, jroot = jvm.request("GET", "/")
    if code != 200:
        problems.append(f"GET / -> {code} from Sluice (JVM: {jcode}): {str(root)[:300]}")
    elif not isinstance(root, dict) or set(root) != set(jroot):
        problems.append(f"GET / fields: JVM {sorted(jroot)}, Sluice "
                        f"{sorted(root) if isinstance(root, dict) else repr(root)[:300]}")
    elif root.get("kafka_cluster_id") != jroot.get("kafka_cluster_id"):
        problems.append(f"kafka_cluster_id: JVM {jroot['kafka_cluster_id']}, Sluice "
                        f"{root.get('kafka_cluster_id')}")
    log(f"GET /: JVM {json.dumps(jroot)}; Sluice {json.dumps(root)}")
    try:
        st = s.wait_status("verifiable", "RUNNING", timeout=30)
    except Exception as e:  # noqa: BLE001 - reported as a difference
        problems.append(f"Sluice /connectors/verifiable/status: {e}")
        return problems
    jst = jvm.wait_status("verifiable", "RUNNING", timeout=30)
    log(f"status: JVM {json.dumps(jst)}; Sluice {json.dumps(st)}")
    if shape(st) != shape(jst):
        problems.append(f"status structure: JVM {json.dumps(shape(jst))}, Sluice "
                        f"{json.dumps(shape(st))}")
    for field in ("name", "type"):
        if st.get(field) != jst.get(field):
            problems.append(f"status {field}: JVM {jst.get(field)!r}, Sluice {st.get(field)!r}")
    if [t.get("id") for t in st.get("tasks", [])] != [t.get("id") for t in jst.get("tasks", [])]:
        problems.append("status task ids differ")
    wid = (st.get("connector") or {}).get("worker_id", "")
    host, _, port = wid.rpartition(":")
    if not host or not port.isdigit():
        problems.append(f"Sluice worker_id {wid!r} is not host:port (JVM: "
                        f"{jst['connector']['worker_id']!r})")
    return problems


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-sbs."))
    sluice_proc = None
    failures = []
    t_start = time.monotonic()
    try:
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"Kafka at {kc.bootstrap}")
            for t in ("jvm", "sluice"):
                kc.create_topic(t, partitions=PARTITIONS, replication_factor=1)

            # The JVM worker: the same connector over REST.
            jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                worker_config=CONVERTERS)
            jvm.start(timeout=180)
            log(f"JVM standalone worker at {jvm.url} (pid {jvm.pid}), REST up in "
                f"{jvm.startup_seconds:.1f}s")
            try:
                jvm.put_connector("verifiable", {**CONNECTOR, "topic": "jvm"})
                jvm.wait_status("verifiable", "RUNNING", timeout=60, tasks=1)

                # Sluice: the connector from a file on the command line (its REST may not exist).
                rest_port = free_ports(1)[0]
                (work / "worker.properties").write_text("".join(f"{k}={v}\n" for k, v in {
                    "bootstrap.servers": kc.bootstrap, **CONVERTERS,
                    "offset.storage.file.filename": work / "sluice.offsets",
                    "listeners": f"http://127.0.0.1:{rest_port}",
                    "rest.advertised.host.name": "127.0.0.1",
                }.items()))
                (work / "verifiable.properties").write_text("".join(
                    f"{k}={v}\n"
                    for k, v in {"name": "verifiable", **CONNECTOR, "topic": "sluice"}.items()))
                with open(work / "sluice.log", "wb") as err:
                    sluice_proc = subprocess.Popen(
                        [sluice, "standalone", str(work / "worker.properties"),
                         str(work / "verifiable.properties")], stdout=err, stderr=err,
                        stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
                log(f"sluice standalone started (pid {sluice_proc.pid}, "
                    f"listeners port {rest_port})")

                deadline = time.monotonic() + 60
                while count(kc.bootstrap, "sluice") == 0:
                    if sluice_proc.poll() is not None or time.monotonic() > deadline:
                        raise Failed(f"no record from sluice (exit status "
                                     f"{sluice_proc.poll()}): {tail(work / 'sluice.log')}")
                    time.sleep(0.2)

                problems = compare_rest(jvm, f"http://127.0.0.1:{rest_port}")
                if problems:
                    failures += [f"REST: {p}" for p in problems]
                elif problems is not None:
                    log("REST: / and /connectors/verifiable/status agree")

                deadline = time.monotonic() + 30 + RECORDS / 1000 * 4
                done = {"jvm": False, "sluice": False}
                while not all(done.values()):
                    if time.monotonic() > deadline:
                        raise Failed(f"not {RECORDS} records in time: jvm "
                                     f"{count(kc.bootstrap, 'jvm')}, sluice "
                                     f"{count(kc.bootstrap, 'sluice')}")
                    if not done["sluice"] and sluice_proc.poll() is not None:
                        raise Failed(f"sluice exited with {sluice_proc.returncode}: "
                                     f"{tail(work / 'sluice.log')}")
                    if not done["jvm"] and not jvm.alive():
                        raise Failed(f"the JVM worker exited: {tail(jvm.log)}")
                    for t in done:
                        if not done[t] and count(kc.bootstrap, t) >= RECORDS:
                            done[t] = True
                            log(f"{t}: {RECORDS} records or more at "
                                f"{time.monotonic() - t_start:.1f}s; stopping it")
                            if t == "sluice":
                                sluice_proc.send_signal(signal.SIGTERM)
                            else:
                                jvm.stop()
                    time.sleep(0.5)
            finally:
                jvm.stop()
            rc = sluice_proc.wait(timeout=60)
            if rc != 0:
                failures.append(f"sluice exited with {rc} after SIGTERM: "
                                f"{tail(work / 'sluice.log', 5)}")
            log(f"topics now: jvm {count(kc.bootstrap, 'jvm')}, sluice "
                f"{count(kc.bootstrap, 'sluice')} records")

            res = topic_diff.diff_topics(kc.bootstrap, "jvm", "sluice", preset="verifiable",
                                         max_records=RECORDS, raw_keys=True)
            print(res.report(show=5), flush=True)
            if not res.equal:
                failures.append("topic_diff: the topics differ (report above)")
            # Every record must be in the compared window on both sides: an empty partition on
            # one side shows up as "only in" records, so equal means same partitions too.
            total = sum(min(c["len_a"], c["len_b"]) for c in res.per_partition.values())
            if res.equal and total < RECORDS:
                failures.append(f"only {total} records compared")
    except Failed as e:
        failures.append(str(e))
    finally:
        if sluice_proc is not None and sluice_proc.poll() is None:
            sluice_proc.kill()
            sluice_proc.wait()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        for f in failures:
            print(f"FAIL: {f}", flush=True)
        return 1
    print(f"side_by_side_verifiable_test: ok ({time.monotonic() - t_start:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
