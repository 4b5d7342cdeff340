#!/usr/bin/env python3
"""Benchmark: the verifiable source at full speed into `sluice dev-kafka`.

complete.record.data=true, JsonConverter with schemas.enable=false, one task. Reports
records/s, CPU seconds and peak RSS of the sluice worker, and in the same run the rate of
`kcat -P` producing the same number of the same messages from a file (the local reference).
The embedded broker shares the 2 cores, so the figures are Sluice's own cost, not Kafka's.
Prints medians over RUNS runs (default 3) and the ratio to kcat.

usage: throughput.py SLUICE_BINARY [RECORDS]
"""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sluice_process import DevKafka, end_offset, proc_stats  # noqa: E402








def run_sluice(sluice, records, work):
    kafka = DevKafka(sluice, ["bench:1"])
    bootstrap = kafka.bootstrap
    try:
        worker = os.path.join(work, "worker.properties")
        with open(worker, "w") as f:
            f.write(f"bootstrap.servers={bootstrap}\n"
                    "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                    "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                    "key.converter.schemas.enable=false\nvalue.converter.schemas.enable=false\n"
                    f"offset.storage.file.filename={work}/offsets\n"
                    "listeners=http://127.0.0.1:0\n")
        conn = os.path.join(work, "bench.properties")
        with open(conn, "w") as f:
            f.write("name=bench\nconnector.class=VerifiableSource\ntasks.max=1\ntopic=bench\n"
                    f"throughput=-1\ncomplete.record.data=true\nmax.messages={records}\n")
        if os.path.exists(f"{work}/offsets"):
            os.remove(f"{work}/offsets")
        start = time.monotonic()
        p = subprocess.Popen([sluice, "standalone", worker, conn], stderr=subprocess.DEVNULL)
        deadline = start + 600
        cpu, rss = 0.0, 0.0
        while end_offset(bootstrap, "bench") < records:
            if time.monotonic() > deadline or p.poll() is not None:
                sys.exit("sluice did not deliver all records")
            cpu, rss = proc_stats(p.pid) or (cpu, rss)
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        cpu, rss = proc_stats(p.pid) or (cpu, rss)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
        return records / elapsed, cpu, rss
    finally:
        kafka.stop()


def run_kcat(sluice, records, work):
    kafka = DevKafka(sluice, ["ref:1"])
    bootstrap = kafka.bootstrap
    try:
        path = os.path.join(work, "messages")
        now = int(time.time() * 1000)
        with open(path, "w") as f:
            for i in range(records):
                f.write(f'{{"name":"bench","task":0,"topic":"bench","time_ms":{now},"seqno":{i}}}\n')
        start = time.monotonic()
        p = subprocess.Popen(["kcat", "-b", bootstrap, "-P", "-t", "ref", "-l", path,
                              "-X", "acks=all", "-X", "enable.idempotence=true"])
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.monotonic() - start
        if status != 0:
            sys.exit("kcat failed")
        return records / elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    finally:
        kafka.stop()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sluice = sys.argv[1]
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    runs = int(os.environ.get("RUNS", "3"))
    results = {"sluice": [], "kcat -P": []}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(runs):
            results["sluice"].append(run_sluice(sluice, records, work))
            results["kcat -P"].append(run_kcat(sluice, records, work))
    print(f"{records} records, {runs} runs, medians:")
    print(f"{'':10} {'records/s':>12} {'CPU s':>8} {'peak RSS MB':>12}")
    med = {}
    for name, rows in results.items():
        med[name] = [statistics.median(r[i] for r in rows) for i in range(3)]
        rate, cpu, rss = med[name]
        print(f"{name:10} {rate:12,.0f} {cpu:8.2f} {rss:12.1f}")
    print(f"sluice/kcat rate ratio: {med['sluice'][0] / med['kcat -P'][0]:.2f}")


if __name__ == "__main__":
    main()
