#!/usr/bin/env python3
"""The MySQL connector's per-column options end to end, in snapshot (`r`) and binlog (c/u/d)
records: a private MariaDB server (tests/support/mariadb.py), `sluice dev-kafka` and
`sluice standalone` with the sluice-mysql plugin.

shop.people: column.exclude.list drops `price` from the value (before and after), the key keeps
`id`; column.mask.with.4.chars turns `secret` into "****"; column.truncate.to.3.chars cuts `note`
(NULL stays NULL); column.propagate.source.type adds the __debezium.source.column.* parameters to
`name`'s value schema; mask and truncate mark the schema (masked, truncateLength). shop.events (no primary key): message.key.columns gives it a key (a, b),
so deletes get tombstones, and column.mask.hash.v2 hashes `b` in the value only; shop.keyed: message.key.columns overrides the PK.

usage: mysql_columns_test.py SLUICE_BINARY
"""
import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import checks  # noqa: E402
from checks import check, failures, passed, wait_records  # noqa: E402
from mariadb import MariaDB  # noqa: E402
from sluice_process import DevKafka, Standalone, temp_dir  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
checks.print_passes = False  # hundreds of checks: only failures are printed
PREFIX = "col"
TOPICS = [PREFIX, f"{PREFIX}.shop.people", f"{PREFIX}.shop.events", f"{PREFIX}.shop.keyed", "history." + PREFIX]


def value(rec):
    return None if rec[1] is None else json.loads(rec[1])["payload"]


def field_schema(rec, which, name):
    for f in json.loads(rec[1])["schema"]["fields"]:
        if f["field"] == which:
            for c in f["fields"]:
                if c["field"] == name:
                    return c
    return None


def hashed(text):
    return hashlib.sha256(b"CzQMA0cB5K" + text.encode()).hexdigest()[:5]


DDL = ("CREATE DATABASE shop;"
       "CREATE TABLE shop.people (id INT PRIMARY KEY, name VARCHAR(20), secret VARCHAR(40) NOT NULL,"
       " note TEXT, price DECIMAL(7,2), code CHAR(3));"
       "CREATE TABLE shop.events (a INT, b VARCHAR(5) NOT NULL, c INT);"
       "CREATE TABLE shop.keyed (id INT PRIMARY KEY, tag VARCHAR(5));"
       "INSERT INTO shop.people VALUES (1, 'annabel', 'pw1', 'london calling', 9.50, 'abc');"
       "INSERT INTO shop.events VALUES (1, 'x', 10);"
       "INSERT INTO shop.keyed VALUES (1, 't1')")


