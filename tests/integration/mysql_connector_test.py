#!/usr/bin/env python3
"""The MySQL/MariaDB source connector end to end: a private MariaDB server
(tests/support/mariadb.py), `sluice dev-kafka`, `sluice standalone` with the sluice-mysql plugin.

1. envelope: snapshot (`r`) and streaming insert/update/delete/tombstone of the spec's
   inventory.products table (spec/debezium.md §5.2) with the exact Debezium 2.7 JSON, key and
   value, in both schemas.enable modes (one connector each, converters set per connector).
2. types: one row per column type, snapshot and binlog values as Debezium maps them; again on a
   server with binlog_row_metadata=MINIMAL.
3. restart: the worker stopped mid-stream, rows written while it is down (across a binlog
   rotation), then resumed: every change once, in order; heartbeats and transaction metadata
   (BEGIN/END records, event.block) after a reconfiguration. SIGKILL while multi-row events
   stream: the table compared with the last event per key in Kafka. Writes during the
   snapshot: every row once as `r` or `c`. SIGKILL mid-snapshot: snapshot again, no loss.
   snapshot.mode=no_data: changes made while down are streamed after the restart.
   MariaDbConnector: source "mariadb", GTIDs in the offsets, resume by GTID.
4. DDL mid-stream: ALTER TABLE ADD COLUMN, the next row carries the new column, the schema
   change events (snapshot and streamed) on the <topic.prefix> topic; then DDL (DROP/MODIFY
   COLUMN, RENAME TABLE, CREATE TABLE) while the worker is down: after the restart the schema
   history and the binlog's DDL give each row the schema it was written under.
5. failures: a purged binlog (then snapshot.mode=when_needed recovers), binlog_format=STATEMENT,
   a clashing database.server.id: task FAILED with a message that names the problem and its fix.

usage: mysql_connector_test.py SLUICE_BINARY
"""
import base64
import json
import os
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import checks  # noqa: E402
from checks import check, failures, passed, records, task_state, wait_records  # noqa: E402
from mariadb import MariaDB  # noqa: E402
from sluice_process import DevKafka, Standalone, end_offset, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
checks.print_passes = False  # hundreds of checks: only failures are printed
KAFKA = [""]  # dev-kafka's bootstrap address

TOPICS = ["dbserver1.inventory.products", "plain.inventory.products", "dbserver1", "plain",
          "ty.inventory.types", "ty", "r1.shop.orders", "r1",
          "k1.shop.bulk", "k1", "bad.shop.orders", "bad", "clash.shop.orders", "clash",
          "p1.shop.orders", "p1", "d1.shop.evolve", "d1", "cs.shop.busy", "cs", "__debezium-heartbeat.r1",
          "tm.inventory.types", "tm", "r1.transaction", "nd.shop.orders", "nd", "mg.shop.gt", "mg", "ms.shop.snap", "ms"]


def connector_config(db, prefix, server_id, **extra):
    cfg = {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "tasks.max": "1",
           "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
           "database.password": "cdc-pw", "database.server.id": str(server_id), "topic.prefix": prefix,
           "schema.history.internal.kafka.topic": "history." + prefix,
           "schema.history.internal.kafka.bootstrap.servers": KAFKA[0]}
    cfg.update(extra)
    return cfg


# --- 1. the envelope --------------------------------------------------------------------------

def products_schema_fields(prefix):
    row = [
        {"type": "int32", "optional": False, "field": "id"},
        {"type": "string", "optional": False, "field": "name"},
        {"type": "bytes", "optional": True, "name": "org.apache.kafka.connect.data.Decimal", "version": 1,
         "parameters": {"scale": "2", "connect.decimal.precision": "10"}, "field": "price"},
        {"type": "string", "optional": False, "name": "io.debezium.data.Enum", "version": 1,
         "parameters": {"allowed": "new,done"}, "default": "new", "field": "status"},
        {"type": "string", "optional": False, "name": "io.debezium.time.ZonedTimestamp", "version": 1,
         "default": "1970-01-01T00:00:00Z", "field": "updated_at"},
        # MariaDB's JSON is LONGTEXT with a json_valid() check in SHOW CREATE TABLE, which is
        # what Debezium reads at snapshot time: a plain string there (io.debezium.data.Json
        # only for a JSON column created while streaming, or on MySQL).
        {"type": "string", "optional": True, "field": "meta"},
    ]
    value = f"{prefix}.inventory.products.Value"
    source = [
        {"type": "string", "optional": False, "field": "version"},
        {"type": "string", "optional": False, "field": "connector"},
        {"type": "string", "optional": False, "field": "name"},
        {"type": "int64", "optional": False, "field": "ts_ms"},
        {"type": "string", "optional": True, "name": "io.debezium.data.Enum", "version": 1,
         "parameters": {"allowed": "true,last,false,incremental"}, "default": "false", "field": "snapshot"},
        {"type": "string", "optional": False, "field": "db"},
        {"type": "string", "optional": True, "field": "sequence"},
        {"type": "int64", "optional": True, "field": "ts_us"},
        {"type": "int64", "optional": True, "field": "ts_ns"},
        {"type": "string", "optional": True, "field": "table"},
        {"type": "int64", "optional": False, "field": "server_id"},
        {"type": "string", "optional": True, "field": "gtid"},
        {"type": "string", "optional": False, "field": "file"},
        {"type": "int64", "optional": False, "field": "pos"},
        {"type": "int32", "optional": False, "field": "row"},
        {"type": "int64", "optional": True, "field": "thread"},
        {"type": "string", "optional": True, "field": "query"},
    ]
    return {"type": "struct", "fields": [
        {"type": "struct", "fields": row, "optional": True, "name": value, "field": "before"},
        {"type": "struct", "fields": row, "optional": True, "name": value, "field": "after"},
        {"type": "struct", "fields": source, "optional": False, "name": "io.debezium.connector.mysql.Source",
         "field": "source"},
        {"type": "struct", "fields": [
            {"type": "string", "optional": False, "field": "id"},
            {"type": "int64", "optional": False, "field": "total_order"},
            {"type": "int64", "optional": False, "field": "data_collection_order"}],
         "optional": True, "name": "event.block", "version": 1, "field": "transaction"},
        {"type": "string", "optional": False, "field": "op"},
        {"type": "int64", "optional": True, "field": "ts_ms"},
        {"type": "int64", "optional": True, "field": "ts_us"},
        {"type": "int64", "optional": True, "field": "ts_ns"},
    ], "optional": False, "name": f"{prefix}.inventory.products.Envelope", "version": 2}


