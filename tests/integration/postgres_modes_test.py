#!/usr/bin/env python3
"""The PostgreSQL connector's transaction metadata and REPLICA IDENTITY INDEX / NOTHING, end to end on a private PostgreSQL 15 and
`sluice dev-kafka` (JsonConverter, schemas.enable=false):

- provide.transaction.metadata=true: BEGIN / END records on <prefix>.transaction (key {id},
  id = the PostgreSQL xid as Debezium 2.7.4's PostgresEventMetadataProvider gives it, END with
  event_count and data_collections "schema.table"), the envelope's transaction block (id,
  total_order, data_collection_order) on every streamed event, none on snapshot events;
- REPLICA IDENTITY USING INDEX: an update that leaves the index columns alone has no before;
  one that changes them (a key change: delete + create) and a delete have only the index
  columns in before;
- REPLICA IDENTITY NOTHING: inserts stream with no before; PostgreSQL itself refuses UPDATE and
  DELETE of such a table while a publication publishes them;

usage: postgres_modes_test.py SLUICE_BINARY"""
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from postgres import Postgres, PostgresError  # noqa: E402
from sluice_process import DevKafka, Standalone, kcat_lines, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def records(bootstrap, topic):
    out = []
    for line in kcat_lines(bootstrap, topic, fmt="%K\t%k\t%S\t%s\\n"):
        parts = line.split("\t", 3)
        if len(parts) == 4:
            out.append((None if parts[0] == "-1" else json.loads(parts[1]),
                        None if parts[2] == "-1" else json.loads(parts[3])))
    return out


def values(bootstrap, topic):
    return [v for _, v in records(bootstrap, topic) if v is not None]


def subdir(work, name):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    return d


def config(pg, prefix, **extra):
    cfg = {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password,
        "database.dbname": pg.dbname, "topic.prefix": prefix, "plugin.name": "pgoutput",
        "slot.name": f"{prefix}_slot", "publication.name": f"{prefix}_pub",
        "status.update.interval.ms": "500",
    }
    cfg.update(extra)
    return cfg


def transaction_metadata(pg, kafka, rest):
    b = kafka.bootstrap
    rest.request("PUT", "/connectors/t/config", config(pg, "t", **{"provide.transaction.metadata": "true"}))
    wait_for(lambda: len(values(b, "t.public.tx_a")) >= 1, 60, "the t snapshot")
    snap = values(b, "t.public.tx_a")[0]
    check(snap["op"] == "r" and snap["transaction"] is None, f"a snapshot event has no transaction block: {snap}")
    pg.sql("BEGIN; INSERT INTO tx_a VALUES (2, 'x'); INSERT INTO tx_b VALUES (1, 'y'); "
           "UPDATE tx_a SET v = 'z' WHERE id = 2; COMMIT; INSERT INTO tx_b VALUES (2, 'single')")
    wait_for(lambda: len(values(b, "t.public.tx_b")) >= 2, 30, "the streamed transactions")
    wait_for(lambda: len(records(b, "t.transaction")) >= 4, 30, "BEGIN and END records")
    a = values(b, "t.public.tx_a")[1:]
    tb = values(b, "t.public.tx_b")
    xid = a[0]["source"]["txId"]
    tid = str(xid)
    blocks = [(e["transaction"]["id"], e["transaction"]["total_order"], e["transaction"]["data_collection_order"])
              for e in (a[0], tb[0], a[1])]
    check(blocks == [(tid, 1, 1), (tid, 2, 1), (tid, 3, 2)],
          f"transaction blocks (id, total_order, data_collection_order) {blocks}, xid {xid}")
    tx = records(b, "t.transaction")
    begin, end = tx[0], tx[1]
    ts = a[0]["source"]["ts_ms"]
    check(begin[0] == {"id": tid} and begin[1] == {"status": "BEGIN", "id": tid, "event_count": None,
                                                   "data_collections": None, "ts_ms": ts},
          f"BEGIN record {begin} (tx ts_ms {ts})")
    check(end[0] == {"id": tid} and end[1] == {
        "status": "END", "id": tid, "event_count": 3, "ts_ms": ts,
        "data_collections": [{"data_collection": "public.tx_a", "event_count": 2},
                             {"data_collection": "public.tx_b", "event_count": 1}]},
        f"END record {end}")
    single = tb[1]
    sid = str(single["source"]["txId"])
    check(sid != tid and single["transaction"] == {"id": sid, "total_order": 1, "data_collection_order": 1}
          and [r[1]["status"] for r in tx[2:4]] == ["BEGIN", "END"] and tx[3][1]["event_count"] == 1
          and tx[2][0] == {"id": sid}, f"the next transaction: {single['transaction']} {tx[2:4]}")