def test_columns(db, kafka, work):
    db.sql(DDL)
    cfg = {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "tasks.max": "1",
           "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": "cdc",
           "database.password": "cdc-pw", "database.server.id": "5501", "topic.prefix": PREFIX,
           "schema.history.internal.kafka.topic": "history." + PREFIX,
           "schema.history.internal.kafka.bootstrap.servers": kafka.bootstrap,
           "table.include.list": "shop\\..*",
           "value.converter": "org.apache.kafka.connect.json.JsonConverter",
           "value.converter.schemas.enable": "true",
           "column.exclude.list": "shop.people.price",
           "column.mask.with.4.chars": "shop.people.secret",
           "column.truncate.to.3.chars": "SHOP.PEOPLE.NOTE",
           "column.propagate.source.type": "shop\\.people\\.name",
           "column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K": "shop.events.b",
           "message.key.columns": "shop.events:a,b;shop.keyed:tag"}
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        code, _, body = w.rest.request("PUT", "/connectors/cols/config", cfg)
        check(code in (200, 201), f"connector created: {code} {body}")
        people = f"{PREFIX}.shop.people"
        snap = wait_records(kafka.bootstrap, people, 1)[0]
        want = {"id": 1, "name": "annabel", "secret": "****", "note": "lon", "code": "abc"}
        check(json.loads(snap[0]) == {"id": 1}, f"people key {snap[0]}")
        check(value(snap)["op"] == "r" and value(snap)["after"] == want, f"snapshot after {value(snap)['after']}")
        name = field_schema(snap, "after", "name")
        check(name is not None and name.get("parameters") == {
            "__debezium.source.column.type": "VARCHAR", "__debezium.source.column.length": "20",
            "__debezium.source.column.name": "name"}, f"name schema {name}")
        check(field_schema(snap, "after", "price") is None, "price left out of the value schema")
        check((field_schema(snap, "after", "secret") or {}).get("parameters") == {"masked": "true"},
              f"secret schema {field_schema(snap, 'after', 'secret')}")
        check((field_schema(snap, "after", "note") or {}).get("parameters") == {"truncateLength": "3"},
              f"note schema {field_schema(snap, 'after', 'note')}")

        db.sql("INSERT INTO shop.people VALUES (2, 'bo', 'pw2', NULL, 1.00, 'xyz');"
               "UPDATE shop.people SET note = 'paris', secret = 'other' WHERE id = 1;"
               "DELETE FROM shop.people WHERE id = 2")
        got = wait_records(kafka.bootstrap, people, 5)
        ins, upd, dele, tomb = got[1], got[2], got[3], got[4]
        check(value(ins)["op"] == "c" and value(ins)["after"] ==
              {"id": 2, "name": "bo", "secret": "****", "note": None, "code": "xyz"}, f"insert {value(ins)}")
        check(value(upd)["op"] == "u" and value(upd)["before"] == want and value(upd)["after"] ==
              {"id": 1, "name": "annabel", "secret": "****", "note": "par", "code": "abc"}, f"update {value(upd)}")
        check(value(dele)["op"] == "d" and value(dele)["before"]["secret"] == "****"
              and "price" not in value(dele)["before"], f"delete {value(dele)}")
        check(tomb[1] is None and json.loads(tomb[0]) == {"id": 2}, f"tombstone {tomb}")
        check(field_schema(ins, "after", "name").get("parameters", {}).get("__debezium.source.column.type")
              == "VARCHAR", "binlog record's name schema carries the source type")

        events = f"{PREFIX}.shop.events"
        snap_e = wait_records(kafka.bootstrap, events, 1)[0]
        check(json.loads(snap_e[0]) == {"a": 1, "b": "x"}, f"events key from message.key.columns {snap_e[0]}")
        # column.mask.hash.v2: hex SHA-256 of salt + text, cut to VARCHAR(5); the key keeps "x".
        check(value(snap_e)["after"] == {"a": 1, "b": hashed("x"), "c": 10}, f"events hashed value {value(snap_e)}")
        db.sql("INSERT INTO shop.events VALUES (2, 'y', 20); DELETE FROM shop.events WHERE a = 1")
        got_e = wait_records(kafka.bootstrap, events, 4)
        check(json.loads(got_e[1][0]) == {"a": 2, "b": "y"} and value(got_e[1])["op"] == "c"
              and value(got_e[1])["after"]["b"] == hashed("y"), f"events insert {got_e[1]}")
        check(value(got_e[2])["op"] == "d" and json.loads(got_e[2][0]) == {"a": 1, "b": "x"}, f"events delete {got_e[2]}")
        check(got_e[3][1] is None and json.loads(got_e[3][0]) == {"a": 1, "b": "x"}, f"events tombstone {got_e[3]}")

        keyed = f"{PREFIX}.shop.keyed"
        snap_k = wait_records(kafka.bootstrap, keyed, 1)[0]
        check(json.loads(snap_k[0]) == {"tag": "t1"}, f"keyed: message.key.columns overrides the PK {snap_k[0]}")
        db.sql("INSERT INTO shop.keyed VALUES (2, 't2')")
        got_k = wait_records(kafka.bootstrap, keyed, 2)
        check(json.loads(got_k[1][0]) == {"tag": "t2"}, f"keyed insert key {got_k[1][0]}")

        # A bad option fails validation with a message naming the key.
        bad = dict(cfg, **{"name": "bad", "column.mask.with.x.chars": "shop.people.name"})
        code, _, body = w.rest.request("PUT", "/connector-plugins/MySqlConnector/config/validate", bad)
        text = json.dumps(body)
        check(code == 200 and isinstance(body, dict) and body.get("error_count", 0) == 1
              and "column.mask.with.x.chars" in text, f"bad key reported by validate: {code} {text[:300]}")
    finally:
        w.stop()


def main():
    db = MariaDB().start()
    kafka = None
    work = temp_dir()
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1'")
        kafka = DevKafka(SLUICE, [t + ":1" for t in TOPICS])
        started = time.monotonic()
        try:
            test_columns(db, kafka, work)
        except AssertionError as e:
            check(False, f"test_columns: {e}")
        print(f"test_columns: {time.monotonic() - started:.1f} s", flush=True)
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
