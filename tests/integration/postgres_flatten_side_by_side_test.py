#!/usr/bin/env python3
"""Side by side, flattened: the users' registration chain (Debezium's ExtractNewRecordState after
the PostgreSQL connector) on Debezium 2.7.4 on Kafka Connect's JVM worker and on Sluice, on the
same database changes, into one real Kafka (tests/support/kafka_cluster.py).

(a) The registration JSON of issue 8 as the users send it (add.fields=op,ts_ms,source,
    delete.handling.mode=rewrite): Sluice gets it unchanged (POST /connectors, real password,
    database.server.name), the JVM the same config with topic.prefix=cdc-server in place of
    database.server.name (2.x rejects the old name) and its own slot (both run at once). Both
    tasks must end FAILED with the same reason, "Struct schemas do not match" (unwrap copies the
    envelope's source struct under a field-less schema), and neither writes a record.
(b) Working variants of the chain, every one on both sides at once (each connector its own slot
    on the users' publication; a RegexRouter after unwrap sends the JVM's topics to jvm.<v>.* and
    Sluice's to sluice.<v>.*):
      v1s / v1n  add.fields=op,ts_ms,table, delete.handling.mode=rewrite
      v2s / v2n  add.fields=op,source.ts_ms,source.lsn,source.txId, add.headers=op,db,
                 delete.handling.mode=rewrite, drop.tombstones=false
    with JsonConverter schemas.enable=true (…s) and false (…n). The changes: snapshot rows,
    inserts, updates, deletes (rewritten, and tombstones in v2), a primary-key change, a column
    added mid-stream, a few types (numeric, bool, timestamptz, date, jsonb, uuid, float8).
    tests/support/topic_diff.py compares every topic pair: keys, values and headers. Allowed to
    differ: __ts_ms (the connector's processing time) everywhere, and in snapshot records (__op r)
    __source_ts_ms / __source_lsn / __source_txId (each connector's own snapshot transaction and
    slot), as postgres_side_by_side_test.py does for the envelope.

usage: postgres_flatten_side_by_side_test.py SLUICE_BINARY     (KEEP_WORK=1 keeps the files)
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

TABLES = ["users", "products", "orders"]
JSON = "org.apache.kafka.connect.json.JsonConverter"
REGISTRATION = """{"name": "postgres-connector", "config": {"connector.class": "io.debezium.connector.postgresql.PostgresConnector",
 "database.hostname": "127.0.0.1", "database.port": "PORT", "database.user": "debezium", "database.password": "PASSWORD",
 "database.dbname": "cdc_demo", "database.server.name": "cdc-server", "table.include.list": "public.users,public.products,public.orders",
 "plugin.name": "pgoutput", "publication.name": "dbz_publication", "slot.name": "debezium_slot",
 "transforms": "unwrap", "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
 "transforms.unwrap.add.fields": "op,ts_ms,source", "transforms.unwrap.delete.handling.mode": "rewrite",
 "heartbeat.interval.ms": "10000"}}"""
V1 = {"transforms.unwrap.add.fields": "op,ts_ms,table"}
V2 = {"transforms.unwrap.add.fields": "op,source.ts_ms,source.lsn,source.txId",
      "transforms.unwrap.add.headers": "op,db", "transforms.unwrap.drop.tombstones": "false"}
VARIANTS = {"v1s": (V1, True), "v1n": (V1, False), "v2s": (V2, True), "v2n": (V2, False)}
IGNORE_ALWAYS = ["payload.__ts_ms"]
IGNORE_SNAPSHOT = ["payload.__source_ts_ms", "payload.__source_lsn", "payload.__source_txId"]


def log(msg):
    print(f"-- {msg}", flush=True)


def registration(pg):
    return REGISTRATION.replace("PORT", str(pg.port)).replace("PASSWORD", pg.password)


def variant_config(pg, side, name):
    extra, schemas = VARIANTS[name]
    cfg = json.loads(registration(pg))["config"]
    del cfg["database.server.name"]
    cfg.update({"topic.prefix": "cdc-server", "slot.name": f"{side}_{name}",
                "transforms": "unwrap,route",
                "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
                "transforms.route.regex": "cdc-server\\.(.*)",
                "transforms.route.replacement": f"{side}.{name}.$1",
                "key.converter": JSON, "value.converter": JSON,
                "key.converter.schemas.enable": str(schemas).lower(),
                "value.converter.schemas.enable": str(schemas).lower()})
    cfg.update(extra)
    return cfg


def setup(pg):
    pg.sql("""
      CREATE TABLE users (id serial PRIMARY KEY, name varchar(100) NOT NULL, email text);
      CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2),
                             in_stock boolean);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id int NOT NULL, product_id int NOT NULL,
                           qty smallint NOT NULL, note text, placed timestamptz, day date,
                           meta jsonb, ref uuid, amount double precision);
      INSERT INTO users (name, email) VALUES ('alice', 'a@x.io'), ('bob', NULL);
      INSERT INTO products VALUES (1, 'Widget', 19.99, true), (2, 'Gadget', NULL, false);
      INSERT INTO orders VALUES (1, 1, 1, 3, 'first', '2024-06-10 13:14:15.123456+02', '2024-06-10',
                                 '{"a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 2.5);
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
      CREATE PUBLICATION dbz_publication FOR TABLE users, products, orders;
    """)


def changes(pg):
    pg.sql("INSERT INTO users (name, email) VALUES ('carol', 'c@x.io')")
    pg.sql("UPDATE users SET email = 'b@x.io' WHERE name = 'bob'")
    pg.sql("UPDATE users SET id = 10 WHERE id = 1")                 # a primary-key change
    pg.sql("DELETE FROM users WHERE name = 'bob'")
    pg.sql("""
      INSERT INTO products VALUES (3, 'Gizmo', 5.00, true);
      UPDATE products SET price = 21.50 WHERE id = 1;
      DELETE FROM products WHERE id = 2;
      BEGIN;
      INSERT INTO orders VALUES (2, 3, 3, 1, NULL, '1999-12-31 23:59:59.999999+00', '1970-01-01',
                                 '{"k": "v"}', NULL, -0.125);
      INSERT INTO orders VALUES (3, 3, 1, 7, 'ü', NULL, NULL, 'null', gen_random_uuid(), 1e300);
      UPDATE orders SET qty = 4, note = 'changed' WHERE id = 1;
      COMMIT;
      DELETE FROM orders WHERE id = 2;
    """)
    pg.sql("ALTER TABLE products ADD COLUMN category text DEFAULT 'misc'; "
           "INSERT INTO products VALUES (4, 'Doohickey', 1.10, NULL, 'tools'); "
           "UPDATE products SET category = 'toys' WHERE id = 3; DELETE FROM products WHERE id = 4")


def split(parts):
    """(snapshot records, the others) of {partition: [record]}: snapshot = flattened __op r."""
    snap, rest = {}, {}
    for p, recs in parts.items():
        for r in recs:
            v = r["value"]
            flat = v.get("payload") if isinstance(v, dict) and "schema" in v else v
            is_snap = isinstance(flat, dict) and flat.get("__op") == "r"
            (snap if is_snap else rest).setdefault(p, []).append(r)
    return snap, rest


def task_state(get):
    code, st = get()
    if code != 200 or not isinstance(st, dict) or not st.get("tasks"):
        return None, ""
    return st["tasks"][0]["state"], st["tasks"][0].get("trace") or ""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-pg-flat."))
    failures = []
    t0 = time.monotonic()

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what, flush=True)
        if not cond:
            failures.append(what)

    pg = Postgres(config={"timezone": "'America/New_York'", "datestyle": "'SQL, DMY'",
                          "max_replication_slots": "16", "max_wal_senders": "16"})
    worker = None
    try:
        pg.start()
        setup(pg)
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"Kafka at {kc.bootstrap}, PostgreSQL on port {pg.port}")
            # Distributed: Kafka 3.9.2's standalone herder never answers a PUT of a connector
            # with Debezium's ExtractNewRecordState (the connector runs with no task, the request
            # times out after 90 s; seen here), while the distributed herder runs it.
            jvm = ConnectWorker("distributed", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                heap="-Xmx768m",
                                worker_config={"offset.flush.interval.ms": 1000})
            jvm.start(timeout=180)
            jvm.timeout = 180  # a PUT answers once the connector started; slow on a loaded machine
            try:
                sdir = work / "sluice"
                sdir.mkdir()
                worker = Standalone(sluice, kc.bootstrap, str(sdir), extra={
                    "key.converter.schemas.enable": "true", "value.converter.schemas.enable": "true"})
                log(f"JVM worker up in {jvm.startup_seconds:.1f}s, Sluice in {worker.startup_seconds:.1f}s")

                # (a) the registration chain exactly as the users send it.
                reg = json.loads(registration(pg))["config"]
                jcfg = dict(reg)
                del jcfg["database.server.name"]
                jcfg.update({"topic.prefix": "cdc-server", "slot.name": "debezium_slot_jvm"})
                jvm.put_connector("postgres-connector", jcfg)
                code, _, body = worker.rest.request("POST", "/connectors", raw=registration(pg))
                check(code == 201, f"Sluice accepts the registration JSON unchanged: {code}")
                sides = {"jvm": lambda: jvm.request("GET", "/connectors/postgres-connector/status"),
                         "sluice": lambda: (lambda r: (r[0], r[2]))(
                             worker.rest.get("/connectors/postgres-connector/status"))}
                for side, get in sides.items():
                    try:
                        wait_for(lambda: task_state(get)[0] == "FAILED", 120, f"the {side} task to fail")
                    except AssertionError:
                        pass
                    state, trace = task_state(get)
                    reason = next((ln.strip() for ln in trace.splitlines()
                                   if "Struct schemas do not match" in ln), trace[:200])
                    log(f"{side}: {state}: {reason}")
                    check(state == "FAILED" and "Struct schemas do not match" in trace and trace.startswith(
                          "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler"),
                          f"(a) {side}: the registration chain (add.fields=op,ts_ms,source) FAILED with "
                          f"ConnectException 'Tolerance exceeded in error handler' caused by 'Struct schemas do "
                          f"not match'")
                log(f"(a) done at {time.monotonic() - t0:.0f}s")
                written = {t: topic_diff.count_records(kc.bootstrap, f"cdc-server.public.{t}") for t in TABLES}
                check(not any(written.values()), f"(a) neither wrote a record: {written}")
                jvm.delete_connector("postgres-connector")
                worker.rest.request("DELETE", "/connectors/postgres-connector")

                # (b) the working variants, all at once on both sides.
                for name in VARIANTS:
                    # The four share topic.prefix, hence Debezium's JMX names: without a distinct
                    # tag three of them retry registering their MBeans for about a minute.
                    jvm.put_connector(name, {**variant_config(pg, "jvm", name),
                                             "custom.metric.tags": f"variant={name}"})
                    code, _, body = worker.rest.request("PUT", f"/connectors/{name}/config",
                                                        variant_config(pg, "sluice", name))
                    if code not in (200, 201):
                        raise AssertionError(f"Sluice refused {name}: {code} {body}")
                for name in VARIANTS:
                    jvm.wait_status(name, "RUNNING", timeout=120, tasks=1)
                log(f"(b) every JVM task RUNNING at {time.monotonic() - t0:.0f}s")
                want_snap = {"users": 2, "products": 2, "orders": 1}

                def snapshots_done():
                    # CREATE_REPLICATION_SLOT waits for a running-transactions record in the WAL to
                    # see the others' snapshot transactions end; a checkpoint writes one at once
                    # (else the background writer does, every 15 s).
                    pg.sql("CHECKPOINT")
                    return all(topic_diff.count_records(kc.bootstrap, f"{s}.{v}.public.{t}") >= n
                               for s in ("jvm", "sluice") for v in VARIANTS for t, n in want_snap.items())
                wait_for(snapshots_done, 180, "every snapshot on both sides")
                slots = [f"{s}_{v}" for s in ("jvm", "sluice") for v in VARIANTS]
                wait_for(lambda: pg.sql("CHECKPOINT") or all((pg.slot(s) or (0, False))[1] for s in slots), 120,
                         "every slot streaming")
                time.sleep(2)
                log(f"snapshots done at {time.monotonic() - t0:.0f}s; making the changes")
                changes(pg)

                def counts():
                    return {(s, v, t): topic_diff.count_records(kc.bootstrap, f"{s}.{v}.public.{t}")
                            for s in ("jvm", "sluice") for v in VARIANTS for t in TABLES}
                # Expected streamed records (v1 drops tombstones; v2 keeps them):
                want = {"users": (2 + 5, 2 + 7), "products": (2 + 6, 2 + 8), "orders": (1 + 4, 1 + 5)}

                def all_there():
                    c = counts()
                    return all(c[(s, v, t)] >= want[t][0 if v.startswith("v1") else 1]
                               for s in ("jvm", "sluice") for v in VARIANTS for t in TABLES)
                try:
                    wait_for(all_there, 120, "every change on both sides")
                except AssertionError as e:
                    check(False, str(e))
                time.sleep(3)
                log("records: " + ", ".join(f"{s}.{v}.{t}={n}" for (s, v, t), n in sorted(counts().items())))
            finally:
                jvm.stop()
            for v in VARIANTS:
                for t in TABLES:
                    a, b = f"jvm.{v}.public.{t}", f"sluice.{v}.public.{t}"
                    snap_a, rest_a = split(topic_diff.read_topic(kc.bootstrap, a))
                    snap_b, rest_b = split(topic_diff.read_topic(kc.bootstrap, b))
                    for what, pa, pb, ignore in (
                            ("snapshot", snap_a, snap_b, IGNORE_ALWAYS + IGNORE_SNAPSHOT),
                            ("streamed", rest_a, rest_b, IGNORE_ALWAYS)):
                        res = topic_diff.compare(pa, pb, name_a=a, name_b=b, ignore=ignore)
                        n = sum(len(x) for x in pa.values())
                        hdrs = sorted({h[0] for recs in pa.values() for r in recs for h in r["headers"]})
                        if not res.equal:
                            print(res.report(show=5), flush=True)
                        check(res.equal and n > 0,
                              f"{v} {t} {what}: {n} records, keys, values and headers {hdrs} "
                              + ("equal" if res.equal else "DIFFER (report above)"))
                    if v.startswith("v2"):
                        recs_b = [r for recs in rest_b.values() for r in recs if r["value"] is not None]
                        ok = bool(recs_b)
                        for r in recs_b:
                            flat = r["value"].get("payload") if "schema" in r["value"] else r["value"]
                            h = [x for x in r["headers"] if not x[0].startswith("__debezium.")]
                            ok = ok and h == [["__op", flat["__op"]], ["__db", "cdc_demo"]]
                        check(ok, f"{v} {t}: add.headers=op,db gives every Sluice record __op (its op) "
                                  f"and __db headers")
                        tomb = sum(1 for recs in rest_a.values() for r in recs if r["value"] is None)
                        check(tomb > 0, f"{v} {t}: tombstones kept (drop.tombstones=false): {tomb}")
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
    print(f"postgres_flatten_side_by_side_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