def replica_identity(pg, kafka):
    b = kafka.bootstrap
    pg.sql("INSERT INTO ri_idx VALUES (1, 'c1', 10); UPDATE ri_idx SET v = 11 WHERE id = 1; "
           "UPDATE ri_idx SET code = 'c2' WHERE id = 1; DELETE FROM ri_idx WHERE id = 1")
    wait_for(lambda: len(values(b, "t.public.ri_idx")) >= 5, 30, "the ri_idx events")
    ev = values(b, "t.public.ri_idx")
    print("ri_idx events: " + json.dumps([(e["op"], e["before"], e["after"]) for e in ev]), flush=True)
    ops = [e["op"] for e in ev]
    # pgoutput sends the old tuple only when the identity (index) columns change, and then only
    # those columns: a required column missing from it gets its fallback (id 0), as Debezium's
    # converters do, so the old key differs from the new one and the update is emitted as a
    # key change (delete of {id: 0} + create), which is what Debezium 2.7's
    # PostgresChangeRecordEmitter does with that old key (read from its code).
    check(ops == ["c", "u", "d", "c", "d"], f"REPLICA IDENTITY INDEX ops {ops}")
    if len(ev) == 5:
        check(ev[1]["before"] is None and ev[1]["after"] == {"id": 1, "code": "c1", "v": 11},
              f"update leaving the index columns alone: no before ({ev[1]['before']})")
        check(ev[2]["before"] == {"id": 0, "code": "c1", "v": None} and
              ev[3]["after"] == {"id": 1, "code": "c2", "v": 11},
              f"update of the index column: before has only the old index value ({ev[2]['before']})")
        check(ev[4]["before"] == {"id": 0, "code": "c2", "v": None} and ev[4]["after"] is None,
              f"delete: before has only the index column ({ev[4]['before']})")
    pg.sql("INSERT INTO ri_none VALUES (1, 5)")
    wait_for(lambda: len(values(b, "t.public.ri_none")) >= 1, 30, "the ri_none insert")
    e = values(b, "t.public.ri_none")[0]
    check(e["op"] == "c" and e["before"] is None and e["after"] == {"id": 1, "v": 5},
          f"REPLICA IDENTITY NOTHING insert: {e}")
    try:
        pg.sql("UPDATE ri_none SET v = 6 WHERE id = 1")
        refused = ""
    except PostgresError as err:
        refused = str(err)
    check("does not have a replica identity" in refused,
          f"PostgreSQL refuses UPDATE with REPLICA IDENTITY NOTHING in a publication: {refused[:120]}")


def main():
    t0 = time.monotonic()
    work = temp_dir()
    pg = Postgres()
    pg.start()
    kafka = DevKafka(SLUICE, [f"t.public.{t}:1" for t in ("tx_a", "tx_b", "ri_idx", "ri_none", "m_a", "m_w")] +
                     ["t.transaction:1"])
    worker = None
    try:
        pg.sql("""
          CREATE TABLE tx_a (id int PRIMARY KEY, v text);
          CREATE TABLE tx_b (id int PRIMARY KEY, v text);
          CREATE TABLE ri_idx (id int PRIMARY KEY, code text NOT NULL, v int);
          CREATE UNIQUE INDEX ri_idx_code ON ri_idx (code);
          ALTER TABLE ri_idx REPLICA IDENTITY USING INDEX ri_idx_code;
          CREATE TABLE ri_none (id int PRIMARY KEY, v int);
          ALTER TABLE ri_none REPLICA IDENTITY NOTHING;
          CREATE TABLE m_a (id int PRIMARY KEY, v text);
          CREATE TABLE m_w (id int PRIMARY KEY, v text);
          INSERT INTO tx_a VALUES (1, 'snap');
          INSERT INTO m_a VALUES (1, 'a'), (2, 'b'), (3, 'c');
          INSERT INTO m_w VALUES (1, 'a'), (2, 'b'), (3, 'c');
          GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
          CREATE PUBLICATION t_pub FOR TABLE tx_a, tx_b, ri_idx, ri_none;
          CREATE PUBLICATION a_pub FOR TABLE m_a;
          CREATE PUBLICATION w_pub FOR TABLE m_w;
        """)
        worker = Standalone(SLUICE, kafka.bootstrap, subdir(work, "t"))
        transaction_metadata(pg, kafka, worker.rest)
        replica_identity(pg, kafka)
        worker.stop()
        worker = None
    except Exception as e:  # noqa: BLE001
        check(False, f"{type(e).__name__}: {e}")
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
    print(f"postgres_modes_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
