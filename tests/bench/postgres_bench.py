#!/usr/bin/env python3
"""Benchmark: the PostgreSQL connector's streaming and snapshot rates, in one run with the
references.

A private PostgreSQL 15 (tests/support/postgres.py) gets ROWS rows (default 2,000,000) of
bench.t(id bigint PK, a int, b bigint, c varchar(100), d varchar(100), e timestamp(6),
f numeric(12,2), g float8) -- 8 columns, about 150 bytes a row -- written in INSERT ... SELECT
transactions of 10,000 rows after the slots were created, so every consumer decodes the same
WAL. Then, one after the other:

  recvlogical  pg_recvlogical (pgoutput, proto 1) draining its slot to /dev/null up to the load's
               end LSN: the server-side decoding ceiling of one slot
  stream       Sluice streaming its slot into Kafka (snapshot.mode=no_data), JsonConverter with
               schemas.enable=false: events/s until the topic's end offset reaches ROWS
  copy         psql \\copy of the table to /dev/null
  snapshot     Sluice's initial snapshot of the table into Kafka: rows/s
  jvm-stream   (with --jvm) Debezium 2.7 on the Kafka Connect JVM worker, streaming its own slot

Kafka: `sluice dev-kafka` by default (in memory, shares the 2 cores); --real-kafka starts a
KRaft Kafka from tests/support/kafka_cluster.py (needed for --jvm). A fresh broker JVM is still
compiling its produce path during the first minute of load, which made the first run of every
series the slowest (its CPU and the worker's, sharing the 2 cores); so with a real Kafka one
streaming run of Sluice into a topic of its own comes first, printed as the warm-up and not
counted. Peak RSS is VmHWM of the
worker process. Targets (issue 8): stream >= 0.6x recvlogical, snapshot >= 100,000 rows/s,
peak RSS <= 128 MB.

RUNS=N (default 3) repeats each pair (reference, then Sluice) and reports medians; each run has
its own slots and topics.

usage: postgres_bench.py SLUICE_BINARY [ROWS] [--real-kafka] [--jvm]
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from postgres import Postgres  # noqa: E402
from sluice_process import DevKafka, end_offset, free_port, proc_stats  # noqa: E402

TOPIC_PARTITIONS = 1


def load(pg, rows, runs):
    pg.sql("CREATE SCHEMA bench; CREATE TABLE bench.t (id bigint PRIMARY KEY, a int, b bigint, "
           "c varchar(100), d varchar(100), e timestamp(6), f numeric(12,2), g float8); "
           "GRANT USAGE ON SCHEMA bench TO debezium; GRANT SELECT ON bench.t TO debezium; "
           "CREATE PUBLICATION benchpub FOR TABLE bench.t")
    for slot in [f"recv_slot{i}" for i in range(runs)] + [f"sluice_slot{i}" for i in range(runs)] + ["jvm_slot", "warm_slot"]:
        pg.sql(f"SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput')")
    t = time.monotonic()
    step = 10_000
    batch = []
    for start in range(1, rows + 1, step):
        end = min(start + step - 1, rows)
        batch.append(
            f"INSERT INTO bench.t SELECT g, g % 100000, g * 7, md5(g::text) || 'ccccccccccccccc', "
            f"md5((g+1)::text) || 'dddddddddddddd', timestamp '2024-01-01' + g * interval '1 ms', "
            f"(g % 1000000) / 100.0, g / 3.0 FROM generate_series({start}, {end}) g;")
        if len(batch) == 20:
            pg.sql("\n".join(batch))
            batch = []
    if batch:
        pg.sql("\n".join(batch))
    wall = time.monotonic() - t
    end_lsn = pg.scalar("SELECT pg_current_wal_lsn()")
    # Autovacuum would otherwise vacuum the 2M new rows during the first measured runs.
    pg.sql("VACUUM (ANALYZE) bench.t")
    pg.sql("CHECKPOINT")
    print(f"load: {rows} rows in {wall:.1f}s, end LSN {end_lsn}", flush=True)
    return end_lsn


def recvlogical(pg, end_lsn, slot):
    env = dict(os.environ, PGPASSWORD=pg.password)
    t = time.monotonic()
    r = subprocess.run([os.path.join(pg.bin, "pg_recvlogical"), "-h", "127.0.0.1", "-p", str(pg.port),
                        "-U", pg.user, "-d", pg.dbname, "--slot", slot, "--start",
                        "-o", "proto_version=1", "-o", "publication_names=benchpub",
                        "--endpos", end_lsn, "-f", "/dev/null", "--no-loop"], env=env,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("pg_recvlogical failed: " + r.stderr[-2000:])
    return time.monotonic() - t


def psql_copy(pg):
    env = dict(os.environ, PGPASSWORD=pg.password)
    t = time.monotonic()
    subprocess.run([pg.psql, "-X", "-q", "-h", "127.0.0.1", "-p", str(pg.port), "-U", pg.user,
                    "-d", pg.dbname, "-c", "\\copy bench.t TO '/dev/null'"], env=env, check=True)
    return time.monotonic() - t


def sluice_run(sluice, bootstrap, work, pg, name, topic, rows, extra):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    build = os.path.dirname(os.path.dirname(os.path.abspath(sluice)))
    props = {
        "bootstrap.servers": bootstrap,
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false",
        "offset.storage.file.filename": os.path.join(d, "offsets"),
        "offset.flush.interval.ms": "5000",
        "listeners": f"http://127.0.0.1:{free_port()}",
        "plugin.path": os.path.join(build, "plugins-out"),
    }
    conn = {
        "name": name, "connector.class": "PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password, "database.dbname": pg.dbname,
        "plugin.name": "pgoutput", "publication.name": "benchpub",
        "publication.autocreate.mode": "disabled", "table.include.list": "bench.t",
        **extra,
    }
    with open(os.path.join(d, "worker.properties"), "w") as f:
        f.writelines(f"{k}={v}\n" for k, v in props.items())
    with open(os.path.join(d, "connector.properties"), "w") as f:
        f.writelines(f"{k}={v}\n" for k, v in conn.items())
    log = open(os.path.join(d, "worker.log"), "wb")
    t = time.monotonic()
    cmd = [sluice, "standalone", os.path.join(d, "worker.properties"),
           os.path.join(d, "connector.properties")]
    if os.environ.get("PERF"):  # PERF=1 (or PERF=dwarf): a perf profile per run in the work folder
        graph = ["--call-graph", "dwarf,16384", "-F", "199"] if os.environ["PERF"] == "dwarf" else ["-g", "-F", "499"]
        cmd = ["perf", "record", *graph, "-o", os.path.join(d, "perf.data")] + cmd
    p = subprocess.Popen(cmd, stderr=log, stdin=subprocess.DEVNULL)
    cpu, rss = 0.0, 0.0
    first = None
    deadline = t + 1800
    while True:
        n = end_offset(bootstrap, topic)
        if n > 0 and first is None:
            first = time.monotonic()
        if n >= rows:
            break
        if p.poll() is not None or time.monotonic() > deadline or b"task failed" in open(log.name, "rb").read():
            p.kill()
            sys.exit(f"{name}: sluice delivered {n} of {rows} records; see {d}/worker.log")
        cpu, rss = proc_stats(p.pid) or (cpu, rss)
        time.sleep(0.1)
    wall = time.monotonic() - t
    cpu, rss = proc_stats(p.pid) or (cpu, rss)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    return wall, (time.monotonic() if first is None else first) - t, cpu, rss


def jvm_stream(kc, pg, work, rows):
    from connect_worker import ConnectWorker
    w = ConnectWorker(bootstrap=kc.bootstrap, work_dir=os.path.join(work, "jvm"), heap="-Xmx2g",
                      worker_config={"key.converter.schemas.enable": "false",
                                     "value.converter.schemas.enable": "false",
                                     "offset.flush.interval.ms": 5000})
    w.start()
    try:
        t = time.monotonic()
        w.put_connector("jvm", {
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "database.hostname": "127.0.0.1", "database.port": str(pg.port),
            "database.user": pg.user, "database.password": pg.password,
            "database.dbname": pg.dbname, "topic.prefix": "jvm", "plugin.name": "pgoutput",
            "publication.name": "benchpub", "publication.autocreate.mode": "disabled",
            "slot.name": "jvm_slot", "snapshot.mode": "no_data", "table.include.list": "bench.t"})
        rss = 0.0
        while end_offset(kc.bootstrap, "jvm.bench.t") < rows:
            if time.monotonic() - t > 1800:
                sys.exit("the JVM worker did not deliver every record")
            st = proc_stats(w.pid)
            rss = max(rss, st[1]) if st else rss
            time.sleep(0.2)
        return time.monotonic() - t, rss
    finally:
        w.stop()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    sluice = os.path.abspath(args[0])
    rows = int(args[1]) if len(args) > 1 else 2_000_000
    runs = int(os.environ.get("RUNS", "3"))
    work = tempfile.mkdtemp(prefix="sluice-pgbench.")
    # A slot per run for each of recvlogical, streaming and snapshot, plus the JVM's and the
    # warm-up's.
    slots = str(3 * runs + 4)
    pg = Postgres(config={"shared_buffers": "512MB", "max_wal_size": "8GB",
                          "max_replication_slots": slots, "max_wal_senders": slots})
    pg.start()
    kc = kafka = None
    try:
        if "--real-kafka" in flags or "--jvm" in flags:
            from kafka_cluster import KafkaCluster
            kc = KafkaCluster()
            kc.start()
            bootstrap = kc.bootstrap
            for t in [f"stream{i}.bench.t" for i in range(runs)] + [f"snap{i}.bench.t" for i in range(runs)] + ["jvm.bench.t", "warm.bench.t"]:
                subprocess.run(["kcat", "-b", bootstrap, "-L", "-t", t], capture_output=True)
        else:
            kafka = DevKafka(sluice, [f"{p}{i}.bench.t:{TOPIC_PARTITIONS}" for i in range(runs) for p in ("stream", "snap")])
            bootstrap = kafka.bootstrap
        end_lsn = load(pg, rows, runs)
        if kc:
            wall, _, cpu, _ = sluice_run(sluice, bootstrap, work, pg, "warm", "warm.bench.t", rows,
                                         {"topic.prefix": "warm", "slot.name": "warm_slot", "snapshot.mode": "no_data"})
            print(f"warm-up (not counted): stream {rows / wall:,.0f} events/s ({wall:.1f}s, cpu {cpu:.1f}s)", flush=True)
        # Each run pairs a reference with Sluice right after it, so a ratio compares neighbours in
        # time on this shared machine; medians over the runs are reported.
        streams, snaps, stream_ratios, snap_ratios, rss = [], [], [], [], []
        for i in range(runs):
            ref = recvlogical(pg, end_lsn, f"recv_slot{i}")
            print(f"[{i + 1}/{runs}] recvlogical: {rows / ref:,.0f} rows/s ({ref:.1f}s)", flush=True)
            wall, first, cpu, rss_s = sluice_run(sluice, bootstrap, work, pg, f"stream{i}", f"stream{i}.bench.t",
                                                 rows, {"topic.prefix": f"stream{i}", "slot.name": f"sluice_slot{i}",
                                                        "snapshot.mode": "no_data"})
            streams.append(rows / wall)
            stream_ratios.append(ref / wall)
            print(f"[{i + 1}/{runs}] stream: {rows / wall:,.0f} events/s ({wall:.1f}s, first record after "
                  f"{first:.1f}s, cpu {cpu:.1f}s, peak RSS {rss_s:.0f} MB); {ref / wall:.2f}x pg_recvlogical",
                  flush=True)
            copy = psql_copy(pg)
            print(f"[{i + 1}/{runs}] psql \\copy: {rows / copy:,.0f} rows/s ({copy:.1f}s)", flush=True)
            wall, first, cpu, rss_n = sluice_run(sluice, bootstrap, work, pg, f"snap{i}", f"snap{i}.bench.t", rows,
                                                 {"topic.prefix": f"snap{i}", "slot.name": f"snap_slot{i}",
                                                  "snapshot.mode": "initial",
                                                  # SNAPSHOT_THREADS=N compares snapshot.max.threads values
                                                  "snapshot.max.threads": os.environ.get("SNAPSHOT_THREADS", "1")})
            snaps.append(rows / wall)
            snap_ratios.append(copy / wall)
            rss += [rss_s, rss_n]
            print(f"[{i + 1}/{runs}] snapshot: {rows / wall:,.0f} rows/s ({wall:.1f}s, cpu {cpu:.1f}s, peak RSS "
                  f"{rss_n:.0f} MB); {copy / wall:.2f}x psql \\copy", flush=True)
        med = statistics.median
        print(f"median of {runs}: stream {med(streams):,.0f} events/s = {med(stream_ratios):.2f}x pg_recvlogical; "
              f"snapshot {med(snaps):,.0f} rows/s = {med(snap_ratios):.2f}x psql \\copy; peak RSS {max(rss):.0f} MB",
              flush=True)
        if "--jvm" in flags:
            wall, rss_j = jvm_stream(kc, pg, work, rows)
            print(f"jvm-stream (Debezium 2.7): {rows / wall:,.0f} events/s ({wall:.1f}s, peak RSS "
                  f"{rss_j:.0f} MB); Sluice's median stream is {med(streams) * wall / rows:.2f}x faster", flush=True)
        ok = med(stream_ratios) >= 0.6 and med(snaps) >= 100_000 and max(rss) <= 128
        print(json.dumps({"rows": rows, "runs": runs, "stream_eps": round(med(streams)),
                          "stream_vs_recvlogical": round(med(stream_ratios), 2),
                          "snapshot_rps": round(med(snaps)), "snapshot_vs_copy": round(med(snap_ratios), 2),
                          "peak_rss_mb": round(max(rss)), "targets_met": ok}))
        return 0
    finally:
        if kafka:
            kafka.stop()
        if kc:
            kc.stop()
        pg.stop()
        if os.environ.get("KEEP_WORK") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