def spec_key_bytes(prefix, i):
    return ('{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],'
            '"optional":false,"name":"%s.inventory.products.Key"},"payload":{"id":%d}}' % (prefix, i))


def expected_payload(prefix, op, before, after, got, snapshot, server_id):
    """The envelope Debezium writes; time stamps, positions and row times come from `got`
    after checking they are plausible."""
    src = got["source"]
    exp_src = {"version": "2.7.3.Final", "connector": "mysql", "name": prefix, "ts_ms": src["ts_ms"],
               "snapshot": snapshot, "db": "inventory", "sequence": None, "ts_us": src["ts_ms"] * 1000,
               "ts_ns": src["ts_ms"] * 1000000, "table": "products", "server_id": server_id, "gtid": None,
               "file": src["file"], "pos": src["pos"], "row": 0, "thread": None, "query": None}
    return {"before": before, "after": after, "source": exp_src, "transaction": None, "op": op,
            "ts_ms": got["ts_ms"], "ts_us": got["ts_us"], "ts_ns": got["ts_ns"]}


def test_envelope(db, kafka, work):
    db.sql("CREATE DATABASE inventory; CREATE TABLE inventory.products ("
           " id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, price DECIMAL(10,2) NULL,"
           " status ENUM('new','done') NOT NULL DEFAULT 'new',"
           " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, meta JSON NULL);"
           "INSERT INTO inventory.products(name,price,meta,updated_at) "
           "VALUES ('Widget',19.99,'{\"color\":\"red\"}','2024-06-10 06:13:20')")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/plain/config", connector_config(db, "plain", 5401))
        schema_conv = {"key.converter": "org.apache.kafka.connect.json.JsonConverter",
                       "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                       "key.converter.schemas.enable": "true", "value.converter.schemas.enable": "true"}
        w.rest.request("PUT", "/connectors/schemas/config", connector_config(db, "dbserver1", 5402, **schema_conv))
        wait_records(kafka.bootstrap, "plain.inventory.products", 1)
        db.sql("INSERT INTO inventory.products(name,price,updated_at) VALUES ('Gadget',5.00,'2024-06-11 00:00:01');"
               "UPDATE inventory.products SET price=1.50, status='done' WHERE id=1;"
               "DELETE FROM inventory.products WHERE id=2;")
        widget = {"id": 1, "name": "Widget", "price": "B88=", "status": "new",
                  "updated_at": "2024-06-10T06:13:20Z", "meta": "{\"color\":\"red\"}"}
        widget2 = dict(widget, price=base64.b64encode(bytes([0x00, 0x96])).decode(), status="done")
        gadget = {"id": 2, "name": "Gadget", "price": base64.b64encode(bytes([0x01, 0xF4])).decode(),
                  "status": "new", "updated_at": "2024-06-11T00:00:01Z", "meta": None}
        steps = [("r", None, widget, "last", 0), ("c", None, gadget, "false", 101),
                 ("u", widget, widget2, "false", 101), ("d", gadget, None, "false", 101)]
        keys = [1, 2, 1, 2]
        for prefix, with_schema in (("plain", False), ("dbserver1", True)):
            got = wait_records(kafka.bootstrap, f"{prefix}.inventory.products", 5)
            check(len(got) == 5, f"{prefix}: 5 records (r, c, u, d, tombstone), got {len(got)}")
            for i, (op, before, after, snap, sid) in enumerate(steps):
                k, v = got[i]
                value = json.loads(v)
                if with_schema:
                    check(k == spec_key_bytes(prefix, keys[i]), f"{prefix} {op}: key bytes {k}")
                    want = products_schema_fields(prefix)
                    diffs = [f"{w['field']}: got {json.dumps(g)} want {json.dumps(w)}"
                             for g, w in zip(value["schema"]["fields"], want["fields"]) if g != w]
                    if value["schema"]["fields"][0] != want["fields"][0]:
                        diffs += [f"column: got {json.dumps(g)} want {json.dumps(w)}" for g, w in
                                  zip(value["schema"]["fields"][0]["fields"], want["fields"][0]["fields"]) if g != w]
                    check(value["schema"] == want, f"{prefix} {op}: value schema differs: {diffs}")
                    payload = value["payload"]
                else:
                    check(k == '{"id":%d}' % keys[i], f"{prefix} {op}: key {k}")
                    payload = value
                exp = expected_payload(prefix, op, before, after, payload, snap, sid)
                check(payload == exp, f"{prefix} {op}: payload\n  got  {json.dumps(payload)}\n  want {json.dumps(exp)}")
                check(list(payload) == list(exp) and list(payload["source"]) == list(exp["source"]),
                      f"{prefix} {op}: field order {list(payload)}")
                check(abs(payload["ts_ms"] - time.time() * 1000) < 120000, f"{prefix} {op}: ts_ms is now")
                check(payload["ts_us"] // 1000 == payload["ts_ms"], f"{prefix} {op}: ts_us matches ts_ms")
                if op != "r":
                    check(payload["source"]["ts_ms"] % 1000 == 0, f"{prefix} {op}: binlog ts_ms in whole seconds")
                    check(payload["source"]["file"].startswith("binlog.") and payload["source"]["pos"] > 4,
                          f"{prefix} {op}: binlog coordinates {payload['source']}")
            check(got[4][1] is None and got[4][0] == got[3][0], f"{prefix}: tombstone after the delete")
        # The same rows, in raw bytes: compact JSON exactly as JsonConverter writes it.
        raw = records(kafka.bootstrap, "plain.inventory.products")[1][1]
        check(raw.startswith('{"before":null,"after":{"id":2,"name":"Gadget","price":"AfQ=","status":"new",'
                             '"updated_at":"2024-06-11T00:00:01Z","meta":null},"source":{"version":"2.7.3.Final",'
                             '"connector":"mysql","name":"plain","ts_ms":'), f"plain c raw bytes: {raw[:300]}")
    finally:
        w.stop()


# --- 2. column types --------------------------------------------------------------------------

TYPES_DDL = """CREATE TABLE inventory.types (
  id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dec_ DECIMAL(20,6),
  c CHAR(5), vc VARCHAR(20), t TEXT, b BINARY(4), vb VARBINARY(10), bl BLOB, e ENUM('x','y,z','q''s'),
  s SET('a','b','c'), y YEAR, dt DATE, tm TIME(3), dtm DATETIME, dtm6 DATETIME(6), ts TIMESTAMP(3) NULL,
  bit1 BIT(1), bit10 BIT(10), j JSON)"""
TYPES_ROW = ("(%d, -5, 250, -300, 65000, -8000000, -2000000000, 4000000000, -9000000000000000000, "
             "18446744073709551615, 1.5, 2.25, -12345678901234.000001, 'ab', 'hello', 'long text', 'xy', 'bin', "
             "x'00ff', 'y,z', 'a,c', 2024, '2024-02-29', '-12:34:56.789', '2024-06-10 06:13:20', "
             "'2024-06-10 06:13:20.123456', '2024-06-10 06:13:20.500', b'1', b'1000000001', '{\"k\": [1, 2]}')")


def expected_types(i):
    return {"id": i, "ti": -5, "tiu": 250, "si": -300, "siu": 65000, "mi": -8000000, "i": -2000000000,
            "iu": 4000000000, "bi": -9000000000000000000, "biu": -1, "f": 1.5, "d": 2.25,
            "dec_": base64.b64encode((-12345678901234000001).to_bytes(9, "big", signed=True)).decode(),
            "c": "ab", "vc": "hello", "t": "long text", "b": base64.b64encode(b"xy\0\0").decode(),
            "vb": base64.b64encode(b"bin").decode(), "bl": base64.b64encode(b"\x00\xff").decode(),
            "e": "y\\,z", "s": "a,c", "y": 2024, "dt": 19782, "tm": -(12 * 3600 + 34 * 60 + 56) * 1000000 - 789000,
            "dtm": 1717999999999 + 1 - 1000 + 1000, "dtm6": 1718000000123456,
            "bit1": True, "bit10": base64.b64encode(bytes([0x01, 0x02])).decode()}


def test_types(db, kafka, work, prefix="ty"):
    db.sql("CREATE DATABASE IF NOT EXISTS inventory;" + TYPES_DDL + ";INSERT INTO inventory.types VALUES " + TYPES_ROW % 1)
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        cfg = connector_config(db, prefix, 5403, **{"table.include.list": "inventory\\.types"})
        w.rest.request("PUT", "/connectors/types/config", cfg)
        wait_records(kafka.bootstrap, f"{prefix}.inventory.types", 1)
        db.sql("INSERT INTO inventory.types VALUES " + TYPES_ROW % 2)
        got = wait_records(kafka.bootstrap, f"{prefix}.inventory.types", 2)
        snap, stream = json.loads(got[0][1])["after"], json.loads(got[1][1])["after"]
        # TIMESTAMP(3): fsp fraction digits in both paths (the schema library's reading of Debezium).
        for row, where, ts in ((snap, "snapshot", "2024-06-10T06:13:20.500Z"), (stream, "binlog", "2024-06-10T06:13:20.500Z")):
            exp = expected_types(row["id"])
            exp["dtm"] = 1718000000000
            for k, v in exp.items():
                check(row.get(k) == v, f"{prefix} types ({where}) {k}: got {row.get(k)!r}, want {v!r}")
            check(row.get("ts") == ts, f"{prefix} types ({where}) ts: got {row.get('ts')!r}, want {ts!r}")
        check(snap["j"] == '{"k": [1, 2]}' and stream["j"] == '{"k": [1, 2]}', f"MariaDB JSON text {snap['j']} {stream['j']}")
    finally:
        w.stop()


# --- 3. restart and crash ---------------------------------------------------------------------

def test_restart(db, kafka, work):
    db.sql("CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT NOT NULL);"
           "INSERT INTO shop.orders VALUES (1,1),(2,2)")
    cfg = connector_config(db, "r1", 5404, **{"table.include.list": "shop\\.orders"})
    w = Standalone(SLUICE, kafka.bootstrap, work)
    w.rest.request("PUT", "/connectors/r1/config", cfg)
    wait_records(kafka.bootstrap, "r1.shop.orders", 2)
    db.sql("INSERT INTO shop.orders VALUES (3,3),(4,4)")
    wait_records(kafka.bootstrap, "r1.shop.orders", 4)
    w.stop()
    db.sql("INSERT INTO shop.orders VALUES (5,5); UPDATE shop.orders SET qty=qty+10 WHERE id<=2; "
           "FLUSH BINARY LOGS; INSERT INTO shop.orders VALUES (6,6)")
    w = Standalone(SLUICE, kafka.bootstrap, work, connector_files=())
    try:
        # heartbeat.interval.ms: heartbeats with the current offset on __debezium-heartbeat.<prefix>
        w.rest.request("PUT", "/connectors/r1/config", dict(cfg, **{"heartbeat.interval.ms": "200",
                                                                    "provide.transaction.metadata": "true"}))
        hb = wait_records(kafka.bootstrap, "__debezium-heartbeat.r1", 2)
        check(json.loads(hb[0][0]) == {"serverName": "r1"} and set(json.loads(hb[0][1])) == {"ts_ms"},
              f"heartbeat record {hb[0]}")
        got = wait_records(kafka.bootstrap, "r1.shop.orders", 8)
        time.sleep(1)
        got = records(kafka.bootstrap, "r1.shop.orders")
        ops = [(json.loads(v)["op"], json.loads(k)["id"]) for k, v in got]
        check(ops == [("r", 1), ("r", 2), ("c", 3), ("c", 4), ("c", 5), ("u", 1), ("u", 2), ("c", 6)],
              f"restart: every change once, in order: {ops}")
        # provide.transaction.metadata: BEGIN, the events with their block, END.
        db.sql("BEGIN; INSERT INTO shop.orders VALUES (20,1),(21,1); COMMIT")
        got = wait_records(kafka.bootstrap, "r1.shop.orders", 10)
        blocks = [json.loads(v)["transaction"] for _, v in got[8:10]]
        tx = wait_records(kafka.bootstrap, "r1.transaction", 2)
        begin, end = json.loads(tx[-2][1]), json.loads(tx[-1][1])
        check(begin["status"] == "BEGIN" and end["status"] == "END" and begin["id"] == end["id"]
              and begin["id"].startswith("file=binlog.") and end["event_count"] == 2
              and end["data_collections"] == [{"data_collection": "shop.orders", "event_count": 2}]
              and json.loads(tx[-1][0]) == {"id": end["id"]}, f"transaction records {tx[-2:]}")
        check(blocks == [{"id": begin["id"], "total_order": 1, "data_collection_order": 1},
                         {"id": begin["id"], "total_order": 2, "data_collection_order": 2}],
              f"transaction blocks {blocks}")
    finally:
        w.stop()


def test_crash(db, kafka, work):
    db.sql("CREATE TABLE shop.bulk (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL, n INT NOT NULL)")
    cfg = connector_config(db, "k1", 5405, **{"table.include.list": "shop\\.bulk", "max.batch.size": "50",
                                              "max.queue.size": "100"})
    w = Standalone(SLUICE, kafka.bootstrap, work)
    w.rest.request("PUT", "/connectors/k1/config", cfg)
    wait_for(lambda: task_state(w.rest, "k1")[0] == "RUNNING", 30, "k1 running")
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set() and n < 40:
            # Multi-row events: 50 rows per statement, then updates and deletes of some of the
            # recent ones (dev-kafka keeps only the newest ~5 MiB per partition: stay well below).
            db.sql("INSERT INTO shop.bulk SELECT seq, CONCAT('row-', seq), 0 FROM seq_%d_to_%d;"
                   "UPDATE shop.bulk SET n=n+1 WHERE id %% 7 = 0 AND id > %d;"
                   "DELETE FROM shop.bulk WHERE id %% 11 = 0 AND id > %d"
                   % (n * 50 + 1, n * 50 + 50, n * 50 - 100, n * 50 - 100), database="shop")
            n += 1
            time.sleep(0.1)
    t = threading.Thread(target=writer)
    t.start()
    wait_for(lambda: len(records(kafka.bootstrap, "k1.shop.bulk")) > 300, 60, "some bulk records")
    check(t.is_alive(), "crash: the writer is still running when the worker is killed")
    w.proc.send_signal(signal.SIGKILL)
    w.proc.wait()
    t.join()
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        table = {int(r[0]): (r[1], int(r[2])) for r in db.query("SELECT id, v, n FROM shop.bulk")}
        state = {}

        def converged():
            state.clear()
            for k, v in records(kafka.bootstrap, "k1.shop.bulk"):
                key = json.loads(k)["id"]
                if v is None:
                    state.pop(key, None)
                    continue
                after = json.loads(v)["after"]
                if after is None:
                    state.pop(key, None)
                else:
                    state[key] = (after["v"], after["n"])
            return state == table
        try:
            wait_for(converged, 90, "Kafka's last event per key equal to the table")
        except AssertionError:
            pass
        missing = [k for k in table if k not in state]
        check(state == table, f"crash: {len(table)} rows in the table, {len(state)} in Kafka; missing {missing[:10]}")
    finally:
        w.stop()


# --- 3b. writes during the snapshot ------------------------------------------------------------

def test_snapshot_with_writes(db, kafka, work):
    """A writer inserts and updates while the connector snapshots: every row arrives exactly
    once as `r` or `c` (the hand-over from snapshot to binlog loses and doubles nothing), and
    Kafka's last event per key equals the table."""
    db.sql("CREATE TABLE shop.busy (id INT PRIMARY KEY, v INT NOT NULL);"
           "INSERT INTO shop.busy SELECT seq, 0 FROM seq_1_to_4000", database="shop")
    stop = threading.Event()
    written = [0]

    def writer():
        n = 0
        while not stop.is_set() and n < 300:
            db.sql("INSERT INTO shop.busy VALUES (%d, 1); UPDATE shop.busy SET v=v+1 WHERE id=%d"
                   % (10001 + n, 1 + (n * 13) % 4000), database="shop")
            n += 1
        written[0] = n
    t = threading.Thread(target=writer)
    t.start()
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/cs/config",
                       connector_config(db, "cs", 5410, **{"table.include.list": "shop\\.busy",
                                                            "max.batch.size": "50", "max.queue.size": "100"}))
        t.join()
        table = {int(r[0]): int(r[1]) for r in db.query("SELECT id, v FROM shop.busy")}
        state, seen = {}, {}

        def converged():
            state.clear()
            seen.clear()
            for k, v in records(kafka.bootstrap, "cs.shop.busy"):
                ev = json.loads(v)
                key = json.loads(k)["id"]
                if ev["op"] in ("r", "c"):
                    seen[key] = seen.get(key, 0) + 1
                state[key] = ev["after"]["v"]
            return state == table
        try:
            wait_for(converged, 60, "Kafka's last event per key equal to the table")
        except AssertionError:
            pass
        check(written[0] == 300, f"writer wrote {written[0]} rounds")
        check(state == table, f"snapshot+writes: {len(table)} rows, {len(state)} keys in Kafka")
        dups = [k for k, n in seen.items() if n != 1]
        check(not dups and len(seen) == len(table), f"each row once as r or c: {len(seen)} keys, doubled {dups[:10]}")
        ops = [json.loads(v)["op"] for _, v in records(kafka.bootstrap, "cs.shop.busy")]
        check("r" in ops and ("c" in ops or "u" in ops), f"both snapshot and streamed events: {set(ops)}")
    finally:
        stop.set()
        w.stop()


def test_no_data(db, kafka, work):
    """snapshot.mode=no_data: schemas only, no `r` events; the schema change events carry an
    offset that completes the snapshot, so changes made while the worker is down are streamed
    after the restart."""
    cfg = connector_config(db, "nd", 5411, **{"table.include.list": "shop\\.orders", "snapshot.mode": "no_data"})
    w = Standalone(SLUICE, kafka.bootstrap, work)
    w.rest.request("PUT", "/connectors/nd/config", cfg)
    wait_records(kafka.bootstrap, "nd", 2)
    time.sleep(1.5)  # offsets flushed
    w.stop()
    db.sql("INSERT INTO shop.orders VALUES (900, 9)")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        got = wait_records(kafka.bootstrap, "nd.shop.orders", 1)
        ops = [(json.loads(v)["op"], json.loads(k)["id"]) for k, v in got]
        check(ops == [("c", 900)], f"no_data: only the change made while down: {ops}")
    finally:
        w.stop()


def test_mariadb_gtid(db, kafka, work):
    """Debezium 2.7's MariaDB class: source.connector "mariadb", source.gtid set, offsets with
    the MariaDB GTID set, and a restart resumes by GTID (@slave_connect_state)."""
    db.sql("CREATE TABLE shop.gt (id INT PRIMARY KEY, v INT); INSERT INTO shop.gt VALUES (1, 1)")
    cfg = connector_config(db, "mg", 5412, **{"table.include.list": "shop\\.gt",
                                              "connector.class": "io.debezium.connector.mariadb.MariaDbConnector"})
    w = Standalone(SLUICE, kafka.bootstrap, work)
    w.rest.request("PUT", "/connectors/mg/config", cfg)
    wait_records(kafka.bootstrap, "mg.shop.gt", 1)
    db.sql("INSERT INTO shop.gt VALUES (2, 2); UPDATE shop.gt SET v=10 WHERE id=1")
    wait_records(kafka.bootstrap, "mg.shop.gt", 3)
    time.sleep(1.5)
    w.stop()
    with open(os.path.join(work, "offsets"), errors="replace") as f:
        stored = f.read()
    check('"gtids"' in stored, f"MariaDB GTIDs in the stored offset: {stored[-300:]}")
    db.sql("INSERT INTO shop.gt VALUES (3, 3); FLUSH BINARY LOGS; INSERT INTO shop.gt VALUES (4, 4)")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        wait_records(kafka.bootstrap, "mg.shop.gt", 5)
        time.sleep(1)
        got = records(kafka.bootstrap, "mg.shop.gt")
        ops = [(json.loads(v)["op"], json.loads(k)["id"]) for k, v in got]
        check(ops == [("r", 1), ("c", 2), ("u", 1), ("c", 3), ("c", 4)], f"GTID resume: every change once: {ops}")
        src = json.loads(got[-1][1])["source"]
        check(src["connector"] == "mariadb" and src["gtid"] and src["gtid"].startswith("0-101-"),
              f"MariaDB source block: {src}")
        check("by GTIDs 0-101-" in w.log_text(), "the restart resumed by GTID")
    finally:
        w.stop()


SNAP_ROWS = 40000
SNAP_PARTITIONS = 8


def snap_written(kafka):
    return sum(end_offset(kafka.bootstrap, "ms.shop.snap", p) for p in range(SNAP_PARTITIONS))


def test_kill_mid_snapshot(db, kafka, work):
    """SIGKILL while the snapshot is being written: the stored offset says snapshot=true, so the
    restart snapshots again; every row is in Kafka and the last event per key equals the table."""
    # Big enough that a kill after the first few hundred records lands mid-snapshot on a fast
    # or a loaded machine (8,000 rows were sometimes all written before the kill); spread over
    # SNAP_PARTITIONS partitions, since dev-kafka keeps only about 5 MB per partition.
    db.sql("CREATE TABLE shop.snap (id INT PRIMARY KEY, v INT NOT NULL);"
           f"INSERT INTO shop.snap SELECT seq, seq FROM seq_1_to_{SNAP_ROWS}", database="shop")
    cfg = connector_config(db, "ms", 5413, **{"table.include.list": "shop\\.snap", "max.batch.size": "20",
                                              "max.queue.size": "40"})
    w = Standalone(SLUICE, kafka.bootstrap, work, extra={"offset.flush.interval.ms": "100"})
    w.rest.request("PUT", "/connectors/ms/config", cfg)
    wait_for(lambda: snap_written(kafka) >= 300, 60, "part of the snapshot")
    w.proc.send_signal(signal.SIGKILL)
    w.proc.wait()
    at_kill = snap_written(kafka)
    check(at_kill < SNAP_ROWS, f"killed mid-snapshot ({at_kill} of {SNAP_ROWS} rows written)")
    db.sql("UPDATE shop.snap SET v = -v WHERE id <= 10")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        table = {int(r[0]): int(r[1]) for r in db.query("SELECT id, v FROM shop.snap")}
        state = {}

        def converged():
            state.clear()
            for k, v in records(kafka.bootstrap, "ms.shop.snap"):
                state[json.loads(k)["id"]] = json.loads(v)["after"]["v"]
            return state == table
        try:
            wait_for(converged, 90, "Kafka equal to the table after the second snapshot")
        except AssertionError:
            pass
        check(state == table, f"mid-snapshot kill: {len(table)} rows, {len(state)} keys in Kafka")
        ops = [json.loads(v)["source"]["snapshot"] for _, v in records(kafka.bootstrap, "ms.shop.snap")]
        check(ops.count("last") == 1, f"one completed snapshot (one 'last' marker): {ops.count('last')}")
    finally:
        w.stop()


# --- 4. DDL mid-stream ------------------------------------------------------------------------

def test_ddl(db, kafka, work):
    db.sql("CREATE TABLE shop.evolve (id INT PRIMARY KEY, a INT); INSERT INTO shop.evolve VALUES (1, 10)")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/d1/config",
                       connector_config(db, "d1", 5406, **{"table.include.list": "shop\\.evolve"}))
        wait_records(kafka.bootstrap, "d1.shop.evolve", 1)
        db.sql("INSERT INTO shop.evolve VALUES (2, 20); ALTER TABLE shop.evolve ADD COLUMN b VARCHAR(10) DEFAULT 'x';"
               "INSERT INTO shop.evolve VALUES (3, 30, 'y'); UPDATE shop.evolve SET a=11 WHERE id=1")
        got = wait_records(kafka.bootstrap, "d1.shop.evolve", 4)
        afters = [json.loads(v)["after"] for _, v in got]
        check(afters == [{"id": 1, "a": 10}, {"id": 2, "a": 20}, {"id": 3, "a": 30, "b": "y"},
                         {"id": 1, "a": 11, "b": "x"}], f"DDL: rows before and after ADD COLUMN: {afters}")
        # The schema change event on the <topic.prefix> topic (spec §7.2).
        changes = wait_records(kafka.bootstrap, "d1", 3)
        # the snapshot's DDL first (snapshot "true"), then the streamed ALTER
        snap = [json.loads(v) for _, v in changes[:2]]
        check([e["ddl"].split(" (")[0] for e in snap] == ["CREATE DATABASE IF NOT EXISTS `shop`", "CREATE TABLE `evolve`"]
              and all(e["source"]["snapshot"] == "true" for e in snap), f"snapshot schema changes {snap}")
        k, v = changes[-1]
        ev = json.loads(v)
        check(json.loads(k) == {"databaseName": "shop"}, f"schema change key {k}")
        check(ev["ddl"].startswith("ALTER TABLE shop.evolve ADD COLUMN b") and ev["databaseName"] == "shop"
              and ev["schemaName"] is None and ev["source"]["table"] == "evolve", f"schema change value {v[:400]}")
        tc = ev["tableChanges"][0]
        check(tc["type"] == "ALTER" and tc["id"] == '"shop"."evolve"'
              and [c["name"] for c in tc["table"]["columns"]] == ["id", "a", "b"]
              and tc["table"]["primaryKeyColumnNames"] == ["id"]
              and tc["table"]["columns"][2]["typeName"] == "VARCHAR" and tc["table"]["columns"][2]["length"] == 10
              and tc["table"]["columns"][2]["defaultValueExpression"] == "x",
              f"schema change tableChanges {json.dumps(tc)[:600]}")
        time.sleep(1.5)  # offsets flushed
    finally:
        w.stop()
    # Far behind: rows, then DDL that drops and retypes columns, then rows, all while the worker
    # is down. The schema history and the binlog's DDL give each row its own schema.
    db.sql("INSERT INTO shop.evolve VALUES (4, 40, 'old'); ALTER TABLE shop.evolve DROP COLUMN a,"
           " MODIFY b VARCHAR(40) NOT NULL DEFAULT 'n'; INSERT INTO shop.evolve VALUES (5, '55');"
           " RENAME TABLE shop.evolve TO shop.evolved; CREATE TABLE shop.evolve (id INT PRIMARY KEY, z DATE);"
           " INSERT INTO shop.evolve VALUES (6, '2024-01-02')")
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        got = wait_records(kafka.bootstrap, "d1.shop.evolve", 6)
        afters = [json.loads(v)["after"] for _, v in got[4:6]]
        check(afters == [{"id": 4, "a": 40, "b": "old"}, {"id": 5, "b": "55"}],
              f"DDL while behind: each row under its own schema: {afters}")
        got = wait_records(kafka.bootstrap, "d1.shop.evolve", 7)
        check(json.loads(got[6][1])["after"] == {"id": 6, "z": 19724}, f"re-created table: {got[6:]}")
        schema_events = records(kafka.bootstrap, "history.d1")
        check(any('"ddl":"ALTER TABLE shop.evolve DROP COLUMN a' in (v or "") for _, v in schema_events),
              f"the ALTER is in the schema history topic ({len(schema_events)} records)")
    finally:
        w.stop()


