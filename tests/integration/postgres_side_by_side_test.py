#!/usr/bin/env python3
"""Side by side: Debezium 2.7's PostgreSQL connector on Kafka Connect's JVM worker and Sluice's,
on the same database changes, into one real Kafka (tests/support/kafka_cluster.py).

A private PostgreSQL 15 holds a table of many column types (snapshot rows) and tables that
only get streamed changes (inserts, updates, deletes, a primary-key change, REPLICA IDENTITY
FULL, an unchanged TOASTed column, a column added mid-stream). Both connectors use
topic.prefix=cdc (so schema names agree), their own slots on one publication, JsonConverter
with schemas.enable=true; a RegexRouter sends the JVM's topics to jvm.* and Sluice's to
sluice.*. tests/support/topic_diff.py then compares every topic pair, key and value, with the
debezium preset (processing times and the version string may differ). Snapshot events also
differ, legitimately, in source.lsn / txId / sequence (each connector's own slot and snapshot
transaction) and are compared without those. The server runs with TimeZone=America/New_York
and DateStyle='SQL, DMY', so session settings matter.

usage: postgres_side_by_side_test.py SLUICE_BINARY     (KEEP_WORK=1 keeps the files)
"""
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from postgres import Postgres  # noqa: E402
from sluice_process import Standalone, wait_for  # noqa: E402
import topic_diff  # noqa: E402

SNAPSHOT_TABLES = ["types"]
STREAM_TABLES = ["stream_default", "stream_full", "stream_types"]
CONVERTERS = {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter.schemas.enable": "true",
}

TYPES_DDL = """
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
  CREATE TABLE {name} (
    id serial PRIMARY KEY, c_int2 smallint, c_int4 integer NOT NULL DEFAULT 42, c_int8 bigint,
    c_num numeric(10,2), c_num_free numeric, c_real real, c_float8 double precision,
    c_bool boolean, c_char char(3), c_varchar varchar(20), c_text text, c_bytea bytea,
    c_date date, c_time time, c_time3 time(3), c_timetz timetz, c_ts timestamp,
    c_ts3 timestamp(3), c_tstz timestamptz, c_interval interval, c_uuid uuid, c_json json,
    c_jsonb jsonb, c_xml xml, c_int_arr int[], c_text_arr text[], c_inet inet, c_cidr cidr,
    c_macaddr macaddr, c_range int4range, c_point point, c_bit bit(4), c_varbit varbit(8),
    c_money money, c_enum mood, c_domain posint, c_oid oid);
"""
TYPES_ROW = """(
    1, 2, 3, 1234.56, 3.14159265358979, 1.5, 2.25, true, 'ab', 'vc', 'text ü', '\\xdeadbeef',
    '2024-06-10', '13:14:15.123456', '13:14:15.123', '13:14:15+02', '2024-06-10 13:14:15.654321',
    '2024-06-10 13:14:15.654', '2024-06-10 13:14:15.123456+02', '1 year 2 mons 3 days 04:05:06.5',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{{"a": 1}}', '{{"b": [1, 2]}}', '<x>1</x>',
    '{{1,2,3}}', '{{"a","b"}}', '192.168.0.1', '10.0.0.0/8', '08:00:2b:01:02:03', '[1,10)',
    '(1.5,2.5)', B'1010', B'101', 12.34, 'happy', 7, 99)"""
TYPES_COLS = ("c_int2, c_int4, c_int8, c_num, c_num_free, c_real, c_float8, c_bool, c_char, "
              "c_varchar, c_text, c_bytea, c_date, c_time, c_time3, c_timetz, c_ts, c_ts3, c_tstz, "
              "c_interval, c_uuid, c_json, c_jsonb, c_xml, c_int_arr, c_text_arr, c_inet, c_cidr, "
              "c_macaddr, c_range, c_point, c_bit, c_varbit, c_money, c_enum, c_domain, c_oid")


def log(msg):
    print(f"-- {msg}", flush=True)


def connector(pg, slot, route_to):
    return {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password,
        "database.dbname": pg.dbname, "topic.prefix": "cdc", "plugin.name": "pgoutput",
        "publication.name": "dbz_publication", "publication.autocreate.mode": "disabled",
        "slot.name": slot, "table.include.list": "public\\..*",
        "transforms": "route",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": "cdc\\.(.*)", "transforms.route.replacement": route_to + ".$1",
    }


def setup(pg):
    pg.sql(TYPES_DDL.format(name="types"))
    pg.sql(f"CREATE TABLE stream_types (LIKE types INCLUDING DEFAULTS INCLUDING CONSTRAINTS); "
           f"ALTER TABLE stream_types ADD PRIMARY KEY (id)")
    pg.sql(f"INSERT INTO types ({TYPES_COLS}) VALUES {TYPES_ROW.format()}; "
           f"INSERT INTO types ({TYPES_COLS}) SELECT NULL, 5, NULL, NULL, NULL, NULL, NULL, NULL, "
           f"NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
           f"NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL")
    pg.sql("""
      CREATE TABLE stream_default (id int PRIMARY KEY, name text NOT NULL, n int, big text);
      CREATE TABLE stream_full (id int PRIMARY KEY, name text, n int);
      ALTER TABLE stream_full REPLICA IDENTITY FULL;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
      CREATE PUBLICATION dbz_publication FOR ALL TABLES;
    """)


