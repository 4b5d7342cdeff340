#!/usr/bin/env python3
"""Side by side: Debezium 2.7's MariaDbConnector (the class Debezium 2.7 uses for MariaDB) on
Kafka Connect's JVM worker and Sluice's, on the same stream of changes of one private MariaDB
(tests/support/mariadb.py), into one real Kafka (tests/support/kafka_cluster.py), JsonConverter
with schemas.enable=true for keys and values.

The stream: snapshot rows; inserts, updates, deletes with tombstones; a primary-key change
(delete + tombstone + create with the __debezium.newkey/oldkey headers); DDL mid-stream (ADD
COLUMN, RENAME COLUMN, a new table, RENAME TABLE) with rows after each; a multi-row transaction
over two tables. include.schema.changes=true (the <topic.prefix> topic), provide.transaction.metadata
=true (the <topic.prefix>.transaction topic and the value's transaction block), heartbeats off.
Both use topic.prefix=cdc (schema names agree); a RegexRouter sends the JVM's topics to jvm* and
Sluice's to sluice*.

Every topic pair is compared with tests/support/topic_diff.py (debezium preset: processing and
commit times, version string), keys, values and headers:
  - streamed change events and transaction events strictly (same binlog, same coordinates), but
    transaction ids compared by their order of appearance and Debezium's BEGIN records of DDL
    statements (no END follows) counted and left out;
  - snapshot `r` events without source.file/pos/gtid (each connector snapshots at its own binlog
    position);
  - schema change events of the stream strictly but for source.row; the snapshot's schema change events are not
    compared (Sluice writes CREATE DATABASE + SHOW CREATE TABLE, not Debezium's SET/DROP/USE
    sequence: documented in plugins/mysql/connector/README.md) but both sides must have some.

usage: mysql_side_by_side_test.py SLUICE_BINARY     (KEEP_WORK=1 keeps the files)
"""
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from connect_worker import ConnectWorker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from mariadb import MariaDB  # noqa: E402
from sluice_process import Standalone, wait_for  # noqa: E402
import topic_diff  # noqa: E402