# --- 5. failures ------------------------------------------------------------------------------

def wait_failed(rest, name, timeout=60):
    out = []

    def failed():
        st, trace = task_state(rest, name)
        out[:] = [st, trace]
        return st == "FAILED"
    wait_for(failed, timeout, f"{name} FAILED")
    return out[1]


def test_failures(db, kafka, work):
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        # A purged binlog: offsets point at a file that is gone.
        cfg = connector_config(db, "p1", 5407, **{"table.include.list": "shop\\.orders"})
        w.rest.request("PUT", "/connectors/p1/config", cfg)
        wait_records(kafka.bootstrap, "p1.shop.orders", 6)
        db.sql("INSERT INTO shop.orders VALUES (7,7)")
        wait_records(kafka.bootstrap, "p1.shop.orders", 7)
        time.sleep(1.5)  # offset.flush.interval.ms=500
        w.stop()
        db.sql("FLUSH BINARY LOGS; FLUSH BINARY LOGS")
        # The server keeps a file a dump thread still reads (the stopped workers' threads end
        # at their next heartbeat): end them, so the purge really removes the files.
        last = os.path.basename(db.binlog_files()[-1])

        def purged():
            for (tid,) in db.query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND='Binlog Dump'"):
                try:
                    db.sql(f"KILL {tid}")
                except Exception:  # gone meanwhile
                    pass
            db.sql(f"PURGE BINARY LOGS TO '{last}'")
            return len(db.binlog_files()) == 1
        wait_for(purged, 30, "the old binlogs purged")
        w = Standalone(SLUICE, kafka.bootstrap, work)
        trace = wait_failed(w.rest, "p1")
        check("purged" in trace and "snapshot.mode=when_needed" in trace, f"purged binlog message: {trace[:400]}")
        # The documented way out: when_needed takes a new snapshot.
        w.rest.request("PUT", "/connectors/p1/config", dict(cfg, **{"snapshot.mode": "when_needed"}))
        wait_for(lambda: task_state(w.rest, "p1")[0] == "RUNNING", 30, "p1 running again")
        check(task_state(w.rest, "p1")[0] == "RUNNING", "when_needed recovers from a purged binlog")

        # binlog_format=STATEMENT
        db.sql("SET GLOBAL binlog_format=STATEMENT")
        try:
            w.rest.request("PUT", "/connectors/bad/config", connector_config(db, "bad", 5408))
            trace = wait_failed(w.rest, "bad")
            check("binlog_format" in trace and "SET GLOBAL binlog_format=ROW" in trace,
                  f"binlog_format message: {trace[:400]}")
        finally:
            db.sql("SET GLOBAL binlog_format=ROW")
        w.rest.request("DELETE", "/connectors/bad")

        # Two connectors with the same database.server.id: the server drops the first dump.
        w.rest.request("DELETE", "/connectors/p1")
        clash = connector_config(db, "clash", 5409, **{"table.include.list": "shop\\.orders"})
        w.rest.request("PUT", "/connectors/clash/config", clash)
        wait_for(lambda: task_state(w.rest, "clash")[0] == "RUNNING", 30, "clash running")
        time.sleep(1)
        w.rest.request("PUT", "/connectors/clash2/config", clash)
        traces = []

        def one_failed():
            traces[:] = [task_state(w.rest, n) for n in ("clash", "clash2")]
            return any(s == "FAILED" for s, _ in traces)
        wait_for(one_failed, 60, "a server id clash")
        msg = " ".join(t for _, t in traces)
        check("database.server.id" in msg, f"server id clash message: {msg[:400]}")
    finally:
        w.stop()


