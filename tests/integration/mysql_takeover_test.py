#!/usr/bin/env python3
"""Takeover between Debezium 2.7's MariaDbConnector (Kafka Connect's JVM standalone worker) and
Sluice, both ways, on one private MariaDB, one real Kafka, one offsets file (Connect's
Java-serialized format), one schema history topic and one connector name, while a writer keeps
inserting, updating and deleting rows.

Round 1 (mid-stream), topic prefix `cdc`, table shop.t (100 rows at start):
  1. Debezium snapshots and streams; it is stopped mid-stream.
  2. Sluice starts with the same name, config, offsets file and schema history topic: it must
     continue from Debezium's offset (no second snapshot) with the schemas of Debezium's history.
  3. An ALTER TABLE runs while Sluice streams (so Sluice writes a schema history record), then
     Sluice is stopped and Debezium continues from Sluice's offsets and reads Sluice's history
     (a history record it cannot parse, or a wrong position, fails or corrupts its stream).
  4. The writer stops; Debezium drains.
Round 2 (mid-snapshot), topic prefix `big`, table shop.big (SNAP_ROWS rows, default 150,000):
  Debezium is stopped while its snapshot runs; Sluice takes over (a snapshot not finished is
  done again: Debezium's offset says snapshot=true), streams the writer's changes, and is
  stopped; Debezium continues from Sluice's offsets.
Round 3 (the reverse mid-snapshot), topic prefix `rev`, the same table: Sluice is stopped while
  its snapshot runs; Debezium reads Sluice's offset (snapshot=true), snapshots again and streams.

Checks per round: every row of the table has an event, and the last event of every id matches
the table (row contents; a deleted row's last event is a delete or its tombstone): no gap;
snapshot events: one full snapshot in round 1, and in rounds 2 and 3 one full snapshot (each id
once) after the partial one; duplicates of streamed changes (the same change twice) stay below what a stop can
leave uncommitted (Connect commits offsets on a graceful stop, so a few batches at most).

usage: mysql_takeover_test.py SLUICE_BINARY     (KEEP_WORK=1 keeps the files; SNAP_ROWS=N)
"""
import collections
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from mariadb import MariaDB  # noqa: E402
from sluice_process import Standalone, kcat_lines, wait_for  # noqa: E402
import topic_diff  # noqa: E402

CONV = {"key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false"}
SNAP_ROWS = int(os.environ.get("SNAP_ROWS", "150000"))
MAX_DUPS = 2000


def log(msg):
    print(f"-- {msg}", flush=True)


def connector(db, kc, prefix, table):
    return {"connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1",
            "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
            "database.password": "cdc-pw", "database.server.id": "6201", "topic.prefix": prefix,
            "schema.history.internal.kafka.topic": "history." + prefix,
            "schema.history.internal.kafka.bootstrap.servers": kc.bootstrap,
            "database.ssl.mode": "disabled", "table.include.list": table,
            "include.schema.changes": "false", "snapshot.fetch.size": "2000"}


class Writer(threading.Thread):
    """Inserts 5 rows, updates 2 older rows and deletes one, about 10 times a second."""

    def __init__(self, db, table, first_id):
        super().__init__(daemon=True)
        self.db, self.table, self.next_id = db, table, first_id
        self.first = first_id
        self.stop_flag, self.error, self.rounds = False, None, 0
        self.rng = random.Random(7)

    def run(self):
        try:
            while not self.stop_flag:
                a = self.next_id
                vals = ", ".join(f"({i}, {i % 97})" for i in range(a, a + 5))
                u1, u2, d = (self.rng.randrange(1, a) for _ in range(3))
                self.db.sql(f"INSERT INTO {self.table} (id, v) VALUES {vals}; "
                            f"UPDATE {self.table} SET v = v + 1000 WHERE id IN ({u1}, {u2}); "
                            f"DELETE FROM {self.table} WHERE id = {d}")
                self.next_id += 5
                self.rounds += 1
                time.sleep(0.1)
        except Exception as e:  # noqa: BLE001
            self.error = e


def events(bootstrap, topic):
    """[(id, op, after)] in topic order; tombstones as (id, 't', None)."""
    out = []
    for line in kcat_lines(bootstrap, topic, fmt="%k\t%s\\n"):
        k, _, v = line.partition("\t")
        if not k:
            continue
        key = json.loads(k)["id"]
        if not v:
            out.append((key, "t", None))
        else:
            val = json.loads(v)
            out.append((key, val["op"], val.get("after")))
    return out