CONV = {"key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "true", "value.converter.schemas.enable": "true"}
DATA_TOPICS = ["shop.items", "shop.later", "shop.later2"]
# Records each side must have written before the comparison (data topics, transaction topic).
WANT = {"shop.items": 3 + 18, "shop.later": 2, "shop.later2": 1, "transaction": 2 * 10}
SNAP_IGNORE = ["payload.source.file", "payload.source.pos", "payload.source.gtid",
               "payload.source.row", "payload.source.server_id", "payload.source.thread"]


def log(msg):
    print(f"-- {msg}", flush=True)


def connector(db, side, sid, kc):
    return {"connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1",
            "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
            "database.password": "cdc-pw", "database.server.id": str(sid), "topic.prefix": "cdc",
            "schema.history.internal.kafka.topic": "history." + side,
            "schema.history.internal.kafka.bootstrap.servers": kc.bootstrap,
            "include.schema.changes": "true", "provide.transaction.metadata": "true",
            "heartbeat.interval.ms": "0", "tombstones.on.delete": "true",
            "database.ssl.mode": "disabled", "database.include.list": "shop",
            "transforms": "route",
            "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "cdc(.*)", "transforms.route.replacement": side + "$1"}


SETUP = ("CREATE DATABASE shop;"
         "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, qty INT, price DECIMAL(8,2));"
         "INSERT INTO shop.items VALUES (1, 'apple', 10, 1.50), (2, 'pear', 20, 2.25), (3, 'plum', NULL, NULL)")
# One statement per transaction (autocommit) unless BEGIN ... COMMIT: 10 with rows in all.
CHANGES = [
    "INSERT INTO shop.items VALUES (4, 'fig', 4, 4.00), (5, 'kiwi', 5, 0.05)",   # 2 c, one txn
    "UPDATE shop.items SET qty = 11, price = 1.55 WHERE id = 1",                 # u
    "DELETE FROM shop.items WHERE id = 2",                                       # d + tombstone
    "UPDATE shop.items SET id = 30 WHERE id = 3",                                # d + tomb + c
    "ALTER TABLE shop.items ADD COLUMN note VARCHAR(10) DEFAULT 'n'",
    "INSERT INTO shop.items VALUES (6, 'lime', 6, 6.60, 'added')",               # c
    "UPDATE shop.items SET note = 'x' WHERE id = 4",                              # u
    "ALTER TABLE shop.items RENAME COLUMN qty TO amount",
    "INSERT INTO shop.items (id, name, amount) VALUES (7, 'date', 7)",           # c
    "CREATE TABLE shop.later (id INT PRIMARY KEY, v VARCHAR(5), t DATETIME(3))",
    "INSERT INTO shop.later VALUES (1, 'a', '2024-05-06 07:08:09.123')",         # c
    "BEGIN; INSERT INTO shop.items (id, name) VALUES (20, 'x'), (21, 'y'), (22, 'z');"
    " UPDATE shop.later SET v = 'b' WHERE id = 1; DELETE FROM shop.items WHERE id = 5;"
    " UPDATE shop.items SET amount = 0 WHERE id IN (20, 21); COMMIT",            # 3c 1u 1d+t 2u
    "RENAME TABLE shop.later TO shop.later2",
    "INSERT INTO shop.later2 VALUES (2, 'c', NULL)",                             # c
]


def split(parts, is_snapshot):
    """{partition: [records]} -> (snapshot part, the rest), both in the same form."""
    a, b = {}, {}
    for p, recs in parts.items():
        a[p] = [r for r in recs if is_snapshot(r)]
        b[p] = [r for r in recs if not is_snapshot(r)]
    return a, b


def payload(r):
    v = r["value"]
    return v.get("payload") if isinstance(v, dict) else None


def count(parts):
    return sum(len(x) for x in parts.values())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-mysql-sbs."))
    t0 = time.monotonic()
    db = MariaDB().start()
    fails = []
    worker = None
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR,"
               " LOCK TABLES ON *.* TO 'cdc'@'127.0.0.1'")
        db.sql(SETUP)
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"Kafka at {kc.bootstrap}, MariaDB on port {db.port}")
            for side in ("jvm", "sluice"):
                for t in DATA_TOPICS:
                    kc.create_topic(f"{side}.{t}", partitions=1, replication_factor=1)
                kc.create_topic(side, partitions=1, replication_factor=1)
                kc.create_topic(f"{side}.transaction", partitions=1, replication_factor=1)
            jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                worker_config={**CONV, "offset.flush.interval.ms": 1000})
            jvm.start(timeout=240)
            try:
                jvm.put_connector("m", connector(db, "jvm", 6101, kc))
                jvm.wait_status("m", "RUNNING", timeout=120, tasks=1)
                sdir = work / "sluice"
                sdir.mkdir()
                worker = Standalone(sluice, kc.bootstrap, str(sdir), extra={
                    **CONV, "plugin.path": str(Path(sluice).parent.parent / "plugins-out")})
                code, _, body = worker.rest.request("PUT", "/connectors/m/config", connector(db, "sluice", 6102, kc))
                if code not in (200, 201):
                    raise AssertionError(f"Sluice refused the connector: {code} {body}")
                wait_for(lambda: all(topic_diff.count_records(kc.bootstrap, f"{s}.shop.items") >= 3
                                     for s in ("jvm", "sluice")), 240, "both snapshots")
                time.sleep(5)   # Debezium switches to the binlog a little after its snapshot
                for stmt in CHANGES:
                    db.sql(stmt)
                    time.sleep(0.3)

                def counts():
                    return {f"{s}.{t}": topic_diff.count_records(kc.bootstrap, f"{s}.{t}")
                            for s in ("jvm", "sluice") for t in WANT}
                try:
                    wait_for(lambda: all(n >= WANT[k.split(".", 1)[1]] for k, n in counts().items()),
                             180, "every change on both sides")
                except AssertionError:
                    log(f"records: {counts()}")
                    raise
                time.sleep(3)
            finally:
                jvm.stop()
            log(f"records: { {s: topic_diff.count_records(kc.bootstrap, s) for s in ('jvm', 'sluice')} } schema changes")

            def diff(name, a, b, ignore=()):
                res = topic_diff.compare(a, b, name_a="jvm." + name, name_b="sluice." + name,
                                         preset="debezium", ignore=list(ignore))
                print(res.report(show=6), flush=True)
                if not res.equal:
                    fails.append(f"{name}: the topics differ (report above)")
                else:
                    log(f"{name}: equal ({count(a)} records)")

            # Transaction ids (the MariaDB GTID on both sides) are checked as a list in order of
            # appearance, then renumbered so the records compare; documented difference
            # (plugins/mysql/connector/README.md, "Side by side with Debezium"): Debezium writes a BEGIN and no END for every DDL statement (its GTID event opens
            # a transaction that no COMMIT closes): those BEGINs are counted, then left out.
            jt = topic_diff.read_topic(kc.bootstrap, "jvm.transaction")
            st = topic_diff.read_topic(kc.bootstrap, "sluice.transaction")
            for side, parts in (("jvm", jt), ("sluice", st)):
                log(f"{side}.transaction: " + " ".join(
                    f"{p['status']}:{p['id']}:{p.get('event_count')}" for p in map(payload, parts.get(0, [])) if p))
            ended = {payload(r)["id"] for r in jt.get(0, []) if payload(r) and payload(r)["status"] == "END"}
            dangling = [r for r in jt.get(0, []) if payload(r) and payload(r)["id"] not in ended]
            if len(dangling) != 4:
                fails.append(f"Debezium wrote {len(dangling)} BEGIN records without END, not 4 (one per DDL)")
            jt = {0: [r for r in jt.get(0, []) if not (payload(r) and payload(r)["id"] not in ended)]}
            renumber = {}
            for side, parts in (("jvm", jt), ("sluice", st)):
                order = {}
                for r in parts.get(0, []):
                    order.setdefault(payload(r)["id"], f"tx-{len(order) + 1}")
                renumber[side] = order
            # The ids themselves: the MariaDB GTID of each transaction, on both sides.
            if list(renumber["jvm"]) != list(renumber["sluice"]):
                fails.append(f"transaction ids differ: Debezium {list(renumber['jvm'])[:5]}..., "
                             f"Sluice {list(renumber['sluice'])[:5]}...")

            def norm(side, parts):
                """Transaction ids replaced by their order of appearance (key, value, block)."""
                order = renumber[side]
                for recs in parts.values():
                    for r in recs:
                        p = payload(r)
                        if not p:
                            continue
                        if "status" in p and p.get("id") in order:
                            p["id"] = order[p["id"]]
                            if isinstance(r["key"], dict) and isinstance(r["key"].get("payload"), dict):
                                r["key"]["payload"]["id"] = order.get(r["key"]["payload"].get("id"), "?")
                        tx = p.get("transaction")
                        if isinstance(tx, dict) and "id" in tx:
                            tx["id"] = order.get(tx["id"], "unknown " + tx["id"])
                return parts

            def is_snap_row(r):
                p = payload(r)
                return bool(p) and p.get("op") == "r"
            for t in DATA_TOPICS:
                ja, jb = split(norm("jvm", topic_diff.read_topic(kc.bootstrap, f"jvm.{t}")), is_snap_row)
                sa, sb = split(norm("sluice", topic_diff.read_topic(kc.bootstrap, f"sluice.{t}")), is_snap_row)
                if count(ja) or count(sa):
                    diff(t + " (snapshot)", ja, sa, SNAP_IGNORE)
                diff(t + " (stream)", jb, sb)
            diff("transaction", norm("jvm", jt), norm("sluice", st))

            def is_snap_ddl(r):
                p = payload(r)
                return bool(p) and str((p.get("source") or {}).get("snapshot")) in ("true", "last", "first")
            ja, jb = split(topic_diff.read_topic(kc.bootstrap, "jvm"), is_snap_ddl)
            sa, sb = split(topic_diff.read_topic(kc.bootstrap, "sluice"), is_snap_ddl)
            log(f"schema changes: jvm {count(ja)} snapshot + {count(jb)} streamed, "
                f"sluice {count(sa)} snapshot + {count(sb)} streamed")
            if not count(ja) or not count(sa):
                fails.append("no snapshot schema change event on one side")
            if count(jb) != 4:
                fails.append(f"Debezium wrote {count(jb)} streamed schema changes, not 4")
            # Documented difference (3): Debezium's source.row in a DDL's schema change event is the
            # row number left over from the last rows event before it (1 after a 2-row event).
            diff("schema changes (stream)", jb, sb, ["payload.source.row"])
    except AssertionError as e:
        fails.append(str(e))
        if worker:
            print("\n".join(worker.log_text().splitlines()[-20:]))
        connect_log = work / "jvm" / "connect.log"
        if connect_log.exists():
            print(connect_log.read_text(errors="replace")[-3000:])
    finally:
        if worker:
            try:
                worker.stop()
            except Exception:  # noqa: BLE001
                worker.proc.kill()
        db.stop()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in fails:
        print(f"FAIL: {f}", flush=True)
    print(f"mysql_side_by_side_test: {len(fails)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
