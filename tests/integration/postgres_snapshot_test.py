#!/usr/bin/env python3
"""The PostgreSQL connector's parallel chunked snapshot (snapshot.max.threads=3), end to end on
a private PostgreSQL 15 and `sluice dev-kafka` (JsonConverter, schemas.enable=false).

Four tables (a big one of BIG_ROWS rows, one without a key, an empty one, a small one) while a
writer inserts, updates and deletes in the big and the small table before, during and after
the snapshot. Checks:
- the big table is read in ctid chunks by three reader connections at once (pg_stat_activity
  sampled during the snapshot shows COPYs of several ctid chunks from three backends), and
  the log says 3 reader threads;
- every row ends up exactly once as a snapshot read (r) or a create (c): no id has two, every
  id of the final table has one, and replaying the events (r/c/u set, d remove) gives exactly
  the table's final contents; the writer's inserts fall on both sides of the hand-over (some
  as r, some as c);
- the snapshot keeps the table order (tables by name) and row order inside each table (the big
  table's r events come in ctid order = insertion order of the untouched rows) and Debezium's
  markers: `first` once (first row of the first table), `first_in_data_collection` /
  `last_in_data_collection` per table, `true` in between, `last` once (the last record);
- memory is bounded: the worker's peak RSS stays under RSS_LIMIT_MB although the big table is
  much larger;
- snapshot.mode=always afterwards (the slot exists, so the readers import the coordinator's
  own exported snapshot) reads every row again, with 3 readers.

usage: postgres_snapshot_test.py SLUICE_BINARY"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from postgres import Postgres  # noqa: E402
from sluice_process import DevKafka, Standalone, end_offset, kcat_lines, proc_stats, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
BIG_ROWS = 80_000
BIG_PARTITIONS = 32  # dev-kafka (librdkafka's mock) keeps only about 5 MB per partition
PAD = 640           # bytes per big row: the table is about 55 MB
RSS_LIMIT_MB = 128   # issue 8's target; holding the table's rows would take far more
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def by_partition(bootstrap, topic):
    """{partition: [(key, value)] in offset order}, tombstones left out."""
    out = {}
    for line in kcat_lines(bootstrap, topic, fmt="%p\t%K\t%k\t%S\t%s\\n"):
        parts = line.split("\t", 4)
        if len(parts) == 5 and parts[3] != "-1":
            out.setdefault(int(parts[0]), []).append(
                (json.loads(parts[2]) if parts[1] != "-1" else None, json.loads(parts[4])))
    return out


def records(bootstrap, topic):
    """All records of a topic, partition after partition (each key stays in its partition)."""
    return [r for _, recs in sorted(by_partition(bootstrap, topic).items()) for r in recs]


class Writer(threading.Thread):
    """Changes in the big and the small table through one psql session, until stopped."""

    def __init__(self, pg):
        super().__init__(daemon=True)
        env = dict(os.environ, PGPASSWORD=pg.password)
        self.psql = subprocess.Popen([pg.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                      "-p", str(pg.port), "-U", "postgres", "-d", pg.dbname],
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        self.stop_flag = threading.Event()
        self.inserted = []
        self.statements = 0

    def run(self):
        rnd = random.Random(8)
        next_id = 10_000_000
        while not self.stop_flag.is_set():
            next_id += 1
            self.inserted.append(next_id)
            upd, dele = rnd.randint(1, BIG_ROWS), rnd.randint(1, BIG_ROWS)
            self.psql.stdin.write(
                f"INSERT INTO a_big VALUES ({next_id}, 'w{next_id}');"
                f"UPDATE a_big SET pad = 'u{next_id}' WHERE id = {upd};"
                f"DELETE FROM a_big WHERE id = {dele};"
                f"INSERT INTO d_small VALUES ({next_id}, 'w') ON CONFLICT DO NOTHING;\n")
            self.psql.stdin.flush()
            self.statements += 4
            time.sleep(0.01)

    def finish(self):
        self.stop_flag.set()
        self.join()
        self.psql.stdin.close()
        self.psql.wait(timeout=60)


def sample_readers(pg, seen, stop):
    """Which backends COPY which ctid chunk (by its first page), sampled while the snapshot runs."""
    while not stop.is_set():
        for pid, q in pg.query("SELECT pid, query FROM pg_stat_activity WHERE usename = 'debezium' "
                               "AND query LIKE 'COPY (SELECT % WHERE ctid%) TO STDOUT'"):
            m = re.search(r"ctid >= '\((\d+),0\)'", q or "")
            seen.add((pid, int(m.group(1)) if m else 0))  # the first chunk has no lower bound
        time.sleep(0.05)


def replay(events):
    """Table state from change events keyed by id; counts of r/c per id."""
    state, created = {}, {}
    for key, v in events:
        op = v["op"]
        if op in ("r", "c", "u"):
            state[key["id"]] = v["after"]
            if op in ("r", "c"):
                created[key["id"]] = created.get(key["id"], 0) + 1
        elif op == "d":
            state.pop(key["id"], None)
    return state, created


def main():
    t0 = time.monotonic()
    work = temp_dir()
    pg = Postgres()
    pg.start()
    kafka = DevKafka(SLUICE, [f"p.public.a_big:{BIG_PARTITIONS}"] +
                     [f"p.public.{t}:1" for t in ("b_nokey", "c_empty", "d_small")])
    worker = writer = None
    try:
        pg.sql(f"""
          CREATE TABLE a_big (id bigint PRIMARY KEY, pad text);
          CREATE TABLE b_nokey (code int, v text);
          CREATE TABLE c_empty (id int PRIMARY KEY);
          CREATE TABLE d_small (id bigint PRIMARY KEY, v text);
          INSERT INTO a_big SELECT g, repeat(md5(g::text), {PAD // 32}) FROM generate_series(1, {BIG_ROWS}) g;
          INSERT INTO b_nokey SELECT g, 'n' || g FROM generate_series(1, 300) g;
          INSERT INTO d_small VALUES (1, 'one'), (2, 'two');
          GRANT SELECT ON ALL TABLES IN SCHEMA public TO debezium;
          CREATE PUBLICATION p_pub FOR TABLE a_big, b_nokey, c_empty, d_small;
          VACUUM ANALYZE;""")
        pages = int(pg.scalar("SELECT pg_relation_size('a_big') / 8192"))
        print(f"a_big: {BIG_ROWS} rows, {pages} pages", flush=True)
        # The producer's own buffer (librdkafka, 1 GB by default) is limited, so what the peak RSS
        # measures is the connector's share.
        worker = Standalone(SLUICE, kafka.bootstrap, work, extra={"producer.buffer.memory": str(8 << 20)})
        rss_before = proc_stats(worker.proc.pid)[1]
        writer = Writer(pg)
        writer.start()
        time.sleep(0.5)  # writes before the slot exists: they must come as snapshot reads
        seen, stop_sampling = set(), threading.Event()
        sampler = threading.Thread(target=sample_readers, args=(pg, seen, stop_sampling), daemon=True)
        sampler.start()
        cfg = {
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "database.hostname": "127.0.0.1", "database.port": str(pg.port),
            "database.user": pg.user, "database.password": pg.password,
            "database.dbname": pg.dbname, "topic.prefix": "p", "plugin.name": "pgoutput",
            "slot.name": "p_slot", "publication.name": "p_pub", "publication.autocreate.mode": "disabled",
            "snapshot.max.threads": "3", "snapshot.fetch.size": "1000",
        }
        code, _, body = worker.rest.request("PUT", "/connectors/p/config", cfg)
        check(code == 201, f"PUT p: {code} {body}")
        snap_start = time.monotonic()

        def snapshot_done():
            return any(v["source"].get("snapshot") == "last" for _, v in records(kafka.bootstrap, "p.public.d_small"))
        wait_for(snapshot_done, 90, "the snapshot's last record")
        snap_secs = time.monotonic() - snap_start
        stop_sampling.set()
        sampler.join()
        time.sleep(1.0)  # writes after the snapshot: they come streamed
        writer.finish()
        print(f"snapshot of about {BIG_ROWS} rows in {snap_secs:.1f} s; writer ran "
              f"{writer.statements} statements", flush=True)

        log = worker.log_text()
        check("with 3 reader threads" in log, "the log says the snapshot used 3 reader threads")
        pids = {p for p, _ in seen}
        chunks = {c for _, c in seen}
        check(len(pids) >= 3 and len(chunks) >= 4,
              f"three reader backends copied ctid chunks at once: {len(pids)} backends, chunks {sorted(chunks)}")
        check(re.search(r"snapshot done: 4 tables, \d+ rows in \d+ ms \(\d+ rows/s, 3 reader threads\)", log)
              is not None, "the snapshot's summary in the log")
        if snap_secs > 6:  # progress lines come every 5 s
            check(re.search(r"snapshot: \d+ of 4 tables done; public\.a_big \d+ of about \d+ rows; \d+ rows in "
                            r"\d+ s \(\d+ rows/s\)", log) is not None, "progress lines in the log")

        # Everything streamed: the final table equals the replay, every row created exactly once.
        final_big = {int(r[0]): r[1] for r in pg.query("SELECT id, pad FROM a_big")}
        final_small = {int(r[0]): r[1] for r in pg.query("SELECT id, v FROM d_small")}

        def caught_up():
            s, _ = replay(records(kafka.bootstrap, "p.public.a_big"))
            return len(s) == len(final_big)
        try:
            wait_for(caught_up, 60, "the streamed changes")
        except AssertionError as e:
            print(e)
        time.sleep(1.0)
        big = records(kafka.bootstrap, "p.public.a_big")
        state, created = replay(big)
        check({k: v["pad"] for k, v in state.items()} == final_big,
              f"a_big replayed from its events equals the table ({len(state)} vs {len(final_big)} rows)")
        extra = sorted(set(state) - set(final_big))[:5]
        lost = sorted(set(final_big) - set(state))[:5]
        diff = sorted(k for k in set(state) & set(final_big) if state[k]["pad"] != final_big[k])[:5]
        print(f"  replay: extra {extra}, lost {lost}, different {diff}", flush=True)
        dup = [k for k, n in created.items() if n > 1]
        check(not dup, f"no row both read and created (or read twice): {dup[:5]}")
        missing = [k for k in final_big if created.get(k, 0) != 1]
        check(not missing, f"every row of the table was read or created exactly once: missing {missing[:5]}")
        w_read = sum(1 for _, v in big if v["op"] == "r" and v["after"]["id"] >= 10_000_000)
        w_created = sum(1 for _, v in big if v["op"] == "c" and v["after"]["id"] >= 10_000_000)
        check(w_read > 0 and w_created > 0,
              f"the writer's inserts fall on both sides of the hand-over: {w_read} read, {w_created} created")
        small = records(kafka.bootstrap, "p.public.d_small")
        sstate, screated = replay(small)
        check({k: v["v"] for k, v in sstate.items()} == final_small and all(n == 1 for n in screated.values()),
              f"d_small replayed equals the table ({len(sstate)} rows), each row once")
        nokey = records(kafka.bootstrap, "p.public.b_nokey")
        check(sorted(v["after"]["code"] for _, v in nokey) == list(range(1, 301)) and
              all(v["op"] == "r" for _, v in nokey), f"b_nokey: 300 snapshot reads ({len(nokey)})")
        check(records(kafka.bootstrap, "p.public.c_empty") == [], "c_empty: no records")

        # Order and markers of the snapshot records, table by table (a_big, b_nokey, d_small).
        def markers(events):
            return [v["source"]["snapshot"] for _, v in events if v["op"] == "r"]
        mb, mn, ms = markers(big), markers(nokey), markers(small)
        parts = by_partition(kafka.bootstrap, "p.public.a_big")
        check(len(parts) > 1, f"a_big spread over {len(parts)} partitions")
        firsts = [p for p, recs in parts.items() if markers(recs)[:1] == ["first"]]
        lasts = [p for p, recs in parts.items() if markers(recs)[-1:] == ["last_in_data_collection"]]
        check(mb.count("first") == 1 and mb.count("last_in_data_collection") == 1 and
              mb.count("true") == len(mb) - 2 and len(firsts) == 1 and len(lasts) == 1,
              f"a_big markers: one first (first in its partition), one last_in_data_collection (last read "
              f"in its partition), true for the other {mb.count('true')}")
        check(mn[0] == "first_in_data_collection" and mn[-1] == "last_in_data_collection" and
              set(mn[1:-1]) == {"true"}, f"b_nokey markers ({mn[:2]} ... {mn[-2:]})")
        check(ms[0] == "first_in_data_collection" and ms[-1] == "last" and set(ms[1:-1]) <= {"true"},
              f"d_small markers end with last ({ms})")
        check(sum(m == "last" for m in mb + mn + ms) == 1 and sum(m == "first" for m in mb + mn + ms) == 1,
              "one first and one last marker in the whole snapshot")
        in_order = reads_first = True
        for recs in parts.values():
            untouched = [v["after"]["id"] for _, v in recs
                         if v["op"] == "r" and not v["after"]["pad"].startswith(("u", "w"))]
            in_order = in_order and untouched == sorted(untouched)
            ops = [v["op"] for _, v in recs]
            reads_first = reads_first and all(o == "r" for o in ops[:ops.count("r")])
        check(in_order, "the big table's untouched rows come in ctid (insertion) order (in every partition)")
        check(reads_first, "a_big: all snapshot reads before any streamed change (in every partition)")

        stats = proc_stats(worker.proc.pid)
        check(stats is not None and stats[1] < RSS_LIMIT_MB,
              f"bounded memory: worker peak RSS {stats[1] if stats else '?':.0f} MB (before the snapshot "
              f"{rss_before:.0f} MB) < {RSS_LIMIT_MB} MB for a table of {pages * 8 // 1024} MB")
        r_count = sum(1 for _, v in big if v["op"] == "r") + len(nokey) + len(markers(small))
        print(f"snapshot rate seen by the test (kcat polling, concurrent writes, 3 threads): {r_count / snap_secs:,.0f} rows/s", flush=True)

        # snapshot.mode=always with the existing slot: no exported slot snapshot, so the readers
        # import the coordinator's own (pg_export_snapshot) and read the tables again.
        ends = sum(end_offset(kafka.bootstrap, "p.public.a_big", p) for p in range(BIG_PARTITIONS))
        code, _, body = worker.rest.request("PUT", "/connectors/p/config", dict(cfg, **{"snapshot.mode": "always"}))
        check(code == 200, f"PUT p with snapshot.mode=always: {code}")
        wait_for(lambda: worker.log_text().count("snapshot done: 4 tables") == 2, 60, "the second snapshot")
        wait_for(lambda: sum(1 for _, v in records(kafka.bootstrap, "p.public.b_nokey") if v["op"] == "r") == 600,
                 30, "b_nokey read again")
        grown = sum(end_offset(kafka.bootstrap, "p.public.a_big", p) for p in range(BIG_PARTITIONS)) - ends
        check(grown == len(final_big), f"snapshot.mode=always read a_big again: {grown} records "
              f"for {len(final_big)} rows")
        check(worker.log_text().count("3 reader threads)") == 2, "the second snapshot also used 3 readers")
    finally:
        if writer is not None and writer.is_alive():
            writer.finish()
        if worker is not None:
            worker.stop()
        kafka.stop()
        pg.stop()
    if failures:
        print(f"{len(failures)} FAILED (worker log in {work})")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print(f"all ok in {time.monotonic() - t0:.0f}s")


if __name__ == "__main__":
    main()