def main():
    work = temp_dir()
    db = MariaDB().start()
    kafka = None
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1'")
        prefixes = [t for t in TOPICS if "." not in t]
        kafka = DevKafka(SLUICE, [t + (f":{SNAP_PARTITIONS}" if t == "ms.shop.snap" else ":1")
                                  for t in TOPICS + ["history." + p for p in prefixes]])
        KAFKA[0] = kafka.bootstrap
        for test in (test_envelope, test_types, test_restart, test_crash, test_snapshot_with_writes, test_no_data,
                     test_mariadb_gtid, test_kill_mid_snapshot, test_ddl, test_failures):
            started = time.monotonic()
            try:
                work = temp_dir()  # each test its own worker folder (connectors, offsets)
                test(db, kafka, work)
            except AssertionError as e:
                check(False, f"{test.__name__}: {e}")
            print(f"{test.__name__}: {time.monotonic() - started:.1f} s", flush=True)
        # binlog_row_metadata=MINIMAL: no names, signedness or labels in the TABLE_MAPs; the
        # tracked schema supplies them.
        started = time.monotonic()
        minimal = MariaDB(config={"binlog_row_metadata": "MINIMAL"}).start()
        try:
            minimal.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
                        "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1'")
            test_types(minimal, kafka, temp_dir(), prefix="tm")
        except AssertionError as e:
            check(False, f"test_types (MINIMAL): {e}")
        finally:
            minimal.stop()
        print(f"test_types (binlog_row_metadata=MINIMAL): {time.monotonic() - started:.1f} s", flush=True)
    finally:
        if kafka:
            kafka.stop()
        db.stop()
    print(f"{passed[0]} checks passed, {len(failures)} failed")
    if failures:
        try:
            with open(os.path.join(work, "worker.log"), errors="replace") as f:
                print(f.read()[-5000:], file=sys.stderr)
        except OSError:
            pass
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
