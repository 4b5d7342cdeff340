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
- snapshot.mode after a restart (Debezium 2.7's semantics, ../shared/spec/debezium.md 6.1: always =
  a snapshot at every start; initial = only without offsets or after an unfinished snapshot;
  when_needed = also when the stored position is not available on the server, i.e. the slot is
  gone; initial_only = the snapshot, then the task idles without streaming). One connector on
  m_a and m_b, the worker stopped with SIGTERM and changes made while it is down each time:
  always with the slot and offsets present reads every table again (op r, the rows as they are),
  the changes made while down come once after the snapshot or not at all (covered by it), and
  their count is what the log says was re-emitted; initial afterwards: no snapshot, the change
  made while down streamed once; when_needed with slot and offsets: the same; when_needed after
  the slot was dropped while down: a new snapshot and the task RUNNING, not FAILED. After each
  start the last event per key equals the table. initial_only on m_w: snapshot, then RUNNING
  with no streamed event and the log saying so.

usage: postgres_modes_test.py SLUICE_BINARY"""
import functools
import json
import os
import re
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import checks  # noqa: E402
from checks import check, failures, task_state  # noqa: E402
from postgres import Postgres, PostgresError  # noqa: E402
from sluice_process import DevKafka, Standalone, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
records = functools.partial(checks.records, parse=True)


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


def last_per_key(evs):
    """{id: after} from the last event per key (a delete or a tombstone removes the key)."""
    state = {}
    for k, v in evs:
        if v is None or v["op"] == "d":
            state.pop(k["id"], None)
        else:
            state[k["id"]] = v["after"]
    return state


def table_rows(pg, table):
    return {int(r[0]): {"id": int(r[0]), "v": r[1]} for r in pg.query(f"SELECT id, v FROM {table}")}


def snapshot_modes(pg, kafka, work):
    """snapshot.mode always / initial / when_needed / initial_only after SIGTERM restarts."""
    live = []
    try:
        _snapshot_modes(pg, kafka, work, live)
    except Exception:
        if live:
            print("worker log tail:\n" + "\n".join(live[-1].log_text().splitlines()[-30:]))
        raise
    finally:
        for w in live:
            try:
                w.stop()
            except Exception:  # noqa: BLE001
                w.proc.kill()


def _snapshot_modes(pg, kafka, work, live):
    b = kafka.bootstrap
    t0 = time.monotonic()

    def step(what):
        print(f"-- {time.monotonic() - t0:5.1f}s snapshot modes: {what}", flush=True)
    wdir = subdir(work, "m")
    topics = ("a.public.m_a", "a.public.m_b")

    def evs(t):
        return records(b, t)

    def start(mode):
        w = Standalone(SLUICE, b, wdir)
        live.append(w)
        mark = len(w.log_text())
        code, _, body = w.rest.request("PUT", "/connectors/a/config", config(pg, "a", **{
            "snapshot.mode": mode, "table.include.list": "public.m_a,public.m_b"}))
        check(code == 201, f"PUT a with snapshot.mode={mode}: {code} {body}")
        return w, mark

    def stop(w):
        time.sleep(1.2)  # an offset flush (offset.flush.interval.ms=500), then SIGTERM (commits too)
        check(w.stop() == 0, "the worker stops cleanly on SIGTERM")
        live.remove(w)
        # Sluice keeps REST-created connectors in <offsets>.connectors.json; without it the next
        # start has the offsets only (as Java's standalone worker), and the connector is created
        # with the next snapshot.mode before it runs at all.
        os.remove(os.path.join(wdir, "offsets.connectors.json"))

    def settled(w, name, want_a, want_b=None):
        got = {}

        def ready():
            got["a"] = evs(topics[0])
            if len(got["a"]) < want_a or last_per_key(got["a"]) != table_rows(pg, "m_a"):
                return False
            got["b"] = evs(topics[1])
            return want_b is None or len(got["b"]) >= want_b
        try:
            wait_for(ready, 30, name)
        except AssertionError:
            got.setdefault("b", evs(topics[1]))
        check(last_per_key(got["a"]) == table_rows(pg, "m_a") and
              last_per_key(got["b"]) == table_rows(pg, "m_b"),
              f"{name}: the last event per key equals the tables (nothing lost)")
        state = task_state(w.rest, "a")
        check(state[0] == "RUNNING", f"{name}: task RUNNING ({state})")

    # 1. initial: the first snapshot, one streamed change.
    step("initial, first start")
    w, _ = start("initial")
    wait_for(lambda: len(evs(topics[0])) >= 3 and len(evs(topics[1])) >= 2, 30, "the first snapshot")
    pg.sql("INSERT INTO m_a VALUES (4, 'd')")
    settled(w, "initial, first start", 4, 2)
    n_a, n_b = len(evs(topics[0])), len(evs(topics[1]))
    ops = [v["op"] for _, v in evs(topics[0])]
    check(ops == ["r", "r", "r", "c"], f"first start: 3 reads, 1 create ({ops})")
    stop(w)

    # 2. always with slot and offsets present, changes made while down.
    step("always after a restart")
    check(pg.slot("a_slot") is not None, "the slot a_slot exists while the worker is down")
    pg.sql("INSERT INTO m_a VALUES (5, 'e'); UPDATE m_a SET v = 'A' WHERE id = 1; DELETE FROM m_a WHERE id = 2; "
           "BEGIN; INSERT INTO m_a VALUES (6, 'f'); UPDATE m_a SET v = 'F' WHERE id = 6; COMMIT; "
           "UPDATE m_b SET v = 'B' WHERE id = 1")
    down_changes = 6  # create 5, update 1, delete 2, create 6, update 6, update m_b 1
    rows_a, rows_b = table_rows(pg, "m_a"), table_rows(pg, "m_b")
    w, mark = start("always")
    wait_for(lambda: "snapshot done: 2 tables" in w.log_text()[mark:], 30, "the always snapshot")
    pg.sql("INSERT INTO m_a VALUES (7, 'g')")  # its BEGIN also ends the re-emitted range
    wait_for(lambda: "were streamed again after it" in w.log_text()[mark:], 30, "the re-emitted count in the log")
    wait_for(lambda: any(k["id"] == 7 for k, _ in evs(topics[0])[n_a:]), 30, "the change after the restart")
    new_a, new_b = evs(topics[0])[n_a:], evs(topics[1])[n_b:]
    reads_a = [v["after"] for _, v in new_a if v and v["op"] == "r"]
    reads_b = [v["after"] for _, v in new_b if v and v["op"] == "r"]
    check({r["id"]: r for r in reads_a} == rows_a and len(reads_a) == len(rows_a) and
          {r["id"]: r for r in reads_b} == rows_b and len(reads_b) == len(rows_b),
          f"always: every table read again as it is ({len(reads_a)} + {len(reads_b)} op r)")
    first_stream = next(i for i, (_, v) in enumerate(new_a) if v is None or v["op"] != "r")
    check(all(v and v["op"] == "r" for _, v in new_a[:first_stream]) and
          all(v is None or v["op"] != "r" for _, v in new_a[first_stream:]),
          "always: the snapshot reads come before the streamed events")
    restreamed = [v for _, v in new_a[first_stream:] + [e for e in new_b if e[1] is None or e[1]["op"] != "r"]
                  if v is not None and v["after"] != {"id": 7, "v": "g"}]
    m = re.search(r"; (\d+) change events committed before that were streamed again", w.log_text()[mark:])
    logged = int(m.group(1)) if m else -1
    print(f"  always: {len(restreamed)} of the {down_changes} changes made while down streamed again after "
          f"the snapshot; the log says {logged}", flush=True)
    check(len(restreamed) in (0, down_changes) and logged == len(restreamed),
          f"always: the changes made while down come once after the snapshot or are covered by it, and "
          f"the log counts them ({len(restreamed)} streamed, {logged} logged)")
    settled(w, "always", 0)
    n_a, n_b = len(evs(topics[0])), len(evs(topics[1]))
    stop(w)

    # 3. initial with offsets present: no snapshot again; the change made while down streamed once.
    step("initial with offsets")
    pg.sql("INSERT INTO m_a VALUES (8, 'h')")
    w, mark = start("initial")
    wait_for(lambda: len(evs(topics[0])) >= n_a + 1, 30, "the change made while down (initial)")
    time.sleep(1.0)
    new = evs(topics[0])[n_a:]
    check([(k["id"], v["op"]) for k, v in new] == [(8, "c")] and len(evs(topics[1])) == n_b and
          "snapshot done" not in w.log_text()[mark:],
          f"initial with offsets: no snapshot, the change made while down once: {[(k, v and v['op']) for k, v in new]}")
    settled(w, "initial with offsets", 0)
    n_a = len(evs(topics[0]))
    stop(w)

    # 4. when_needed with slot and offsets: no snapshot, streaming resumes.
    step("when_needed with slot and offsets")
    pg.sql("INSERT INTO m_a VALUES (9, 'i'); DELETE FROM m_a WHERE id = 8")
    w, mark = start("when_needed")
    wait_for(lambda: len(evs(topics[0])) >= n_a + 3, 30, "the changes made while down (when_needed)")
    time.sleep(1.0)
    new = evs(topics[0])[n_a:]
    check([(k["id"], v and v["op"]) for k, v in new] == [(9, "c"), (8, "d"), (8, None)] and
          len(evs(topics[1])) == n_b and "snapshot done" not in w.log_text()[mark:],
          f"when_needed with slot and offsets: no snapshot, streaming resumed: {[(k, v and v['op']) for k, v in new]}")
    settled(w, "when_needed with slot", 0)
    n_a = len(evs(topics[0]))
    stop(w)

    # 5. when_needed after the slot was dropped while down: a new snapshot, not FAILED.
    step("when_needed without the slot")
    def drop():
        try:
            pg.sql("SELECT pg_drop_replication_slot('a_slot')")
        except PostgresError:  # the walsender may still be exiting
            return False
        return True
    wait_for(drop, 15, "dropping a_slot while the worker is down")
    pg.sql("INSERT INTO m_a VALUES (10, 'j')")
    rows_a = table_rows(pg, "m_a")
    w, mark = start("when_needed")
    wait_for(lambda: "snapshot done: 2 tables" in w.log_text()[mark:], 30, "the when_needed snapshot")
    pg.sql("INSERT INTO m_a VALUES (11, 'k')")
    wait_for(lambda: any(k["id"] == 11 for k, _ in evs(topics[0])[n_a:]), 30, "streaming after the new snapshot")
    new = evs(topics[0])[n_a:]
    reads = [v["after"] for _, v in new if v and v["op"] == "r"]
    check({r["id"]: r for r in reads} == rows_a and len(reads) == len(rows_a) and
          [(k["id"], v["op"]) for k, v in new[len(reads):]] == [(11, "c")] and pg.slot("a_slot") is not None,
          f"when_needed without the slot: a new slot and snapshot ({len(reads)} reads), then streaming")
    settled(w, "when_needed after the slot was dropped", 0)
    w.rest.request("DELETE", "/connectors/a")

    # 6. initial_only: the snapshot, then the task stays RUNNING without streaming.
    step("initial_only")
    mark = len(w.log_text())
    code, _, _ = w.rest.request("PUT", "/connectors/w/config", config(pg, "w", **{
        "snapshot.mode": "initial_only", "table.include.list": "public.m_w"}))
    wait_for(lambda: len(records(b, "w.public.m_w")) >= 3, 30, "the initial_only snapshot")
    wait_for(lambda: "initial_only: the snapshot is done; not streaming" in w.log_text()[mark:], 15,
             "the initial_only log line")
    pg.sql("INSERT INTO m_w VALUES (4, 'd')")
    time.sleep(2.0)
    ops = [v["op"] for _, v in records(b, "w.public.m_w")]
    check(ops == ["r", "r", "r"] and task_state(w.rest, "w")[0] == "RUNNING",
          f"initial_only: 3 reads, nothing streamed, task RUNNING ({ops}, {task_state(w.rest, 'w')[0]})")
    step("done")


def main():
    t0 = time.monotonic()
    work = temp_dir()
    # synchronous_commit on (the harness turns it off): the snapshot's LSN is pg_current_wal_lsn(),
    # as Debezium's, the WAL *write* position; with asynchronous commits it can lag behind commits
    # the snapshot already sees, and those would be streamed again without being counted.
    pg = Postgres(config={"synchronous_commit": "on"})
    pg.start()
    kafka = DevKafka(SLUICE, [f"t.public.{t}:1" for t in ("tx_a", "tx_b", "ri_idx", "ri_none")] +
                     ["a.public.m_a:1", "a.public.m_b:1", "w.public.m_w:1"] +
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
          CREATE TABLE m_b (id int PRIMARY KEY, v text);
          CREATE TABLE m_w (id int PRIMARY KEY, v text);
          INSERT INTO tx_a VALUES (1, 'snap');
          INSERT INTO m_a VALUES (1, 'a'), (2, 'b'), (3, 'c');
          INSERT INTO m_b VALUES (1, 'a'), (2, 'b');
          INSERT INTO m_w VALUES (1, 'a'), (2, 'b'), (3, 'c');
          GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
          CREATE PUBLICATION t_pub FOR TABLE tx_a, tx_b, ri_idx, ri_none;
          CREATE PUBLICATION a_pub FOR TABLE m_a, m_b;
          CREATE PUBLICATION w_pub FOR TABLE m_w;
        """)
        worker = Standalone(SLUICE, kafka.bootstrap, subdir(work, "t"))
        transaction_metadata(pg, kafka, worker.rest)
        replica_identity(pg, kafka)
        worker.stop()
        worker = None
        snapshot_modes(pg, kafka, work)
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
