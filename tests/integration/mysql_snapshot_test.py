#!/usr/bin/env python3
"""The MySQL/MariaDB connector's snapshot with several readers (snapshot.max.threads=3): a private
MariaDB (tests/support/mariadb.py), `sluice dev-kafka`, `sluice standalone` with sluice-mysql.

Tables of database `ms`: `a` (INT key, 2,000 rows), `big` (INT key, 40,000 rows, read in
primary-key chunks: sluice.snapshot.chunk.rows=5000), `comp` (two-column key: one reader, whole
table), `empty` (no rows).

1. writes: a writer inserts, updates and deletes in `a` and `big` while the snapshot runs. After
   snapshot + streaming the last event per key equals the table, every key arrives exactly once as
   `r` or `c` (no snapshot row doubled by the binlog, none lost), the readers shared the work
   (3 readers, `big` in chunks), the writer kept committing while the readers worked (the lock
   is held only while the readers start), and the markers are right: one `first` and one `last`
   overall, per table one first (`first` or `first_in_data_collection`) and one last
   (`last_in_data_collection` or `last`), and on one-partition topics the first and last `r`
   records carry them.
2. no RELOAD: a user without RELOAD gets LOCK TABLES ... READ of the captured tables, still with
   three readers: every row once, markers right.
3. SIGKILL mid-snapshot (3 readers, small queue), rows changed while down, restart: a fresh
   snapshot completes (one `last`) and Kafka's last event per key equals the table.

usage: mysql_snapshot_test.py SLUICE_BINARY
"""
import json
import os
import re
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import checks  # noqa: E402
from checks import check, failures, passed  # noqa: E402
from mariadb import MariaDB  # noqa: E402
from sluice_process import DevKafka, Standalone, end_offset, kcat_lines, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
checks.print_passes = False  # hundreds of checks: only failures are printed
KAFKA = [""]
BIG_ROWS = 40000
A_ROWS = 2000
BIG_PARTITIONS = 4  # dev-kafka keeps about 5 MB per partition
TABLES = ["a", "big", "comp", "empty"]
PREFIXES = ["w3", "nr", "k3"]


def config(db, prefix, server_id, user="cdc", **extra):
    cfg = {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "tasks.max": "1",
           "database.hostname": "127.0.0.1", "database.port": str(db.port), "database.user": user,
           "database.password": "cdc-pw", "database.server.id": str(server_id), "topic.prefix": prefix,
           "schema.history.internal.kafka.topic": "history." + prefix,
           "schema.history.internal.kafka.bootstrap.servers": KAFKA[0],
           "table.include.list": "ms\\..*", "snapshot.max.threads": "3", "sluice.snapshot.chunk.rows": "5000",
           "max.batch.size": "200", "max.queue.size": "400"}
    cfg.update(extra)
    return cfg


def partitions(table):
    return BIG_PARTITIONS if table == "big" else 1


def records(prefix, table):
    """(key dict, value dict or None) per record, partition by partition."""
    out = []
    for line in kcat_lines(KAFKA[0], f"{prefix}.ms.{table}", fmt="%k\t%S\t%s\\n"):
        k, size, v = line.split("\t", 2)
        out.append((json.loads(k), None if size == "-1" else json.loads(v)))
    return out


def written(prefix, table):
    return sum(end_offset(KAFKA[0], f"{prefix}.ms.{table}", p) for p in range(partitions(table)))


def key_of(table, k):
    return (k["k1"], k["k2"]) if table == "comp" else k["id"]


def table_state(db, table):
    if table == "comp":
        return {(int(r[0]), r[1]): int(r[2]) for r in db.query("SELECT k1, k2, v FROM ms.comp")}
    return {int(r[0]): int(r[1]) for r in db.query(f"SELECT id, v FROM ms.{table}")}


def kafka_state(prefix, table):
    """Last `v` per key (deletes remove the key), and the r/c count per key."""
    state, born = {}, {}
    for k, v in records(prefix, table):
        key = key_of(table, k)
        if v is None or v["op"] == "d":
            state.pop(key, None)
            continue
        if v["op"] in ("r", "c"):
            born[key] = born.get(key, 0) + 1
        state[key] = v["after"]["v"]
    return state, born


def converge(db, prefix, timeout=60):
    tables, got = {}, {}

    def equal():
        for t in TABLES:
            tables[t] = table_state(db, t)
            got[t] = kafka_state(prefix, t)
        return all(got[t][0] == tables[t] for t in TABLES)
    try:
        wait_for(equal, timeout, f"{prefix}: Kafka's last event per key equal to the tables")
    except AssertionError:
        pass
    return tables, got


