#!/usr/bin/env python3
"""The PostgreSQL connector end to end: a private PostgreSQL 15 (tests/support/postgres.py),
`sluice dev-kafka` and `sluice standalone` with the sluice-postgres plugin, driven over REST.

Checks: the snapshot and streamed create/update/delete/tombstone events with Debezium's exact
envelope (key and value schemas with schemas.enable=true, payloads), REPLICA IDENTITY FULL,
the users' registration JSON (database.server.name alias, the unwrap chain with
delete.handling.mode=rewrite), a SIGTERM restart and a SIGKILL mid-stream with nothing lost,
the slot's confirmed_flush_lsn never ahead of the stored offset, and a dropped slot -> FAILED
with a message that says how to recover.

usage: postgres_connector_test.py SLUICE_BINARY"""
import base64
import json
import os
import re
import shutil
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from checks import check, failures, records, task_state  # noqa: E402
from postgres import Postgres  # noqa: E402
from sluice_process import DevKafka, Standalone, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
TABLES = ["users", "products", "orders"]


def ordered(text):
    """JSON with object key order kept (lists of pairs), so comparisons check field order."""
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


SOURCE_SCHEMA = ordered("""{"type":"struct","fields":[
{"type":"string","optional":false,"field":"version"},
{"type":"string","optional":false,"field":"connector"},
{"type":"string","optional":false,"field":"name"},
{"type":"int64","optional":false,"field":"ts_ms"},
{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"},
{"type":"string","optional":false,"field":"db"},
{"type":"string","optional":true,"field":"sequence"},
{"type":"int64","optional":true,"field":"ts_us"},
{"type":"int64","optional":true,"field":"ts_ns"},
{"type":"string","optional":false,"field":"schema"},
{"type":"string","optional":false,"field":"table"},
{"type":"int64","optional":true,"field":"txId"},
{"type":"int64","optional":true,"field":"lsn"},
{"type":"int64","optional":true,"field":"xmin"}],
"optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source"}""")


def products_envelope_schema(prefix):
    row = f"""{{"type":"struct","fields":[
{{"type":"int32","optional":false,"field":"id"}},
{{"type":"string","optional":false,"field":"name"}},
{{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{{"scale":"2","connect.decimal.precision":"10"}},"field":"price"}},
{{"type":"boolean","optional":true,"field":"in_stock"}}],
"optional":true,"name":"{prefix}.public.products.Value","field":"%s"}}"""
    text = f"""{{"type":"struct","fields":[{row % "before"},{row % "after"},{json.dumps(
        dict_from(SOURCE_SCHEMA))},
{{"type":"struct","fields":[{{"type":"string","optional":false,"field":"id"}},
{{"type":"int64","optional":false,"field":"total_order"}},
{{"type":"int64","optional":false,"field":"data_collection_order"}}],
"optional":true,"name":"event.block","version":1,"field":"transaction"}},
{{"type":"string","optional":false,"field":"op"}},
{{"type":"int64","optional":true,"field":"ts_ms"}},
{{"type":"int64","optional":true,"field":"ts_us"}},
{{"type":"int64","optional":true,"field":"ts_ns"}}],
"optional":false,"name":"{prefix}.public.products.Envelope","version":2}}"""
    return ordered(text)


def dict_from(pairs):
    """Back from lists of pairs to dicts (order kept by Python dicts) for json.dumps."""
    if isinstance(pairs, list) and all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        return {k: dict_from(v) for k, v in pairs}
    if isinstance(pairs, list):
        return [dict_from(v) for v in pairs]
    return pairs


def setup_database(pg):
    pg.sql("""
      CREATE TABLE users (id serial PRIMARY KEY, name varchar(100) NOT NULL, email text);
      CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2),
                             in_stock boolean);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id int NOT NULL, product_id int NOT NULL,
                           qty smallint NOT NULL, note text);
      CREATE TABLE ignored (id int PRIMARY KEY);
      INSERT INTO users (name, email) VALUES ('alice', 'a@x.io'), ('bob', NULL);
      INSERT INTO products VALUES (1, 'Widget', 19.99, true), (2, 'Gadget', NULL, false);
      INSERT INTO orders VALUES (1, 1, 1, 3, 'first');
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
      CREATE PUBLICATION dbz_publication FOR TABLE users, products, orders;
    """)


