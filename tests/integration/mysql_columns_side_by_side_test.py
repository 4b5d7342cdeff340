#!/usr/bin/env python3
"""Side by side: Debezium 2.7's MariaDbConnector on Kafka Connect's JVM worker and Sluice's, with
the per-column options, on one private MariaDB (tests/support/mariadb.py) and one real Kafka
(tests/support/kafka_cluster.py): column.exclude.list, column.mask.with.<n>.chars (NULLs too, a
DECIMAL passes through), column.truncate.to.<n>.chars (strings by UTF-16 units, TEXT, CHAR(3) not
truncatable, bytes/Decimal/BIT values not cut), column.propagate.source.type,
datatype.propagate.source.type (DECIMAL, INT UNSIGNED), column.mask.hash (v1 SHA-256, v2 MD5)
and message.key.columns (a table without PK, one whose PK is overridden). Snapshot rows and
streamed c/u/d/tombstones of each table are compared with tests/support/topic_diff.py (debezium preset; binlog
coordinates, server ids and times ignored, each connector has its own).

usage: mysql_columns_side_by_side_test.py SLUICE_BINARY
"""
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from connect_worker import ConnectWorker
from kafka_cluster import KafkaCluster
from mariadb import MariaDB
from sluice_process import Standalone, wait_for
import topic_diff

CONV = {"key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "true", "value.converter.schemas.enable": "true"}
TABLES = ["people", "events", "keyed", "bin"]


def connector(db, side, sid, kc):
    return {"connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1",
            "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
            "database.password": "cdc-pw", "database.server.id": str(sid), "topic.prefix": "cdc",
            "schema.history.internal.kafka.topic": "history." + side,
            "schema.history.internal.kafka.bootstrap.servers": kc.bootstrap,
            "include.schema.changes": "false", "database.ssl.mode": "disabled",
            "table.include.list": "shop\\..*",
            "column.exclude.list": "shop.people.price",
            "column.mask.with.4.chars": "shop.people.secret,shop.people.price2,shop.people.nul",
            "column.truncate.to.3.chars": "shop.people.(note|name2|code)",
            "column.propagate.source.type": "shop\\.people\\.(name|id)",
            "datatype.propagate.source.type": ".+\\.DECIMAL,.+\\.INT UNSIGNED",
            "column.mask.hash.SHA-256.with.salt.CzQMA0cB5K": "shop.events.b",
            "column.mask.hash.v2.MD5.with.salt.s4lt": "shop.events.d",
            "column.truncate.to.2.chars": "shop.bin.*",
            "message.key.columns": "shop.events:a,b;shop.keyed:tag",
            "transforms": "route",
            "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "cdc\\.(.*)", "transforms.route.replacement": side + ".$1"}

DDL = ("CREATE DATABASE shop;"
       "CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), secret VARCHAR(40) NOT NULL,"
       " note TEXT, price DECIMAL(7,2), price2 DECIMAL(7,2), code CHAR(3), name2 VARCHAR(10), nul VARCHAR(5));"
       "CREATE TABLE shop.events (a INT, b VARCHAR(5) NOT NULL, c INT, d TEXT);"
       "CREATE TABLE shop.keyed (id INT PRIMARY KEY, tag VARCHAR(5), amount DECIMAL(6,3), u INT UNSIGNED);"
       "CREATE TABLE shop.bin (id INT PRIMARY KEY, v VARBINARY(10), d DECIMAL(20,2), bits BIT(32), t TIME);"
       "INSERT INTO shop.people VALUES (1, 'annabel', 'pw1', 'london calling', 9.50, 1.25, 'abc', 'h\u00e9llo w', NULL);"
       "INSERT INTO shop.events VALUES (1, 'x', 10, 'd\u00e9j\u00e0 vu'), (2, 'yy', 20, NULL);"
       "INSERT INTO shop.keyed VALUES (1, 't1', 1.5, 7);"
       "INSERT INTO shop.bin VALUES (1, 'abcd', 123456789.12, 7, '12:00:00')")
CHANGES = ("INSERT INTO shop.people VALUES (2, 'bo', 'pw2', NULL, 1.00, NULL, 'xyz', NULL, 'n');"
           "UPDATE shop.people SET note = 'paris', secret = 'other' WHERE id = 1;"
           "DELETE FROM shop.people WHERE id = 2;"
           "INSERT INTO shop.events VALUES (3, 'zz', 30, 'z'); DELETE FROM shop.events WHERE a = 1;"
           "INSERT INTO shop.keyed VALUES (2, 't2', NULL, 8); INSERT INTO shop.bin VALUES (2, 'xyzw', 1.5, 1, '01:02:03')")
WANT = {"people": 5, "events": 5, "keyed": 2, "bin": 2}


def main():
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-mysql-cols-sbs."))
    db = MariaDB().start()
    fails = []
    worker = None
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, LOCK TABLES ON *.* TO 'cdc'@'127.0.0.1'")
        db.sql(DDL)
        with KafkaCluster(work_dir=work / "kafka") as kc:
            for side in ("jvm", "sluice"):
                for t in TABLES:
                    kc.create_topic(f"{side}.shop.{t}", partitions=1, replication_factor=1)
            jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                worker_config={**CONV, "offset.flush.interval.ms": 1000})
            jvm.start(timeout=240)
            try:
                jvm.put_connector("m", connector(db, "jvm", 6001, kc))
                jvm.wait_status("m", "RUNNING", timeout=120, tasks=1)
                sdir = work / "sluice"
                sdir.mkdir()
                worker = Standalone(sluice, kc.bootstrap, str(sdir), extra={**CONV, "plugin.path": str(Path(sluice).parent.parent / "plugins-out")})
                code, _, body = worker.rest.request("PUT", "/connectors/m/config", connector(db, "sluice", 6002, kc))
                assert code in (200, 201), body
                wait_for(lambda: all(topic_diff.count_records(kc.bootstrap, f"{s}.shop.{t}") >= 1 for s in ("jvm", "sluice") for t in TABLES), 240, "snapshots")
                time.sleep(5)
                db.sql(CHANGES)
                try:
                    wait_for(lambda: all(topic_diff.count_records(kc.bootstrap, f"{s}.shop.{t}") >= n for s in ("jvm", "sluice") for t, n in WANT.items()), 120, "changes")
                except AssertionError:
                    print({f"{s}.{t}": topic_diff.count_records(kc.bootstrap, f"{s}.shop.{t}") for s in ("jvm", "sluice") for t in WANT})
                    raise
                time.sleep(3)
            finally:
                jvm.stop()
            for t in TABLES:
                res = topic_diff.diff_topics(kc.bootstrap, f"jvm.shop.{t}", f"sluice.shop.{t}", preset="debezium",
                                             ignore=["payload.source.file", "payload.source.pos", "payload.source.gtid", "payload.source.server_id", "payload.source.thread", "payload.source.ts_ms", "payload.source.ts_us", "payload.source.ts_ns", "payload.source.row", "payload.source.snapshot"], topic_names=None)
                print(res.report(show=8), flush=True)
                if not res.equal:
                    fails.append(f"{t}: the topics differ (report above)")
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
    for f in fails:
        print(f"FAIL: {f}", flush=True)
    print(f"mysql_columns_side_by_side_test: {len(fails)} failures")
    if os.environ.get("KEEP_WORK") != "1":
        shutil.rmtree(work, ignore_errors=True)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
