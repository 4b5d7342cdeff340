#!/usr/bin/env python3
"""Benchmark: the unwrap chain's cost on Debezium-shaped change events.

The scripted test source (envelopes=true) emits MySQL-like change events, per 10 events 5
creates, 3 updates and 2 deletes, each delete followed by its tombstone, into `sluice dev-kafka`,
one task, JsonConverter. Two configurations of the same source, run alternately:

  chain     transforms=unwrap,route
            unwrap: io.debezium.transforms.ExtractNewRecordState with add.fields=op,source.ts_ms
                    and delete.handling.mode=rewrite (tombstones dropped, deletes kept)
            route:  RegexRouter ([^.]+)\\.([^.]+)\\.([^.]+) -> $3
  no chain  the envelopes as they are

The rate is source events (polled records) per second until every one of them is in Kafka
(with the chain: N records in `products`; without: N events + N/5 tombstones). Prints medians
over RUNS runs (default 3) for schemas.enable=true and false (SCHEMAS=true|false|both), and the
ratio chain / no chain (target >= 0.9).

usage: transforms_bench.py SLUICE_BINARY [EVENTS]
The scripted plugin must be built beside the binary: <build>/test-plugins/good.
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

TOPIC = "dbserver1.inventory.products"








def run(sluice, plugin_path, events, chain, schemas, work):
    kafka = DevKafka(sluice, [f"{TOPIC}:1", "products:1"])
    bootstrap = kafka.bootstrap
    try:
        worker = os.path.join(work, "worker.properties")
        with open(worker, "w") as f:
            f.write(f"bootstrap.servers={bootstrap}\n"
                    "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                    "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                    f"key.converter.schemas.enable={schemas}\nvalue.converter.schemas.enable={schemas}\n"
                    f"offset.storage.file.filename={work}/offsets\n"
                    f"plugin.path={plugin_path}\n"
                    "listeners=http://127.0.0.1:0\n")
        conn = os.path.join(work, "bench.properties")
        with open(conn, "w") as f:
            f.write(f"name=bench\nconnector.class=sluice.test.ScriptedSourceConnector\ntasks.max=1\n"
                    f"topic={TOPIC}\nenvelopes=true\nbatch.size=1000\nrecords={events}\n")
            if chain:
                f.write("transforms=unwrap,route\n"
                        "transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState\n"
                        "transforms.unwrap.add.fields=op,source.ts_ms\n"
                        "transforms.unwrap.delete.handling.mode=rewrite\n"
                        "transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter\n"
                        "transforms.route.regex=([^.]+)\\\\.([^.]+)\\\\.([^.]+)\n"
                        "transforms.route.replacement=$3\n")
        if os.path.exists(f"{work}/offsets"):
            os.remove(f"{work}/offsets")
        topic, expected = ("products", events) if chain else (TOPIC, events + events // 5)
        start = time.monotonic()
        p = subprocess.Popen([sluice, "standalone", worker, conn], stderr=subprocess.DEVNULL)
        deadline = start + 900
        cpu = 0.0
        while end_offset(bootstrap, topic) < expected:
            if time.monotonic() > deadline or p.poll() is not None:
                sys.exit(f"sluice did not deliver all records ({'chain' if chain else 'no chain'})")
            cpu = (proc_stats(p.pid) or (cpu, 0))[0]
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        cpu = (proc_stats(p.pid) or (cpu, 0))[0]
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
        return events / elapsed, cpu
    finally:
        kafka.stop()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
    events -= events % 10
    runs = int(os.environ.get("RUNS", "3"))
    build = os.path.dirname(os.path.dirname(sluice))
    plugin_path = f"{build}/plugins-out,{build}/test-plugins/good"
    if not os.path.exists(f"{build}/test-plugins/good/sluice-test-scripted.so"):
        sys.exit(f"no {build}/test-plugins/good/sluice-test-scripted.so: build sluice-test-scripted")
    which = os.environ.get("SCHEMAS", "both")
    settings = ["true", "false"] if which == "both" else [which]
    with tempfile.TemporaryDirectory() as work:
        for schemas in settings:
            rows = {True: [], False: []}
            for _ in range(runs):
                for chain in (False, True):
                    rows[chain].append(run(sluice, plugin_path, events, chain, schemas, work))
            print(f"{events} change events, schemas.enable={schemas}, {runs} runs, medians:")
            print(f"{'':10} {'events/s':>12} {'CPU s':>8}")
            med = {}
            for chain in (False, True):
                med[chain] = [statistics.median(r[i] for r in rows[chain]) for i in range(2)]
                print(f"{'chain' if chain else 'no chain':10} {med[chain][0]:12,.0f} {med[chain][1]:8.2f}")
            for chain in (False, True):
                runs_text = ", ".join(f"{r[0]:,.0f}" for r in rows[chain])
                print(f"  {'chain' if chain else 'no chain'} runs (events/s): {runs_text}")
            print(f"chain / no chain rate: {med[True][0] / med[False][0]:.2f}  (target >= 0.90)\n")


if __name__ == "__main__":
    main()
