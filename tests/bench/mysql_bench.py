#!/usr/bin/env python3
"""Benchmark: the MySQL/MariaDB connector's streaming and snapshot rates, in one run with
Debezium 2.7 on Kafka Connect's JVM worker, kcat -P and the database's own ceilings.

A private MariaDB (tests/support/mariadb.py) gets ROWS rows (default 2,000,000) of
bench.t(id BIGINT PK, a INT, b BIGINT, c VARCHAR(100), d VARCHAR(100), e DATETIME(6),
f DECIMAL(12,2), g DOUBLE) -- 8 columns, about 150 bytes a row -- in INSERT ... SELECT
transactions of 10,000 rows, and InnoDB flushes the load's dirty pages (settle_s) so the first
run measured does not share the cores with the page cleaner. Then, one after the other:

  binlog-v       mariadb-binlog --read-from-remote-server -v --base64-output=decode-rows of the
                 load's binlog to /dev/null: the server's own row decoding and formatting
  stream         Sluice streaming that binlog into Kafka (snapshot.mode=never: from the start of
                 the oldest binlog), JsonConverter with schemas.enable=false: events/s until the
                 topic's end offset reaches ROWS
  jvm-stream     the same with Debezium 2.7's MariaDbConnector on the JVM standalone worker
                 (JVM=0 skips the JVM; timed from the connector's PUT, the worker already up)
  kcat-P         the Sluice stream topic's keys and values (dumped with kcat -C) produced again by
                 `kcat -P` to a new topic: the same bytes pushed by librdkafka alone (dev-kafka
                 keeps only the newest records: those are repeated up to ROWS)
  select         mariadb --quick -e 'SELECT * FROM bench.t' > /dev/null
  snapshot       Sluice's initial snapshot of the table (snapshot.mode=initial_only): rows/s
  jvm-snapshot   the same with Debezium on the JVM worker

Kafka: KAFKA=dev (default) `sluice dev-kafka` (in memory) or KAFKA=real, one Apache Kafka 3.9
broker (tests/support/kafka_cluster.py); either shares the 2 cores with the database and the
worker. Debezium needs the Java client's APIs: with KAFKA=dev it is skipped unless JVM=1 forces
it. Peak RSS is VmHWM of the worker process (the JVM's with -Xmx2g). Targets (issue 7):
streaming and snapshot >= 100,000 events/s, peak RSS <= 128 MB. Output: a table (events/s,
CPU s, peak RSS, ratios to Sluice's) and the figures as JSON.

usage: mysql_bench.py SLUICE_BINARY [ROWS]      (KAFKA=dev|real, JVM=0|1)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from mariadb import MariaDB  # noqa: E402
from sluice_process import DevKafka, Standalone, end_offset, proc_stats, wait_for  # noqa: E402


def load(db, rows):
    db.sql("CREATE DATABASE bench; CREATE TABLE bench.t (id BIGINT PRIMARY KEY, a INT, b BIGINT, "
           "c VARCHAR(100), d VARCHAR(100), e DATETIME(6), f DECIMAL(12,2), g DOUBLE)")
    t = time.monotonic()
    step = 10000
    for lo in range(1, rows + 1, step):
        hi = min(rows, lo + step - 1)
        db.sql("INSERT INTO bench.t SELECT seq, seq % 1000, seq * 7, CONCAT('name-', seq, '-', REPEAT('x', 30)), "
               "CONCAT('addr-', seq, '-', REPEAT('y', 30)), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND, "
               f"seq / 100, seq * 1.5 FROM seq_{lo}_to_{hi}", database="bench")
    return time.monotonic() - t


def settle(db, timeout=300):
    """Waits until InnoDB has flushed the load's dirty pages: right after a load of millions of
    rows the server's page cleaner takes a core for a minute or more, and the first run measured
    would pay for it (streaming 2,000,000 rows measured 20k/s then, 36k/s once settled)."""
    t = time.monotonic()
    db.sql("SET GLOBAL innodb_max_dirty_pages_pct = 0; SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0")
    while time.monotonic() - t < timeout:
        dirty = int(db.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")[0][1])
        if dirty < 50:
            break
        time.sleep(1)
    db.sql("SET GLOBAL innodb_max_dirty_pages_pct = 90")
    return time.monotonic() - t


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - t


def connector_config(kafka, db, name, extra, cls="io.debezium.connector.mysql.MySqlConnector"):
    cfg = {"connector.class": cls, "tasks.max": "1",
           "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
           "database.password": "cdc-pw", "database.server.id": str(6000 + sum(map(ord, name))),
           "topic.prefix": name, "schema.history.internal.kafka.topic": "history." + name,
           "schema.history.internal.kafka.bootstrap.servers": kafka.bootstrap,
           "table.include.list": "bench\\.t", "max.batch.size": "4096", "max.queue.size": "16384",
           "database.ssl.mode": "disabled"}
    cfg.update(extra)
    return cfg


def wait_rows(kafka, topic, rows, pid, peak, step=0.25):
    """Polls the end offset every `step` s (each poll is a kcat process: polling faster takes a
    visible share of the 2 cores from the runs being measured); VmHWM is a high-water mark."""
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        st = proc_stats(pid)
        if st:
            peak[0] = max(peak[0], st[1])
        if end_offset(kafka.bootstrap, topic) >= rows:
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {rows} records on {topic}")


def run_connector(sluice, kafka, db, work, name, topic, rows, extra):
    os.makedirs(work, exist_ok=True)
    w = Standalone(sluice, kafka.bootstrap, work, extra={"offset.flush.interval.ms": "5000"})
    started = time.monotonic()
    w.rest.request("PUT", f"/connectors/{name}/config", connector_config(kafka, db, name, extra))
    peak = [0.0]
    wait_rows(kafka, topic, rows, w.proc.pid, peak)
    secs = time.monotonic() - started
    st = proc_stats(w.proc.pid)
    cpu = st[0] if st else 0.0
    if st:
        peak[0] = max(peak[0], st[1])
    w.stop()
    return secs, cpu, peak[0]


def run_jvm(kafka, db, work, name, topic, rows, extra):
    """Debezium 2.7's MariaDbConnector (its class for MariaDB servers) on the JVM standalone
    worker (started first, not timed)."""
    from connect_worker import ConnectWorker
    w = ConnectWorker("standalone", bootstrap=kafka.bootstrap, work_dir=work, heap="-Xms256m -Xmx2g",
                      stdout_log=False,
                      worker_config={"key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false",
                                     "offset.flush.interval.ms": 5000, "producer.linger.ms": 5,
                                     "producer.batch.size": 262144})
    w.start(timeout=240)
    try:
        cpu0 = (proc_stats(w.pid) or (0.0, 0.0))[0]
        started = time.monotonic()
        w.put_connector(name, connector_config(kafka, db, name, extra, "io.debezium.connector.mariadb.MariaDbConnector"))
        peak = [0.0]
        wait_rows(kafka, topic, rows, w.pid, peak)
        secs = time.monotonic() - started
        st = proc_stats(w.pid)
        if st:
            peak[0] = max(peak[0], st[1])
        return secs, (st[0] - cpu0) if st else 0.0, peak[0]
    finally:
        w.stop()


def kcat_push(kafka, work, src, dst, rows):
    """The keys and values of `src` dumped with kcat -C, then produced to `dst` with kcat -P."""
    dump = os.path.join(work, "dump.txt")
    with open(dump, "wb") as f:
        subprocess.run(["kcat", "-b", kafka.bootstrap, "-C", "-t", src, "-o", "beginning", "-e", "-q",
                        "-f", "%k\t%s\n"], stdout=f, check=True, stdin=subprocess.DEVNULL)
    with open(dump, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    if 0 < len(lines) < rows:
        # dev-kafka (librdkafka's mock cluster) keeps only a partition's newest records: the
        # records read are repeated up to `rows` (same shapes and sizes).
        with open(dump, "wb") as f:
            for i in range(rows):
                f.write(lines[i % len(lines)])
    size = os.path.getsize(dump)
    t = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "kcat", "-b", kafka.bootstrap, "-P", "-t", dst, "-K", "\t",
                        "-l", dump], stderr=subprocess.PIPE, text=True, check=True, stdin=subprocess.DEVNULL)
    wait_rows(kafka, dst, rows, os.getpid(), [0.0])
    secs = time.monotonic() - t
    u, sy, m = r.stderr.strip().splitlines()[-1].split()
    return secs, float(u) + float(sy), int(m) / 1024, size


class RealKafka:
    def __init__(self, work, topics):
        from kafka_cluster import KafkaCluster
        self.kc = KafkaCluster(work_dir=os.path.join(work, "kafka"))
        self.kc.start()
        self.bootstrap = self.kc.bootstrap
        for t in topics:
            name, _, parts = t.partition(":")
            self.kc.create_topic(name, partitions=int(parts or 1), replication_factor=1)

    def stop(self):
        self.kc.stop()


def main():
    sluice = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    kind = os.environ.get("KAFKA", "dev")
    jvm = os.environ.get("JVM", "1" if kind == "real" else "0") == "1"
    work = tempfile.mkdtemp(prefix="sluice-mysql-bench.")
    db = MariaDB(buffer_pool="1G").start()
    kafka = None
    results = {"rows": rows, "kafka": kind}
    rows_table = []
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR,"
               " LOCK TABLES ON *.* TO 'cdc'@'127.0.0.1'")
        results["load_s"] = round(load(db, rows), 1)
        results["settle_s"] = round(settle(db), 1)
        binlog = os.path.basename(db.binlog_files()[0])
        client = shutil.which("mariadb-binlog") or "/usr/bin/mariadb-binlog"
        secs = timed([client, "--no-defaults", "--read-from-remote-server", "--host=127.0.0.1",
                      f"--port={db.port}", "--user=cdc", "--password=cdc-pw", "-v",
                      "--base64-output=decode-rows", binlog, "--to-last-log"])
        results["binlog_v_rows_per_s"] = round(rows / secs)
        topics = [f"{p}{s}:1" for p in ("s", "n", "js", "jn") for s in (".bench.t", "")] + \
                 ["history." + p + ":1" for p in ("s", "n", "js", "jn")] + ["kcat.ref:1"]
        kafka = RealKafka(work, topics) if kind == "real" else DevKafka(sluice, topics)
        secs, cpu, rss = run_connector(sluice, kafka, db, os.path.join(work, "stream"), "s", "s.bench.t", rows,
                                       {"snapshot.mode": "never"})
        results.update(stream_events_per_s=round(rows / secs), stream_cpu_s=round(cpu, 1),
                       stream_peak_rss_mb=round(rss, 1))
        rows_table.append(("stream", "Sluice", rows / secs, cpu, rss))
        if jvm:
            secs, cpu, rss = run_jvm(kafka, db, os.path.join(work, "jvm-stream"), "js", "js.bench.t", rows,
                                     {"snapshot.mode": "never"})
            results.update(jvm_stream_events_per_s=round(rows / secs), jvm_stream_cpu_s=round(cpu, 1),
                           jvm_stream_peak_rss_mb=round(rss, 1))
            rows_table.append(("stream", "Debezium (JVM)", rows / secs, cpu, rss))
        secs, cpu, rss, size = kcat_push(kafka, work, "s.bench.t", "kcat.ref", rows)
        results.update(kcat_p_records_per_s=round(rows / secs), kcat_p_cpu_s=round(cpu, 1),
                       kcat_p_peak_rss_mb=round(rss, 1), kcat_p_bytes=size)
        rows_table.append(("stream", "kcat -P (same bytes)", rows / secs, cpu, rss))
        rows_table.append(("stream", "mariadb-binlog -v", results["binlog_v_rows_per_s"], None, None))
        secs = timed(["mariadb", "--no-defaults", "--protocol=socket", "--socket=" + db.socket, "-uroot",
                      "--quick", "-e", "SELECT * FROM bench.t"])
        results["select_rows_per_s"] = round(rows / secs)
        secs, cpu, rss = run_connector(sluice, kafka, db, os.path.join(work, "snap"), "n", "n.bench.t", rows,
                                       {"snapshot.mode": "initial_only"})
        results.update(snapshot_rows_per_s=round(rows / secs), snapshot_cpu_s=round(cpu, 1),
                       snapshot_peak_rss_mb=round(rss, 1))
        rows_table.append(("snapshot", "Sluice", rows / secs, cpu, rss))
        if jvm:
            secs, cpu, rss = run_jvm(kafka, db, os.path.join(work, "jvm-snap"), "jn", "jn.bench.t", rows,
                                     {"snapshot.mode": "initial_only"})
            results.update(jvm_snapshot_rows_per_s=round(rows / secs), jvm_snapshot_cpu_s=round(cpu, 1),
                           jvm_snapshot_peak_rss_mb=round(rss, 1))
            rows_table.append(("snapshot", "Debezium (JVM)", rows / secs, cpu, rss))
        rows_table.append(("snapshot", "mariadb --quick SELECT", results["select_rows_per_s"], None, None))
        results["stream_vs_binlog_v"] = round(results["stream_events_per_s"] / results["binlog_v_rows_per_s"], 2)
        results["snapshot_vs_select"] = round(results["snapshot_rows_per_s"] / results["select_rows_per_s"], 2)
        print(json.dumps(results, indent=1))
        print(f"\n{rows:,} rows, Kafka: {kind}")
        print(f"{'phase':9} {'what':24} {'events/s':>10} {'CPU s':>7} {'peak RSS MB':>12} {'Sluice / this':>14}")
        base = {ph: r for ph, who, r, _, _ in rows_table if who == "Sluice"}
        for ph, who, r, cpu, rss in rows_table:
            print(f"{ph:9} {who:24} {r:>10,.0f} {'' if cpu is None else f'{cpu:.1f}':>7} "
                  f"{'' if rss is None else f'{rss:.0f}':>12} {base[ph] / r:>14.2f}")
        ok = (results["stream_events_per_s"] >= 100_000 and results["snapshot_rows_per_s"] >= 100_000
              and max(results["stream_peak_rss_mb"], results["snapshot_peak_rss_mb"]) <= 128)
        print("targets (>= 100,000 events/s both, peak RSS <= 128 MB):", "met" if ok else "NOT met")
        return 0
    finally:
        if kafka:
            kafka.stop()
        db.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