def check(db, table, topic, bootstrap, fails, name, want_snapshots):
    rows = {int(r[0]): r for r in db.query(f"SELECT * FROM {table}")}
    cols = [r[0] for r in db.query(
        f"SELECT column_name FROM information_schema.columns WHERE table_schema = 'shop' "
        f"AND table_name = '{table.split('.')[1]}' ORDER BY ordinal_position")]
    ev = events(bootstrap, topic)
    last = {}
    for i, op, after in ev:
        last[i] = (op, after)
    seen = collections.Counter((i, op, json.dumps(after, sort_keys=True)) for i, op, after in ev
                               if op in ("c", "u"))
    dups = sum(n - 1 for n in seen.values())
    snaps = sum(1 for _, op, _ in ev if op == "r")
    missing = [i for i in rows if i not in last]
    wrong = []
    for i, (op, after) in last.items():
        if i in rows:
            # Columns the event has (rows not changed since the ALTER TABLE ... ADD COLUMN have
            # events without it, as in Debezium).
            want = {c: (None if v is None else int(v)) for c, v in zip(cols, rows[i]) if after and c in after}
            got = {c: after.get(c) for c in want} if after else None
            if got != want:
                wrong.append((i, op, got, want))
        elif op not in ("d", "t"):
            wrong.append((i, op, after, "deleted"))
    log(f"{name}: {len(ev)} events for {len(rows)} rows; {snaps} snapshot events, "
        f"{dups} streamed changes delivered twice")
    if missing:
        fails.append(f"{name}: {len(missing)} rows have no event, e.g. {missing[:5]}")
    if wrong:
        fails.append(f"{name}: {len(wrong)} ids' last event does not match the table, e.g. {wrong[:3]}")
    problem = want_snapshots(ev)
    if problem:
        fails.append(f"{name}: {problem}")
    if dups > MAX_DUPS:
        fails.append(f"{name}: {dups} duplicated changes: more than an uncommitted tail")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-mysql-takeover."))
    fails = []
    t0 = time.monotonic()
    db = MariaDB(buffer_pool="512M").start()
    sl = None
    writer = None
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR,"
               " LOCK TABLES ON *.* TO 'cdc'@'127.0.0.1';"
               "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v INT)")
        db.sql("INSERT INTO shop.t SELECT seq, seq FROM seq_1_to_100", database="shop")
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"Kafka at {kc.bootstrap}, MariaDB on port {db.port}")
            kc.create_topic("cdc.shop.t", partitions=1, replication_factor=1)
            kc.create_topic("big.shop.big", partitions=1, replication_factor=1)
            jvm_dir = work / "jvm"
            offsets = jvm_dir / "offsets"
            sdir = work / "sluice"
            sdir.mkdir()

            def count(topic):
                return topic_diff.count_records(kc.bootstrap, topic)

            def run_jvm(name, cfg, phase, until, settle=2):
                jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=jvm_dir,
                                    worker_config={**CONV, "offset.flush.interval.ms": 1000})
                jvm.start(timeout=240)
                try:
                    jvm.put_connector(name, cfg)
                    jvm.wait_status(name, "RUNNING", timeout=120, tasks=1)
                    wait_for(until, 300, f"Debezium ({phase})")
                    time.sleep(settle)
                    code, st = jvm.request("GET", f"/connectors/{name}/status")
                    if "FAILED" in json.dumps(st):
                        raise AssertionError(f"Debezium FAILED ({phase}): {json.dumps(st)[:2000]}")
                finally:
                    jvm.stop()
                log(f"Debezium stopped ({phase})")

            def run_sluice(name, cfg, phase, until, during=None, settle=2):
                nonlocal sl
                sl = Standalone(sluice, kc.bootstrap, str(sdir), extra={
                    **CONV, "offset.storage.file.filename": str(offsets),
                    "offset.flush.interval.ms": "1000",
                    "plugin.path": str(Path(sluice).parent.parent / "plugins-out")})
                code, _, body = sl.rest.request("PUT", f"/connectors/{name}/config", cfg)
                if code not in (200, 201):
                    raise AssertionError(f"Sluice refused the connector: {code} {body}")
                wait_for(until, 300, f"Sluice ({phase})")
                if during:
                    during()
                time.sleep(settle)
                code, _, st = sl.rest.request("GET", f"/connectors/{name}/status")
                if "FAILED" in json.dumps(st):
                    raise AssertionError(f"Sluice FAILED ({phase}): {json.dumps(st)[:2000]}")
                sl.stop()
                sl = None
                log(f"Sluice stopped ({phase})")

            # ---- round 1: mid-stream
            cfg = connector(db, kc, "cdc", "shop.t")
            topic = "cdc.shop.t"
            writer = Writer(db, "shop.t", 1000)
            run_jvm("m", cfg, "snapshot", lambda: count(topic) >= 100)
            writer.start()
            n = count(topic)
            run_jvm("m", cfg, "streaming", lambda: count(topic) >= n + 200)
            n = count(topic)

            def alter():
                db.sql("ALTER TABLE shop.t ADD COLUMN w INT DEFAULT 5")
                m = count(topic)
                wait_for(lambda: count(topic) >= m + 100, 120, "Sluice streaming after the ALTER")
            run_sluice("m", cfg, "streaming", lambda: count(topic) >= n + 200, during=alter)
            n = count(topic)
            run_jvm("m", cfg, "after Sluice", lambda: count(topic) >= n + 200)
            writer.stop_flag = True
            writer.join()
            if writer.error:
                raise AssertionError(f"the writer failed: {writer.error}")
            want = {int(r[0]) for r in db.query("SELECT id FROM shop.t")}
            run_jvm("m", cfg, "drain", lambda: want <= {i for i, _, _ in events(kc.bootstrap, topic)}, settle=3)
            check(db, "shop.t", topic, kc.bootstrap, fails, "round 1 (mid-stream)",
                  lambda ev: None if sum(op == "r" for _, op, _ in ev) == 100 else "not exactly 100 snapshot events")

            # ---- round 2: mid-snapshot
            db.sql(f"CREATE TABLE shop.big (id INT PRIMARY KEY, v INT); "
                   f"INSERT INTO shop.big SELECT seq, seq FROM seq_1_to_{SNAP_ROWS}", database="shop")
            cfg = connector(db, kc, "big", "shop.big")
            topic = "big.shop.big"
            run_jvm("b", cfg, "mid-snapshot", lambda: count(topic) >= 1000, settle=0)
            partial = count(topic)
            log(f"Debezium stopped after {partial} of {SNAP_ROWS} snapshot rows")
            if partial >= SNAP_ROWS:
                fails.append("Debezium finished the snapshot before it was stopped: SNAP_ROWS too small")
            writer = Writer(db, "shop.big", SNAP_ROWS + 1000)
            writer.start()
            run_sluice("b", cfg, "snapshot and streaming", lambda: count(topic) >= partial + SNAP_ROWS + 200)
            n = count(topic)
            run_jvm("b", cfg, "after Sluice", lambda: count(topic) >= n + 200)
            writer.stop_flag = True
            writer.join()
            if writer.error:
                raise AssertionError(f"the writer failed: {writer.error}")
            want = {int(r[0]) for r in db.query("SELECT id FROM shop.big")}
            run_jvm("b", cfg, "drain", lambda: want <= {i for i, _, _ in events(kc.bootstrap, topic)}, settle=3)
            def second_snapshot(partial, who, rows):
                def checker(ev):
                    """The partial snapshot, then one whole snapshot (rows the writer added before
                    it included): each id once, none missing (the last-event check)."""
                    first = [i for i, op, _ in ev[:partial] if op == "r"]
                    again = [i for i, op, _ in ev[partial:] if op == "r"]
                    if len(first) != partial:
                        return f"{len(first)} of the first {partial} events are snapshot events"
                    if len(again) != len(set(again)):
                        return f"the second snapshot has {len(again) - len(set(again))} ids twice"
                    if not rows - 50 <= len(again) <= rows + 2000:
                        return f"the second snapshot has {len(again)} rows for a {rows}-row table"
                    log(f"second snapshot: {len(again)} rows after {who}'s partial {partial}")
                    return None
                return checker
            check(db, "shop.big", topic, kc.bootstrap, fails, "round 2 (mid-snapshot)",
                  second_snapshot(partial, "Debezium", SNAP_ROWS))

            # ---- round 3: the reverse mid-snapshot: Sluice stopped while it snapshots (a new
            # connector on the same table), Debezium snapshots again and streams from there.
            cfg = connector(db, kc, "rev", "shop.big")
            topic = "rev.shop.big"
            kc.create_topic(topic, partitions=1, replication_factor=1)
            rows = int(db.query("SELECT COUNT(*) FROM shop.big")[0][0])
            run_sluice("r", cfg, "mid-snapshot", lambda: count(topic) >= 1000, settle=0)
            partial = count(topic)
            log(f"Sluice stopped after {partial} of {rows} snapshot rows")
            if partial >= rows:
                fails.append("Sluice finished the snapshot before it was stopped: SNAP_ROWS too small")
            writer = Writer(db, "shop.big", writer.next_id + 1000)
            writer.start()
            run_jvm("r", cfg, "snapshot and streaming after Sluice", lambda: count(topic) >= partial + rows + 200)
            writer.stop_flag = True
            writer.join()
            if writer.error:
                raise AssertionError(f"the writer failed: {writer.error}")
            want = {int(r[0]) for r in db.query("SELECT id FROM shop.big")}
            run_jvm("r", cfg, "drain", lambda: want <= {i for i, _, _ in events(kc.bootstrap, topic)}, settle=3)
            check(db, "shop.big", topic, kc.bootstrap, fails, "round 3 (Sluice mid-snapshot)",
                  second_snapshot(partial, "Sluice", rows))
    except AssertionError as e:
        fails.append(str(e))
        if sl:
            print("\n".join(sl.log_text().splitlines()[-20:]))
        connect_log = work / "jvm" / "connect.log"
        if connect_log.exists():
            print(connect_log.read_text(errors="replace")[-4000:])
    finally:
        if writer:
            writer.stop_flag = True
        if sl:
            try:
                sl.stop()
            except Exception:  # noqa: BLE001
                sl.proc.kill()
        db.stop()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in fails:
        print(f"FAIL: {f}", flush=True)
    print(f"mysql_takeover_test: {len(fails)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