def check_markers(prefix, what):
    """Markers of the `r` records: one `first` and one `last` overall; per table one first and one
    last; on one-partition topics the first and last `r` records carry them."""
    overall = {}
    for t in TABLES:
        marks = [v["source"]["snapshot"] for _, v in records(prefix, t) if v and v["op"] == "r"]
        for m in marks:
            overall[m] = overall.get(m, 0) + 1
        if not marks:
            continue
        firsts = sum(m in ("first", "first_in_data_collection") for m in marks)
        lasts = sum(m in ("last_in_data_collection", "last") for m in marks)
        middle = set(marks) - {"first", "first_in_data_collection", "last_in_data_collection", "last"}
        check(firsts == 1 and lasts == 1 and middle <= {"true"},
              f"{what}: markers of {t}: {firsts} first, {lasts} last, others {middle}")
        if partitions(t) == 1 and len(marks) > 1:
            check(marks[0] in ("first", "first_in_data_collection") and marks[-1] in ("last_in_data_collection", "last"),
                  f"{what}: {t}'s first and last r records: {marks[0]}, {marks[-1]}")
    check(overall.get("first") == 1 and overall.get("last") == 1,
          f"{what}: one 'first' and one 'last' overall: {overall}")


def reset(db):
    db.sql("DROP DATABASE IF EXISTS ms; CREATE DATABASE ms")
    db.sql("CREATE TABLE ms.a (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(40));"
           "CREATE TABLE ms.big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(40));"
           "CREATE TABLE ms.comp (k1 INT, k2 VARCHAR(10), v INT NOT NULL, PRIMARY KEY (k1, k2));"
           "CREATE TABLE ms.empty (id INT PRIMARY KEY, v INT NOT NULL);"
           f"INSERT INTO ms.a SELECT seq, seq, REPEAT('a', 30) FROM seq_1_to_{A_ROWS};"
           f"INSERT INTO ms.big SELECT seq, seq, REPEAT('b', 30) FROM seq_1_to_{BIG_ROWS};"
           "INSERT INTO ms.comp SELECT seq % 50, CONCAT('k', seq), seq FROM seq_1_to_1000;"
           "ANALYZE TABLE ms.a, ms.big, ms.comp, ms.empty", database="ms")


def log_has(w, pattern):
    return re.search(pattern, w.log_text()) is not None


# --- 1. writes during a 3-reader snapshot --------------------------------------------------------

def test_writes(db, work):
    reset(db)
    stop = threading.Event()
    commits = [0]
    latencies = []

    def writer():
        n = 0
        while not stop.is_set() and n < 2000:
            t = time.monotonic()
            db.sql(f"INSERT INTO ms.big VALUES ({BIG_ROWS + 1 + n}, -1, 'new');"
                   f"UPDATE ms.big SET v = v + 1000000 WHERE id = {1 + (n * 7919) % BIG_ROWS};"
                   f"UPDATE ms.a SET v = v + 1000000 WHERE id = {1 + (n * 13) % A_ROWS};"
                   + (f"DELETE FROM ms.big WHERE id = {BIG_ROWS - n};" if n % 10 == 0 else ""), database="ms")
            latencies.append(time.monotonic() - t)
            n += 1
            commits[0] = n
    wt = threading.Thread(target=writer)
    wt.start()
    time.sleep(0.5)
    w = Standalone(SLUICE, KAFKA[0], work)
    try:
        w.rest.request("PUT", "/connectors/w3/config", config(db, "w3", 5501))
        # The writer's progress while the readers work: after the lock and before the end.
        wait_for(lambda: log_has(w, r"snapshot at "), 30, "the snapshot point")
        at_start = commits[0]
        wait_for(lambda: log_has(w, r"snapshot done"), 60, "the end of the snapshot")
        at_done = commits[0]
        stop.set()
        wt.join()
        log = w.log_text()
        m = re.search(r"lock held (\d+) ms", log)
        print("writes:", m.group(0) if m else "no 'lock held' line", flush=True)
        check(m and int(m.group(1)) < 1000, f"lock held briefly: {m.group(0) if m else 'no log line'}")
        check(", 3 readers" in log, "three readers")
        check(re.search(r"snapshot of ms\.big: ~\d+ rows in \d+ primary-key chunks", log) is not None,
              "ms.big read in primary-key chunks")
        check(at_done > at_start, f"the writer committed while the readers worked ({at_start} -> {at_done})")
        check(max(latencies) < 3.0, f"writer never blocked long: max {max(latencies):.2f} s")
        tables, got = converge(db, "w3")
        for t in TABLES:
            state, born = got[t]
            check(state == tables[t], f"writes: {t}: {len(tables[t])} rows, {len(state)} keys in Kafka")
            deleted = set(born) - set(tables[t])
            dups = [k for k, n in born.items() if n != 1]
            check(not dups and set(tables[t]) <= set(born),
                  f"writes: {t}: every key once as r or c ({len(born)} keys, {len(deleted)} deleted, doubled {dups[:5]})")
        ops = {v["op"] for _, v in records("w3", "big") if v}
        check({"r", "c", "u", "d"} <= ops, f"snapshot and streamed events in big: {ops}")
        check_markers("w3", "writes")
    finally:
        stop.set()
        w.stop()


