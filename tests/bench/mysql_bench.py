#!/usr/bin/env python3
"""Benchmark: the MySQL/MariaDB connector's streaming and snapshot rates, in one run with the
database's own ceilings.

A private MariaDB (tests/support/mariadb.py) gets ROWS rows (default 2,000,000) of
bench.t(id BIGINT PK, a INT, b BIGINT, c VARCHAR(100), d VARCHAR(100), e DATETIME(6),
f DECIMAL(12,2), g DOUBLE) -- 8 columns, about 150 bytes a row -- in INSERT ... SELECT
transactions of 10,000 rows. Then, one after the other:

  binlog-v     mariadb-binlog --read-from-remote-server -v --base64-output=decode-rows of the
               load's binlog to /dev/null: the server's own row decoding and formatting
  stream       Sluice streaming that binlog into Kafka (snapshot.mode=never: from the start of
               the oldest binlog), JsonConverter with schemas.enable=false: events/s until the
               topic's end offset reaches ROWS
  select       mariadb --quick -e 'SELECT * FROM bench.t' > /dev/null
  snapshot     Sluice's initial snapshot of the table (snapshot.mode=initial_only): rows/s

Kafka: `sluice dev-kafka` (in memory, shares the 2 cores with the database and the worker).
Peak RSS is VmHWM of the worker process. Targets (issue 7): streaming and snapshot >= 100,000
events/s, peak RSS <= 128 MB. Not here yet: Debezium on the JVM worker and kcat -P in the same
run, and a real Kafka.

usage: mysql_bench.py SLUICE_BINARY [ROWS]
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


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - t


def run_connector(sluice, kafka, db, work, name, topic, rows, extra):
    os.makedirs(work, exist_ok=True)
    w = Standalone(sluice, kafka.bootstrap, work, extra={"offset.flush.interval.ms": "5000"})
    cfg = {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "tasks.max": "1",
           "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
           "database.password": "cdc-pw", "database.server.id": str(6000 + len(name)), "topic.prefix": name,
           "schema.history.internal.kafka.topic": "history." + name,
           "schema.history.internal.kafka.bootstrap.servers": kafka.bootstrap,
           "table.include.list": "bench\\.t", "max.batch.size": "4096", "max.queue.size": "16384"}
    cfg.update(extra)
    started = time.monotonic()
    w.rest.request("PUT", f"/connectors/{name}/config", cfg)
    peak = [0.0]

    def done():
        st = proc_stats(w.proc.pid)
        if st:
            peak[0] = max(peak[0], st[1])
        return end_offset(kafka.bootstrap, topic) >= rows
    wait_for(done, 3600, f"{rows} records on {topic}")
    secs = time.monotonic() - started
    st = proc_stats(w.proc.pid)
    cpu = st[0] if st else 0.0
    if st:
        peak[0] = max(peak[0], st[1])
    w.stop()
    return secs, cpu, peak[0]


def main():
    sluice = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    work = tempfile.mkdtemp(prefix="sluice-mysql-bench.")
    db = MariaDB(buffer_pool="1G").start()
    kafka = None
    results = {"rows": rows}
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1'")
        results["load_s"] = round(load(db, rows), 1)
        binlog = os.path.basename(db.binlog_files()[0])
        client = shutil.which("mariadb-binlog") or "/usr/bin/mariadb-binlog"
        secs = timed([client, "--no-defaults", "--read-from-remote-server", "--host=127.0.0.1",
                      f"--port={db.port}", "--user=cdc", "--password=cdc-pw", "-v",
                      "--base64-output=decode-rows", binlog, "--to-last-log"])
        results["binlog_v_rows_per_s"] = round(rows / secs)
        kafka = DevKafka(sluice, ["s.bench.t:1", "s:1", "history.s:1", "n.bench.t:1", "n:1", "history.n:1"])
        secs, cpu, rss = run_connector(sluice, kafka, db, os.path.join(work, "stream"), "s", "s.bench.t", rows,
                                       {"snapshot.mode": "never"})
        results.update(stream_events_per_s=round(rows / secs), stream_cpu_s=round(cpu, 1),
                       stream_peak_rss_mb=round(rss, 1))
        secs = timed(["mariadb", "--no-defaults", "--protocol=socket", "--socket=" + db.socket, "-uroot",
                      "--quick", "-e", "SELECT * FROM bench.t"])
        results["select_rows_per_s"] = round(rows / secs)
        secs, cpu, rss = run_connector(sluice, kafka, db, os.path.join(work, "snap"), "n", "n.bench.t", rows,
                                       {"snapshot.mode": "initial_only"})
        results.update(snapshot_rows_per_s=round(rows / secs), snapshot_cpu_s=round(cpu, 1),
                       snapshot_peak_rss_mb=round(rss, 1))
        results["stream_vs_binlog_v"] = round(results["stream_events_per_s"] / results["binlog_v_rows_per_s"], 2)
        results["snapshot_vs_select"] = round(results["snapshot_rows_per_s"] / results["select_rows_per_s"], 2)
        print(json.dumps(results, indent=1))
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
