#!/usr/bin/env python3
"""The PostgreSQL connector's options and special events, end to end on a private PostgreSQL 15
and `sluice dev-kafka` (JsonConverter, schemas.enable=false):

truncate (op t, skipped.operations=none) and logical decoding messages (transactional and not,
topic <prefix>.message); heartbeats with heartbeat.action.query; an unchanged TOASTed column as
unavailable.value.placeholder; DDL mid-stream (a new column appears in the next event);
column.exclude.list, column.mask.with.N.chars, message.key.columns on a table without a primary
key; a worker SIGKILLed in the middle of the initial snapshot (the slot is recreated, the
snapshot redone, nothing lost); a one-million-row transaction (every event, bounded memory); slot.drop.on.stop; publication.autocreate.mode=filtered; a missing REPLICATION
attribute -> FAILED with the SQL that fixes it.

usage: postgres_features_test.py SLUICE_BINARY"""
import base64
import functools
import os
import shutil
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import checks  # noqa: E402
from checks import check, failures, task_state  # noqa: E402
from postgres import Postgres  # noqa: E402
from sluice_process import DevKafka, Standalone, end_offset, proc_stats, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
records = functools.partial(checks.records, parse=True)


def base_config(pg, prefix, slot, **extra):
    cfg = {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password,
        "database.dbname": pg.dbname, "topic.prefix": prefix, "plugin.name": "pgoutput",
        "slot.name": slot, "status.update.interval.ms": "500",
    }
    cfg.update(extra)
    return cfg


