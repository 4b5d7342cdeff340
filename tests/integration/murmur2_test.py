#!/usr/bin/env python3
"""Sluice partitions keyed records as Kafka's Java producer does (murmur2), on a real Kafka.

One KRaft node (tests/support/kafka_cluster.py), a topic with 7 partitions made with a real
CreateTopics. `sluice standalone` runs the scripted test source
(sluice.test.ScriptedSourceConnector, records=10000: keys "0".."9999" as strings,
StringConverter), so 10,000 distinct keys land. Every record's partition (kcat -f '%p %k\\n') is then checked against the partition Kafka's own
code picks for its key: tests/support/Murmur2Partitions.java, run with the Connect classpath
(Utils.toPositive(Utils.murmur2(key bytes)) % 7, the Java producer's default for keyed
records). Prints the mismatch count; 0 is required, as is every key exactly once.

usage: murmur2_test.py SLUICE_BINARY      (plugins from <build>/plugins-out and
                                            <build>/test-plugins/good, next to <build>/bin)
"""
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUPPORT = HERE.parent / "support"
sys.dont_write_bytecode = True
sys.path.insert(0, str(SUPPORT))
from kafka_cluster import KafkaCluster, _die_with_parent, java_binary, jvm_cache  # noqa: E402
from topic_diff import count_records  # noqa: E402

RECORDS = 10000
PARTITIONS = 7
TOPIC = "murmur"


def log(msg):
    print(f"-- {msg}", flush=True)


def fail(msg):
    print(f"FAIL: {msg}", flush=True)
    return 1


def tail(path, n=10):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = Path(sys.argv[1]).resolve()
    build = sluice.parent.parent
    plugin_dirs = [build / "plugins-out", build / "test-plugins" / "good"]
    if not (build / "test-plugins" / "good" / "sluice-test-scripted.so").exists():
        return fail(f"no {build}/test-plugins/good/sluice-test-scripted.so (build the "
                    "sluice-test-scripted target)")
    t0 = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="sluice-murmur2."))
    proc = None
    try:
        with KafkaCluster(work_dir=work / "kafka") as kc:
            kc.create_topic(TOPIC, partitions=PARTITIONS, replication_factor=1)
            log(f"Kafka at {kc.bootstrap}, topic {TOPIC} with {PARTITIONS} partitions")
            (work / "worker.properties").write_text(
                f"bootstrap.servers={kc.bootstrap}\n"
                f"plugin.path={','.join(str(d) for d in plugin_dirs)}\n"
                "key.converter=org.apache.kafka.connect.storage.StringConverter\n"
                "value.converter=org.apache.kafka.connect.storage.StringConverter\n"
                f"offset.storage.file.filename={work}/offsets\n"
                "offset.flush.interval.ms=1000\n")
            (work / "scripted.properties").write_text(
                "name=murmur\nconnector.class=sluice.test.ScriptedSourceConnector\n"
                f"tasks.max=1\ntopic={TOPIC}\nrecords={RECORDS}\n")
            with open(work / "sluice.log", "wb") as err:
                proc = subprocess.Popen([str(sluice), "standalone", str(work / "worker.properties"),
                                         str(work / "scripted.properties")],
                                        stdout=err, stderr=err, stdin=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
            deadline = time.monotonic() + 120
            while (n := count_records(kc.bootstrap, TOPIC)) < RECORDS:
                if proc.poll() is not None:
                    return fail(f"sluice exited with {proc.returncode}: "
                                f"{tail(work / 'sluice.log')}")
                if time.monotonic() > deadline:
                    return fail(f"only {n} records in {TOPIC} after 120 s")
                time.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=60)
            if rc != 0:
                return fail(f"sluice exited with {rc} after SIGTERM: {tail(work / 'sluice.log')}")
            log(f"sluice wrote {RECORDS} records")

            r = subprocess.run(["kcat", "-b", kc.bootstrap, "-C", "-t", TOPIC, "-o", "beginning",
                                "-e", "-q", "-f", "%p %k\n"], capture_output=True, text=True,
                               timeout=120, stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                return fail(f"kcat exited with {r.returncode}: {r.stderr[-500:]}")
            lines = [ln for ln in r.stdout.splitlines() if ln]
            keys = collections.Counter(ln.split(" ", 1)[1] for ln in lines)
            per_partition = collections.Counter(int(ln.split(" ", 1)[0]) for ln in lines)
            log("records per partition: " + ", ".join(
                f"{p}={per_partition[p]}" for p in range(PARTITIONS)))
            expected = {str(i) for i in range(RECORDS)}
            if set(keys) != expected or len(lines) != RECORDS:
                return fail(f"{len(lines)} records, {len(keys)} distinct keys; missing "
                            f"{len(expected - set(keys))}, unexpected "
                            f"{sorted(set(keys) - expected)[:5]}, repeated "
                            f"{sum(1 for k in keys.values() if k > 1)}")

            java = subprocess.run(
                [java_binary(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                 "-cp", str(jvm_cache() / "connect" / "*"), str(SUPPORT / "Murmur2Partitions.java"),
                 str(PARTITIONS), "--check"],
                input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120)
            print(java.stdout, end="", flush=True)
            summary = [ln for ln in java.stdout.splitlines() if ln.startswith("records=")]
            if java.returncode not in (0, 1) or not summary:
                return fail(f"Murmur2Partitions exited with {java.returncode}: "
                            f"{java.stderr[-1000:]}")
            fields = dict(kv.split("=") for kv in summary[0].split())
            if int(fields["records"]) != RECORDS:
                return fail(f"Murmur2Partitions checked {fields['records']} records")
            if int(fields["mismatches"]) != 0:
                return fail(f"{fields['mismatches']} of {RECORDS} records are not in the "
                            "partition Java's producer would choose")
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"murmur2_test: ok: 0 mismatches in {RECORDS} records over {PARTITIONS} partitions "
          f"({time.monotonic() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