def raw_config(pg, prefix="raw", slot="raw_slot"):
    return {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password,
        "database.dbname": pg.dbname, "topic.prefix": prefix,
        "table.include.list": "public.users,public.products,public.orders",
        "plugin.name": "pgoutput", "publication.name": "dbz_publication", "slot.name": slot,
        "publication.autocreate.mode": "disabled",
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "true", "value.converter.schemas.enable": "true",
        "status.update.interval.ms": "500",
    }


def user_registration(pg):
    """The users' registration script's body, with a real password in place of ${DB_PASSWORD}."""
    body = """{"name": "postgres-connector", "config": {"connector.class": "io.debezium.connector.postgresql.PostgresConnector",
 "database.hostname": "127.0.0.1", "database.port": "PORT", "database.user": "debezium", "database.password": "PASSWORD",
 "database.dbname": "cdc_demo", "database.server.name": "cdc-server", "table.include.list": "public.users,public.products,public.orders",
 "plugin.name": "pgoutput", "publication.name": "dbz_publication", "slot.name": "debezium_slot",
 "transforms": "unwrap", "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
 "transforms.unwrap.add.fields": "op,ts_ms,source", "transforms.unwrap.delete.handling.mode": "rewrite",
 "heartbeat.interval.ms": "10000"}}"""
    return body.replace("PORT", str(pg.port)).replace("PASSWORD", pg.password)


def stored_offset(offsets_file, connector):
    """The JSON offset stored for a connector (the Java-serialized file holds the JSON bytes)."""
    try:
        data = open(offsets_file, "rb").read()
    except OSError:
        return None
    key = json.dumps([connector, {"server": "raw"}], separators=(",", ":")).encode()
    at = data.rfind(key)
    if at < 0:
        return None
    m = re.compile(rb"\{[^{}]*\}").search(data, at + len(key))
    return json.loads(m.group(0)) if m else None


class FlushWatch(threading.Thread):
    """Samples the slot's confirmed_flush_lsn, then the stored offset: the first must never be
    ahead of the stored lsn_commit (lsn_proc before the first commit; the slot's starting point
    before any offset)."""

    def __init__(self, pg, slot, offsets_file, connector):
        super().__init__(daemon=True)
        self.pg, self.slot, self.file, self.connector = pg, slot, offsets_file, connector
        self.stop_flag = False
        self.violations = []
        self.samples = 0
        self.moved = False
        self.start_lsn = None

    def run(self):
        while not self.stop_flag:
            try:
                s = self.pg.slot(self.slot)
            except Exception:  # noqa: BLE001 - the server may be busy; sample again
                s = None
            off = stored_offset(self.file, self.connector)
            if s and s[0] is not None:
                if self.start_lsn is None:
                    self.start_lsn = s[0]
                # What may be confirmed: lsn_commit, else lsn_proc (Debezium's rule).
                off = off or {}
                allowed = max(self.start_lsn, off.get("lsn_commit", off.get("lsn_proc", 0)))
                if s[0] > allowed:
                    self.violations.append((s[0], off))
                if s[0] > self.start_lsn:
                    self.moved = True
                self.samples += 1
            time.sleep(0.1)