def main():
    t0 = time.monotonic()
    work = temp_dir()
    pg = Postgres()
    pg.start()
    kafka = DevKafka(SLUICE, [f"f.public.{t}:1" for t in ("items", "nokey", "toasty", "hb")] +
                     ["f.message:1", "__debezium-heartbeat.f:1", "s.public.a_first:1", "s.public.b_slow:1", "h.public.huge:1"])
    worker = None
    try:
        pg.sql("""
          CREATE TABLE items (id int PRIMARY KEY, name text, secret text);
          CREATE TABLE nokey (code text NOT NULL, v int);
          ALTER TABLE nokey REPLICA IDENTITY FULL;
          CREATE TABLE toasty (id int PRIMARY KEY, big text, small int);
          CREATE TABLE hb (id int PRIMARY KEY, ts timestamptz);
          CREATE TABLE other (id int PRIMARY KEY);
          INSERT INTO items VALUES (1, 'apple', 's1');
          INSERT INTO nokey VALUES ('A', 1);
          GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO debezium;
        """)
        # filtered autocreate: PostgreSQL lets only a table's owner publish it.
        for t in ("items", "nokey", "toasty", "hb"):
            pg.sql(f"ALTER TABLE {t} OWNER TO debezium")
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest
        cfg = base_config(
            pg, "f", "f_slot",
            **{"table.include.list": "public.items,public.nokey,public.toasty,public.hb",
               "publication.name": "f_pub", "publication.autocreate.mode": "filtered",
               "skipped.operations": "none",
               "heartbeat.interval.ms": "300",
               "heartbeat.action.query":
                   "INSERT INTO hb VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = now()",
               "column.exclude.list": "public.items.secret",
               "column.mask.with.5.chars": "public.nokey.code",
               "message.key.columns": "public.nokey:code"})
        code, _, body = rest.request("PUT", "/connectors/f/config", cfg)
        check(code == 201, f"PUT f: {code} {body}")
        wait_for(lambda: len(records(kafka.bootstrap, "f.public.nokey")) >= 1, 60, "the snapshot")
        tables = {r[0] for r in pg.query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'f_pub'")}
        check(tables == {"items", "nokey", "toasty", "hb"},
              f"publication.autocreate.mode=filtered created f_pub for the included tables: {tables}")

        items = records(kafka.bootstrap, "f.public.items")
        check(items[0][1]["after"] == {"id": 1, "name": "apple"}, f"column.exclude.list: {items[0][1]['after']}")
        nk = records(kafka.bootstrap, "f.public.nokey")[0]
        check(nk[0] == {"code": "*****"} and nk[1]["after"] == {"code": "*****", "v": 1},
              f"message.key.columns and column.mask.with.5.chars: key {nk[0]}, row {nk[1]['after']}")

        # Heartbeats, and the action query's changes to hb coming through the stream.
        wait_for(lambda: len(records(kafka.bootstrap, "__debezium-heartbeat.f")) >= 2, 30, "heartbeats")
        hb = records(kafka.bootstrap, "__debezium-heartbeat.f")
        check(hb[0][0] == {"serverName": "f"} and isinstance(hb[0][1]["ts_ms"], int),
              f"heartbeat record {hb[0]}")
        wait_for(lambda: len(records(kafka.bootstrap, "f.public.hb")) >= 2, 30,
                 "heartbeat.action.query changes in the stream")

        # TOAST: an update that leaves the big column alone.
        pg.sql("INSERT INTO toasty SELECT 1, string_agg(md5(random()::text), '') , 1 "
               "FROM generate_series(1, 4000)")
        pg.sql("UPDATE toasty SET small = 2 WHERE id = 1")
        wait_for(lambda: len(records(kafka.bootstrap, "f.public.toasty")) >= 2, 30, "toast events")
        tv = records(kafka.bootstrap, "f.public.toasty")
        check(len(tv[0][1]["after"]["big"]) == 128000, "the inserted TOASTed value arrives whole")
        check(tv[1][1]["after"] == {"id": 1, "big": "__debezium_unavailable_value", "small": 2},
              f"unchanged TOAST -> placeholder: {dict(tv[1][1]['after'], big=tv[1][1]['after']['big'][:40])}")

        # DDL mid-stream.
        pg.sql("ALTER TABLE items ADD COLUMN extra int DEFAULT 7; INSERT INTO items VALUES (2, 'pear', 's2', 9)")
        wait_for(lambda: len(records(kafka.bootstrap, "f.public.items")) >= 2, 30, "the post-DDL insert")
        check(records(kafka.bootstrap, "f.public.items")[1][1]["after"] == {"id": 2, "name": "pear", "extra": 9},
              "a column added mid-stream appears in the next event")
        # The catalog connection is lost: the next Relation message reconnects it and goes on.
        pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE usename = 'debezium' AND backend_type = 'client backend'")
        pg.sql("ALTER TABLE items ADD COLUMN more int; INSERT INTO items VALUES (3, 'plum', 's3', 9, 5)")
        wait_for(lambda: len(records(kafka.bootstrap, "f.public.items")) >= 3, 30, "the insert after the lost catalog connection")
        check(records(kafka.bootstrap, "f.public.items")[2][1]["after"] == {"id": 3, "name": "plum", "extra": 9, "more": 5},
              "after a lost catalog connection the next Relation message reconnected it")
        check("reconnecting the catalog connection" in worker.log_text(), "the reconnection is logged")

        # Truncate and logical decoding messages.
        pg.sql("TRUNCATE items")
        pg.sql("SELECT pg_logical_emit_message(true, 'audit', 'hello'); "
               "SELECT pg_logical_emit_message(false, 'audit', 'outside')")
        wait_for(lambda: len(records(kafka.bootstrap, "f.message")) >= 2, 30, "the messages")
        tr = records(kafka.bootstrap, "f.public.items")[-1]
        check(tr[0] is None and tr[1]["op"] == "t" and tr[1]["before"] is None and tr[1]["after"] is None
              and tr[1]["source"]["table"] == "items", f"truncate event: {tr}")
        msgs = records(kafka.bootstrap, "f.message")
        m0, m1 = msgs[0][1], msgs[1][1]
        check(msgs[0][0] == {"prefix": "audit"} and m0["op"] == "m" and
              m0["message"] == {"prefix": "audit", "content": base64.b64encode(b"hello").decode()} and
              m0["source"]["txId"] is not None and m0["source"]["table"] == "",
              f"transactional message: {msgs[0]}")
        check(m1["message"]["content"] == base64.b64encode(b"outside").decode() and
              m1["source"]["txId"] is None, f"non-transactional message: {m1}")
        check(list(m0) == ["op", "ts_ms", "source", "message"], f"message value fields {list(m0)}")
        rest.request("DELETE", "/connectors/f")

        # A user without REPLICATION: FAILED with the statement that fixes it.
        pg.sql("CREATE ROLE norepl LOGIN PASSWORD 'dbz-secret'")
        bad = base_config(pg, "n", "n_slot", **{"database.user": "norepl", "publication.name": "f_pub"})
        rest.request("PUT", "/connectors/n/config", bad)
        wait_for(lambda: task_state(rest, "n")[0] == "FAILED", 60, "the task without REPLICATION to fail")
        trace = task_state(rest, "n")[1]
        check('ALTER ROLE "norepl" REPLICATION' in trace, f"missing REPLICATION: {trace[:200]}")
        rest.request("DELETE", "/connectors/n")

        # SIGKILL in the middle of the initial snapshot: tables are read in name order, and a
        # row-level security policy that sleeps per row (while ctl.slow) holds the snapshot in
        # the second table.
        rows = 3000
        pg.sql(f"""CREATE TABLE a_first (id int PRIMARY KEY, pad text);
               CREATE TABLE b_slow (id int PRIMARY KEY, pad text);
               CREATE TABLE ctl (slow boolean); INSERT INTO ctl VALUES (true);
               CREATE FUNCTION gate() RETURNS boolean LANGUAGE sql STABLE AS
                 $$ SELECT CASE WHEN (SELECT slow FROM ctl) THEN pg_sleep(0.01) IS NOT NULL ELSE true END $$;
               ALTER TABLE b_slow ENABLE ROW LEVEL SECURITY;
               CREATE POLICY slow ON b_slow FOR SELECT USING (gate());
               GRANT SELECT ON a_first, b_slow, ctl TO debezium;
               INSERT INTO a_first SELECT g, repeat('x', 50) FROM generate_series(1, {rows}) g;
               INSERT INTO b_slow SELECT g, repeat('y', 50) FROM generate_series(1, {rows}) g;
               CREATE PUBLICATION s_pub FOR TABLE a_first, b_slow""")
        scfg = base_config(pg, "s", "s_slot", **{"publication.name": "s_pub",
                                                 "table.include.list": "public.a_first,public.b_slow"})
        rest.request("PUT", "/connectors/s/config", scfg)
        wait_for(lambda: len(records(kafka.bootstrap, "s.public.a_first")) >= rows - 1, 60,
                 "the first table's snapshot")
        time.sleep(1.5)  # an offset flush with snapshot=true
        worker.stop(signal.SIGKILL)
        check(len(records(kafka.bootstrap, "s.public.b_slow")) == 0, "killed mid-snapshot")
        pg.sql("UPDATE ctl SET slow = false; INSERT INTO b_slow VALUES (0, 'after the kill'); "
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'debezium'")
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest

        def complete():
            ev = records(kafka.bootstrap, "s.public.b_slow")
            return any(v and v["source"]["snapshot"] == "last" for _, v in ev)
        wait_for(complete, 60, "the redone snapshot")
        a = [k["id"] for k, _ in records(kafka.bootstrap, "s.public.a_first")]
        b = [k["id"] for k, _ in records(kafka.bootstrap, "s.public.b_slow")]
        check(set(a) == set(range(1, rows + 1)) and set(b) == set(range(0, rows + 1)),
              f"after the redone snapshot every row is there ({len(set(a))} + {len(set(b))})")
        check(len(b) == rows + 1, f"the second table was read once ({len(b)} events)")
        check("dropping slot 's_slot'" in worker.log_text(),
              "the interrupted snapshot dropped and recreated its slot")
        pg.sql("INSERT INTO b_slow VALUES (-1, 'streamed')")
        wait_for(lambda: any(k["id"] == -1 for k, _ in records(kafka.bootstrap, "s.public.b_slow")), 30,
                 "streaming after the snapshot")

        # One transaction of a million rows: streamed through the bounded queue, memory flat.
        pg.sql("CREATE TABLE huge (id int PRIMARY KEY); GRANT SELECT ON huge TO debezium; "
               "CREATE PUBLICATION h_pub FOR TABLE huge")
        rest.request("PUT", "/connectors/h/config", base_config(
            pg, "h", "h_slot", **{"publication.name": "h_pub", "snapshot.mode": "no_data",
                                  "slot.drop.on.stop": "true"}))
        wait_for(lambda: (pg.slot("h_slot") or (0, False))[1], 60, "the h slot streaming")
        rss_before = proc_stats(worker.proc.pid)[1]
        t = time.monotonic()
        pg.sql("INSERT INTO huge SELECT generate_series(1, 1000000)")
        peak = [0.0]

        def drained():
            st = proc_stats(worker.proc.pid)
            if st:
                peak[0] = max(peak[0], st[1])
            return end_offset(kafka.bootstrap, "h.public.huge") >= 1_000_000
        wait_for(drained, 120, "the million-row transaction")
        secs = time.monotonic() - t
        time.sleep(1)
        n = end_offset(kafka.bootstrap, "h.public.huge")
        print(f"1M-row transaction: {secs:.1f}s ({1_000_000 / secs:,.0f} events/s), worker peak RSS "
              f"{peak[0]:.0f} MB (before {rss_before:.0f} MB)", flush=True)
        check(n == 1_000_000, f"a 1M-row transaction gives 1M events ({n})")
        check(peak[0] < 256, f"memory stays bounded during the 1M-row transaction ({peak[0]:.0f} MB)")
        rest.request("DELETE", "/connectors/h")
        wait_for(lambda: pg.slot("h_slot") is None, 30, "slot.drop.on.stop to drop h_slot")
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
    print(f"postgres_features_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