def changes(pg):
    pg.sql(f"INSERT INTO stream_types ({TYPES_COLS}) VALUES {TYPES_ROW.format()}")
    pg.sql("UPDATE stream_types SET c_text = 'changed', c_num = -0.01 WHERE c_int2 = 1")
    pg.sql("""
      INSERT INTO stream_default VALUES (1, 'a', 1, NULL), (2, 'b', 2, NULL), (3, 'c', 3, NULL);
      UPDATE stream_default SET n = 20 WHERE id = 2;
      DELETE FROM stream_default WHERE id = 3;
      UPDATE stream_default SET id = 10 WHERE id = 1;
      INSERT INTO stream_full VALUES (1, 'x', 1), (2, 'y', 2);
      UPDATE stream_full SET n = 5 WHERE id = 1;
      DELETE FROM stream_full WHERE id = 2;
    """)
    pg.sql("BEGIN; INSERT INTO stream_default SELECT 100, 'toast', 0, string_agg(md5(g::text), '') "
           "FROM generate_series(1, 3000) g; UPDATE stream_default SET n = 1 WHERE id = 100; COMMIT")
    pg.sql("UPDATE stream_default SET n = 2 WHERE id = 100")
    pg.sql("ALTER TABLE stream_full ADD COLUMN extra text DEFAULT 'd'; "
           "INSERT INTO stream_full VALUES (3, 'z', 3, 'e')")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-pg-sbs."))
    failures = []
    t0 = time.monotonic()
    # Non-default server formats: both connectors must set their sessions' own.
    pg = Postgres(config={"timezone": "'America/New_York'", "datestyle": "'SQL, DMY'"})
    worker = None
    try:
        pg.start()
        setup(pg)
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"Kafka at {kc.bootstrap}, PostgreSQL on port {pg.port}")
            for side in ("jvm", "sluice"):
                for t in SNAPSHOT_TABLES + STREAM_TABLES:
                    kc.create_topic(f"{side}.public.{t}", partitions=1, replication_factor=1)
            jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                worker_config={**CONVERTERS, "offset.flush.interval.ms": 1000})
            jvm.start(timeout=180)
            try:
                jvm.put_connector("pg", connector(pg, "jvm_slot", "jvm"))
                jvm.wait_status("pg", "RUNNING", timeout=120, tasks=1)
                sdir = work / "sluice"
                sdir.mkdir()
                worker = Standalone(sluice, kc.bootstrap, str(sdir), extra={
                    **CONVERTERS, "plugin.path": str(Path(sluice).parent.parent / "plugins-out")})
                code, _, body = worker.rest.request("PUT", "/connectors/pg/config",
                                                    connector(pg, "sluice_slot", "sluice"))
                if code not in (200, 201):
                    raise AssertionError(f"Sluice refused the connector: {code} {body}")

                def snapshots_done():
                    return all(topic_diff.count_records(kc.bootstrap, f"{s}.public.types") >= 2
                               for s in ("jvm", "sluice"))
                wait_for(snapshots_done, 180, "both snapshots")
                # Debezium starts streaming a little after its snapshot: wait for both slots.
                wait_for(lambda: all((pg.slot(s) or (0, False))[1] for s in ("jvm_slot", "sluice_slot")),
                         120, "both slots streaming")
                time.sleep(2)
                changes(pg)
                want = {"stream_types": 2, "stream_default": 12, "stream_full": 6}

                def all_there():
                    return all(topic_diff.count_records(kc.bootstrap, f"{s}.public.{t}") >= n
                               for s in ("jvm", "sluice") for t, n in want.items())
                try:
                    wait_for(all_there, 120, "every change on both sides")
                except AssertionError:
                    log("records: " + ", ".join(
                        f"{s}.{t}={topic_diff.count_records(kc.bootstrap, f'{s}.public.{t}')}"
                        for s in ("jvm", "sluice") for t in want))
                    raise
                time.sleep(3)
            finally:
                jvm.stop()
            for t in SNAPSHOT_TABLES + STREAM_TABLES:
                ignore = ["payload.source.lsn", "payload.source.txId", "payload.source.sequence"] \
                    if t in SNAPSHOT_TABLES else []
                res = topic_diff.diff_topics(kc.bootstrap, f"jvm.public.{t}", f"sluice.public.{t}",
                                             preset="debezium", ignore=ignore, topic_names=None)
                print(res.report(show=5), flush=True)
                if not res.equal:
                    failures.append(f"{t}: the topics differ (report above)")
                else:
                    log(f"{t}: equal")
    except AssertionError as e:
        failures.append(str(e))
        if worker:
            print("\n".join(worker.log_text().splitlines()[-20:]))
    finally:
        if worker:
            try:
                worker.stop()
            except Exception:  # noqa: BLE001
                worker.proc.kill()
        pg.stop()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f"FAIL: {f}", flush=True)
    print(f"postgres_side_by_side_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