def main():
    t0 = time.monotonic()
    work = temp_dir()
    pg = Postgres()
    pg.start()
    topics = [f"{p}.public.{t}:1" for p in ("raw", "cdc-server") for t in TABLES]
    kafka = DevKafka(SLUICE, topics + ["__debezium-heartbeat.cdc-server:1"])
    worker = None
    try:
        setup_database(pg)
        offsets_file = os.path.join(work, "offsets")
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest

        # -- the enveloped connector ---------------------------------------------------------
        code, _, body = rest.request("PUT", "/connectors/pg-raw/config", raw_config(pg))
        check(code in (200, 201), f"PUT pg-raw config answered {code} {body}")
        wait_for(lambda: len(records(kafka.bootstrap, "raw.public.products")) >= 2, 60,
                 "the products snapshot")
        watch = FlushWatch(pg, "raw_slot", offsets_file, "pg-raw")
        watch.start()

        prod = records(kafka.bootstrap, "raw.public.products")
        key, value = prod[0]
        k = ordered(key)
        check(k == ordered('{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,'
                           '"field":"id"}],"optional":false,"name":"raw.public.products.Key"},'
                           '"payload":{"id":1}}'), f"snapshot key with its schema: {key}")
        v = json.loads(value)
        check(ordered(json.dumps(v["schema"])) == products_envelope_schema("raw"),
              "envelope schema (Debezium 2.7 layout, Source block, Decimal price)")
        p = v["payload"]
        check(list(p) == ["before", "after", "source", "transaction", "op", "ts_ms", "ts_us",
                          "ts_ns"], f"envelope field order {list(p)}")
        check(p["before"] is None and p["op"] == "r" and p["transaction"] is None,
              "snapshot event: op r, before null")
        check(p["after"] == {"id": 1, "name": "Widget",
                             "price": base64.b64encode((1999).to_bytes(2, "big")).decode(),
                             "in_stock": True}, f"snapshot row {p['after']}")
        src = p["source"]
        check(src["version"] == "2.7.3.Final" and src["connector"] == "postgresql" and
              src["name"] == "raw" and src["db"] == "cdc_demo" and src["schema"] == "public" and
              src["table"] == "products" and src["xmin"] is None and
              isinstance(src["txId"], int) and isinstance(src["lsn"], int),
              f"snapshot source block {src}")
        check(src["sequence"] == json.dumps([None, str(src["lsn"])], separators=(",", ":")),
              f"snapshot sequence {src['sequence']}")
        check(src["ts_us"] // 1000 == src["ts_ms"] and src["ts_ns"] == src["ts_us"] * 1000,
              "source ts_ms/ts_us/ts_ns agree")
        markers = []
        for t in ("orders", "products", "users"):  # snapshot order: by schema, then name
            markers += [json.loads(v)["payload"]["source"]["snapshot"]
                        for _, v in records(kafka.bootstrap, f"raw.public.{t}")]
        check(markers == ["first", "first_in_data_collection", "last_in_data_collection",
                          "first_in_data_collection", "last"], f"snapshot markers {markers}")

        # -- streaming ---------------------------------------------------------------------
        pg.sql("INSERT INTO products VALUES (3, 'Gizmo', 5.00, true)")
        pg.sql("UPDATE products SET price = 21.50 WHERE id = 1")
        pg.sql("DELETE FROM products WHERE id = 2")
        pg.sql("ALTER TABLE orders REPLICA IDENTITY FULL; UPDATE orders SET qty = 4 WHERE id = 1")
        pg.sql("UPDATE users SET id = 10 WHERE id = 2")  # a primary-key change
        wait_for(lambda: len(records(kafka.bootstrap, "raw.public.products")) >= 6, 30,
                 "the streamed product changes")
        prod = records(kafka.bootstrap, "raw.public.products")
        ops = [(json.loads(k)["payload"]["id"], json.loads(v)["payload"]["op"] if v else None)
               for k, v in prod]
        check(ops == [(1, "r"), (2, "r"), (3, "c"), (1, "u"), (2, "d"), (2, None)],
              f"products: snapshot, create, update, delete, tombstone: {ops}")
        c = json.loads(prod[2][1])["payload"]
        check(c["source"]["snapshot"] == "false" and c["source"]["txId"] > 0 and
              c["source"]["lsn"] > src["lsn"], f"streamed source block {c['source']}")
        seq = json.loads(c["source"]["sequence"])
        check(len(seq) == 2 and seq[1] == str(c["source"]["lsn"]), f"sequence {seq}")
        u = json.loads(prod[3][1])["payload"]
        check(u["before"] is None and u["after"]["price"] ==
              base64.b64encode((2150).to_bytes(2, "big")).decode(),
              f"update with REPLICA IDENTITY DEFAULT: before null, new price {u}")
        d = json.loads(prod[4][1])["payload"]
        check(d["before"] == {"id": 2, "name": "", "price": None, "in_stock": None} and
              d["after"] is None, f"delete: key columns and fallbacks in before {d['before']}")
        # Another topic: its event may land after the products' ones.
        wait_for(lambda: json.loads(records(kafka.bootstrap, "raw.public.orders")[-1][1])["payload"]["op"] == "u",
                 30, "the orders update")
        orders = records(kafka.bootstrap, "raw.public.orders")
        o = json.loads(orders[-1][1])["payload"]
        check(o["op"] == "u" and o["before"] == {"id": 1, "user_id": 1, "product_id": 1, "qty": 3,
                                                 "note": "first"} and o["after"]["qty"] == 4,
              f"REPLICA IDENTITY FULL update has the whole old row: {o['before']}")
        wait_for(lambda: len(records(kafka.bootstrap, "raw.public.users")) >= 5, 30,
                 "the primary-key change")
        users = records(kafka.bootstrap, "raw.public.users")
        uops = [(json.loads(k)["payload"]["id"], json.loads(v)["payload"]["op"] if v else None)
                for k, v in users]
        check(uops[2:] == [(2, "d"), (2, None), (10, "c")],
              f"primary-key change: delete + tombstone of the old key, create of the new {uops}")

        # -- the users' registration JSON, as their curl script sends it -------------------
        # Its add.fields lists "source", which Debezium 2.7's unwrap (as read from its code, and
        # as plugins/transforms ports it) resolves to the envelope's whole source struct with a
        # field-less copied schema (SchemaUtil.copySchemaBasics), so Struct.put fails with
        # "Struct schemas do not match." on the first record and the task fails. The connector
        # itself (the database.server.name alias, slot, snapshot) works.
        code, _, body = rest.request("POST", "/connectors", raw=user_registration(pg))
        check(code == 201, f"POST of the registration JSON answered {code} {body}")
        wait_for(lambda: task_state(rest, "postgres-connector")[0] == "FAILED", 60,
                 "the unwrap chain to reject add.fields=source")
        check("Struct schemas do not match" in task_state(rest, "postgres-connector")[1],
              "add.fields=source fails in unwrap, as on Debezium 2.7")
        check(pg.slot("debezium_slot") is not None, "the slot debezium_slot was created")
        wlog = worker.log_text()
        check("database.server.name" in wlog and "topic.prefix" in wlog,
              "the database.server.name alias is warned about in the log")
        reg = json.loads(user_registration(pg))
        code, _, val = rest.request("PUT", "/connector-plugins/PostgresConnector/config/validate",
                                    {"name": reg["name"], **reg["config"]})
        names = {c["definition"]["name"]: c for c in (val or {}).get("configs", [])} if code == 200 else {}
        check(code == 200 and val["error_count"] == 0 and
              "topic.prefix" in names.get("database.server.name", {}).get("definition", {})
              .get("documentation", ""), f"validate accepts the alias and says so ({code})")
        rest.request("DELETE", "/connectors/postgres-connector")
        wait_for(lambda: not pg.slot("debezium_slot")[1], 30, "the slot to be released")
        pg.sql("SELECT pg_drop_replication_slot('debezium_slot')")

        # The same registration with add.fields=op,ts_ms,table: flattened rows, rewritten deletes.
        reg = json.loads(user_registration(pg))
        reg["config"]["transforms.unwrap.add.fields"] = "op,ts_ms,table"
        code, _, body = rest.request("POST", "/connectors", reg)
        check(code == 201, f"POST of the registration with add.fields=op,ts_ms,table: {code}")
        wait_for(lambda: len(records(kafka.bootstrap, "cdc-server.public.products")) >= 2, 60,
                 "the unwrapped snapshot")
        pg.sql("DELETE FROM products WHERE id = 3")
        wait_for(lambda: len(records(kafka.bootstrap, "cdc-server.public.products")) >= 3, 30,
                 "the unwrapped delete")
        flat = [json.loads(v) for _, v in records(kafka.bootstrap, "cdc-server.public.products")]
        snap = {r["id"]: r for r in flat if r["__op"] == "r"}
        w = snap.get(1, {})
        check(set(w) == {"id", "name", "price", "in_stock", "__op", "__ts_ms", "__table",
                         "__deleted"} and w["__deleted"] == "false" and w["__table"] == "products"
              and w["name"] == "Widget" and sorted(snap) == [1, 3], f"unwrapped snapshot rows {snap}")
        check(flat[-1]["id"] == 3 and flat[-1]["__op"] == "d" and flat[-1]["__deleted"] == "true"
              and flat[-1]["name"] == "", f"rewritten delete {flat[-1]}")
        check(all(v is not None for _, v in records(kafka.bootstrap, "cdc-server.public.products")),
              "no tombstones after the rewrite")
        rest.request("DELETE", "/connectors/postgres-connector")

        # -- SIGTERM restart with changes while the worker is down ---------------------------
        time.sleep(1.5)  # at least one offset flush (offset.flush.interval.ms=500)
        check(worker.stop() == 0, "the worker stops cleanly on SIGTERM")
        pg.sql("INSERT INTO orders SELECT g, 1, 1, 1, 'while down' FROM generate_series(100, 199) g")
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest
        code, _, _ = rest.request("PUT", "/connectors/pg-raw/config", raw_config(pg))
        wait_for(lambda: len(records(kafka.bootstrap, "raw.public.orders")) >= 102, 60,
                 "the changes made while the worker was down")
        ids = [json.loads(k)["payload"]["id"] for k, _ in records(kafka.bootstrap, "raw.public.orders")]
        check(sorted(i for i in ids if i >= 100) == list(range(100, 200)),
              "after a restart every change made while down arrives exactly once")
        check(ids.count(1) == 2, f"no snapshot or stream replay after the restart ({ids.count(1)} events for id 1)")

        # -- SIGKILL while a stream of transactions runs --------------------------------------
        def writer():
            for g in range(1000, 1400, 10):
                pg.sql(f"INSERT INTO orders SELECT g, 2, 2, 1, 'kill' FROM generate_series({g}, {g + 9}) g")
        th = threading.Thread(target=writer)
        th.start()
        wait_for(lambda: any(json.loads(k)["payload"]["id"] >= 1100
                             for k, _ in records(kafka.bootstrap, "raw.public.orders")), 60,
                 "the stream under way")
        worker.stop(signal.SIGKILL)
        th.join()
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest
        rest.request("PUT", "/connectors/pg-raw/config", raw_config(pg))
        want = {int(r[0]) for r in pg.query("SELECT id FROM orders")}

        def all_there():
            got = {json.loads(k)["payload"]["id"] for k, _ in records(kafka.bootstrap, "raw.public.orders")}
            return want <= got
        wait_for(all_there, 60, "every row of the table as an event after the SIGKILL")
        ids = [json.loads(k)["payload"]["id"] for k, _ in records(kafka.bootstrap, "raw.public.orders")]
        dups = len(ids) - len(set(ids)) - 1  # id 1 has r and u
        print(f"after SIGKILL: {len(want)} rows, {len(ids)} events, {dups} replayed", flush=True)
        check(want <= set(ids), "after SIGKILL nothing is lost")

        time.sleep(2)
        watch.stop_flag = True
        watch.join()
        check(watch.samples > 20 and not watch.violations,
              f"confirmed_flush_lsn never passed the stored lsn_commit ({watch.samples} samples, "
              f"violations {watch.violations[:3]})")
        check(watch.moved, "confirmed_flush_lsn moved forward as offsets were committed")

        # -- a dropped slot --------------------------------------------------------------------
        def drop():
            pg.sql("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                   "WHERE slot_name = 'raw_slot' AND active_pid IS NOT NULL")
            try:
                pg.sql("SELECT pg_drop_replication_slot('raw_slot')")
            except Exception:  # noqa: BLE001 - still active: try again
                return False
            return pg.slot("raw_slot") is None
        wait_for(drop, 30, "dropping the slot")
        wait_for(lambda: task_state(rest, "pg-raw")[0] == "FAILED", 60, "the task to fail")
        state, trace = task_state(rest, "pg-raw")
        check("raw_slot" in trace and "no longer exists" in trace and "when_needed" in trace,
              f"dropped slot: FAILED with a recovery hint: {trace[:300]}")
    except AssertionError as e:
        check(False, str(e))
        if worker:
            print("worker log tail:\n" + "\n".join(worker.log_text().splitlines()[-30:]))
    finally:
        if worker:
            try:
                worker.stop()
            except Exception:  # noqa: BLE001
                worker.proc.kill()
        kafka.stop()
        if failures and os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}, postgres: {pg.dir}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        pg.stop()
    print(f"postgres_connector_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