# --- 2. LOCK TABLES for a user without RELOAD ---------------------------------------------------

def test_no_reload(db, work):
    w = Standalone(SLUICE, KAFKA[0], work)
    try:
        w.rest.request("PUT", "/connectors/nr/config", config(db, "nr", 5502, user="noreload"))
        wait_for(lambda: log_has(w, r"snapshot done"), 60, "the end of the snapshot")
        db.sql("INSERT INTO ms.a VALUES (999999, 1, 'after')")
        log = w.log_text()
        check("locking the captured tables instead" in log, "LOCK TABLES without RELOAD")
        check(", 3 readers" in log, "three readers under LOCK TABLES")
        tables, got = converge(db, "nr")
        for t in TABLES:
            state, born = got[t]
            dups = [k for k, n in born.items() if n != 1]
            check(state == tables[t] and not dups,
                  f"no RELOAD: {t}: {len(tables[t])} rows, {len(state)} keys, doubled {dups[:5]}")
        check_markers("nr", "no RELOAD")
    finally:
        w.stop()


# --- 3. SIGKILL mid-snapshot ----------------------------------------------------------------------

def test_kill(db, work):
    cfg = config(db, "k3", 5503, **{"max.batch.size": "20", "max.queue.size": "40"})
    w = Standalone(SLUICE, KAFKA[0], work, extra={"offset.flush.interval.ms": "100"})
    w.rest.request("PUT", "/connectors/k3/config", cfg)
    wait_for(lambda: written("k3", "big") >= 500, 60, "part of the snapshot")
    w.proc.send_signal(signal.SIGKILL)
    w.proc.wait()
    total = sum(len(table_state(db, t)) for t in TABLES)
    at_kill = sum(written("k3", t) for t in TABLES)
    check(at_kill < total, f"killed mid-snapshot ({at_kill} of {total} rows written)")
    # (Not deletes: a new snapshot does not delete the keys the first one wrote, in Debezium neither.)
    db.sql("UPDATE ms.big SET v = -v WHERE id <= 10; UPDATE ms.a SET v = -v WHERE id <= 5;"
           "INSERT INTO ms.empty VALUES (1, 1)")
    w = Standalone(SLUICE, KAFKA[0], work)
    try:
        tables, got = converge(db, "k3", timeout=90)
        for t in TABLES:
            check(got[t][0] == tables[t], f"mid-snapshot kill: {t}: {len(tables[t])} rows, {len(got[t][0])} keys")
        lasts = sum(1 for t in TABLES for _, v in records("k3", t) if v and v["source"].get("snapshot") == "last")
        check(lasts == 1, f"one completed snapshot (one 'last' marker): {lasts}")
    finally:
        w.stop()


def main():
    db = MariaDB().start()
    kafka = None
    try:
        db.sql("CREATE USER 'cdc'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1';"
               "CREATE USER 'noreload'@'127.0.0.1' IDENTIFIED BY 'cdc-pw';"
               "GRANT SELECT, LOCK TABLES, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* "
               "TO 'noreload'@'127.0.0.1'")
        topics = []
        for p in PREFIXES:
            topics += [f"{p}.ms.{t}:{partitions(t)}" for t in TABLES] + [f"{p}:1", f"history.{p}:1"]
        kafka = DevKafka(SLUICE, topics)
        KAFKA[0] = kafka.bootstrap
        for test in (test_writes, test_no_reload, test_kill):
            started = time.monotonic()
            failed_before = len(failures)
            work = temp_dir()
            try:
                test(db, work)
            except AssertionError as e:
                check(False, f"{test.__name__}: {e}")
            print(f"{test.__name__}: {time.monotonic() - started:.1f} s", flush=True)
            if len(failures) > failed_before:
                try:
                    with open(os.path.join(work, "worker.log"), errors="replace") as f:
                        print(f.read()[-4000:], file=sys.stderr)
                except OSError:
                    pass
    finally:
        if kafka:
            kafka.stop()
        db.stop()
    print(f"{passed[0]} checks passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
