#!/usr/bin/env python3
"""MySQL 8's network path: `sluice standalone` with the MySqlConnector against
tests/support/fake_mysql_primary.py, which serves real MySQL 8 binlog files from
../shared/fixtures/mysql-binlog over the client/server protocol (no MySQL server exists here).

1. compressed: transaction_compression.000001 (MySQL 8.0.32, gtid_mode OFF): the connector logs
   in with caching_sha2_password (fast path), dumps with COM_BINLOG_DUMP from binlog.000001:4,
   and the zstd TRANSACTION_PAYLOAD's row arrives as one `c` event with Debezium's source
   position (file, pos of the payload event, row 0, no gtid); the offset is the transaction's
   start with its 3 events done. A wrong password: the task FAILS with "Access denied".
2. gtid: mysql-enum-string-set.000001 (MySQL 8.0.28, gtid_mode ON; its database `mysql` is renamed
   `myapp` by the fake so the connector does not skip it as a system database). The primary
   first serves 4 of its 5 transactions: insert and update arrive with source.gtid uuid:3 / :4;
   the stored offset carries `gtids` (uuid:1-3, the update's transaction being in progress, with
   its event count). After a restart the connector sends COM_BINLOG_DUMP_GTID with that set,
   the primary serves everything after it, and only the delete (uuid:5) is new: c, u, d once each.
   Then the primary reports gtid_purged uuid:1-5: the task FAILS naming the set and when_needed.
3. snapshot_gtids: snapshot.mode=no_data against the primary with 4 transactions: the snapshot
   offset's set is the server's gtid_executed (uuid:1-4) and streaming starts with
   COM_BINLOG_DUMP_GTID from it; after a restart with uuid:5 present, only the delete streams.
4. reconnect: the primary cuts the dump connection after the update's commit: the task reconnects
   by itself with COM_BINLOG_DUMP_GTID (uuid:1-4, its in-memory set) and emits the delete once.

usage: mysql8_network_test.py SLUICE_BINARY
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from fake_mysql_primary import FakeMySqlPrimary  # noqa: E402
from checks import check, failures, passed, task_state  # noqa: E402
from sluice_process import DevKafka, Standalone, kcat_lines, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
SHARED = os.environ.get("SLUICE_SHARED_DIR") or os.path.join(HERE, "..", "..", "..", "shared")
FIXTURES = os.environ.get("SLUICE_FIXTURES", os.path.join(SHARED, "fixtures", "mysql-binlog"))
UUID = "93e95066-a2f4-11ec-9b69-9657f0ae95e2"


def connector(fake, prefix, server_id):
    return {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "tasks.max": "1",
            "database.hostname": "127.0.0.1", "database.port": str(fake.port), "database.user": "sluice",
            "database.password": "secret", "database.server.id": str(server_id), "topic.prefix": prefix,
            "snapshot.mode": "never", "schema.history.internal": "io.debezium.storage.file.history.FileSchemaHistory",
            "schema.history.internal.file.filename": os.path.join(temp_dir(), "history.dat")}


T_DDL = ("CREATE TABLE `t` (`f1` char(128) DEFAULT NULL, `f2` varchar(300) DEFAULT NULL, "
         "`f3` enum('var1','variant2','foo') DEFAULT NULL, `f4` set('one','two','three','four') DEFAULT NULL, "
         "`f5` text) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")


def values(bootstrap, topic):
    return [json.loads(v) for v in kcat_lines(bootstrap, topic, fmt="%s\\n") if v]


def wait_values(bootstrap, topic, n, timeout=40):
    got = []

    def enough():
        got[:] = values(bootstrap, topic)
        return len(got) >= n
    wait_for(enough, timeout, f"{n} records on {topic}")
    return got


def stored_offset(work, prefix):
    """The last offset stored for partition {"server": prefix} in the standalone offsets file."""
    with open(os.path.join(work, "offsets"), errors="replace") as f:
        text = f.read()
    key = '"server":"%s"' % prefix
    at = text.rfind(key)
    start = text.find("{", at + len(key))
    return json.loads(text[start:text.find("}", start) + 1]) if at >= 0 and start >= 0 else {}


def compressed(kafka):
    fake = FakeMySqlPrimary([os.path.join(FIXTURES, "transaction_compression.000001")], gtid_mode=False,
                            create_tables={"test.tb1": "CREATE TABLE `tb1` (`id` int NOT NULL, PRIMARY KEY (`id`))"})
    work = temp_dir()
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/cz/config", connector(fake, "cz", 7101))
        got = wait_values(kafka.bootstrap, "cz.test.tb1", 1)
        time.sleep(1.5)  # offsets flushed (offset.flush.interval.ms=500)
        check(len(got) == 1, f"compressed: one record, got {len(got)}")
        v = got[0]
        check(v.get("op") == "c" and v.get("before") is None and v.get("after") == {"id": 1},
              f"compressed: the payload's insert, got {v}")
        src = v.get("source", {})
        check((src.get("connector"), src.get("db"), src.get("table"), src.get("file"), src.get("pos"),
               src.get("row"), src.get("gtid"), src.get("server_id"), src.get("ts_ms")) ==
              ("mysql", "test", "tb1", "binlog.000001", 274, 0, None, 1, 1695159109000),
              f"compressed: source block, got {src}")
        check(("fast_auth_success", "sluice") in fake.auth_log and not any(a[0] == "switch" for a in fake.auth_log),
              f"compressed: caching_sha2_password fast auth, log {fake.auth_log}")
        check([d["cmd"] for d in fake.dumps] == [0x12] and fake.dumps[0]["file"] == "binlog.000001" and
              fake.dumps[0]["pos"] == 4, f"compressed: COM_BINLOG_DUMP from binlog.000001:4, got {fake.dumps}")
        off = stored_offset(work, "cz")
        # Debezium's restart rule: the transaction's first event (ANONYMOUS_GTID at 197) and the
        # 3 events of it done (BEGIN, TABLE_MAP, WRITE_ROWS inside the payload).
        check((off.get("file"), off.get("pos"), off.get("event"), "gtids" in off) == ("binlog.000001", 197, 3, False),
              f"compressed: offset at the transaction's start, 3 events done, file/pos only, got {off}")
        check(task_state(w.rest, "cz")[0] == "RUNNING", "compressed: task running on heartbeats")
        # A wrong password is refused by the same caching_sha2_password check.
        w.rest.request("PUT", "/connectors/czbad/config", dict(connector(fake, "czbad", 7104),
                                                                **{"database.password": "wrong"}))
        wait_for(lambda: task_state(w.rest, "czbad")[0] == "FAILED", 30, "czbad FAILED")
        trace = task_state(w.rest, "czbad")[1]
        check("Access denied" in trace and ("denied", "sluice") in fake.auth_log,
              f"compressed: a wrong password fails the task with the server's message, got {trace[:200]}")
    finally:
        w.stop()
        fake.close()


def gtid(kafka):
    fake = FakeMySqlPrimary([os.path.join(FIXTURES, "mysql-enum-string-set.000001")], gtid_mode=True,
                            rename_db={"mysql": "myapp"}, limit=4)
    work = temp_dir()
    cfg = connector(fake, "gt", 7102)
    topic = "gt.myapp.t"
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/gt/config", cfg)
        got = wait_values(kafka.bootstrap, topic, 2)
        time.sleep(1.5)
        check([v["op"] for v in got] == ["c", "u"], f"gtid: insert and update first, got {[v['op'] for v in got]}")
        check([v["source"].get("gtid") for v in got] == [UUID + ":3", UUID + ":4"],
              f"gtid: source.gtid per transaction, got {[v['source'].get('gtid') for v in got]}")
        check(got[0]["after"]["f3"] == "var1" and got[0]["after"]["f4"] == "one,three" and
              got[0]["after"]["f5"] == "0123456789" if got else False,
              f"gtid: ENUM/SET values, got {got[0]['after'] if got else None}")
        off = stored_offset(work, "gt")
        check((off.get("gtids"), off.get("pos"), off.get("event")) == (UUID + ":1-3", 1560, 3),
              f"gtid: offset holds the set before the update's transaction and its event count, got {off}")
        check(fake.dumps and fake.dumps[0]["cmd"] == 0x12, f"gtid: first dump by file (no stored set), {fake.dumps}")
    finally:
        w.stop()
    fake.limit = None  # the primary has "new" transactions now
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/gt/config", cfg)
        got = wait_values(kafka.bootstrap, topic, 3)
        time.sleep(2.0)  # anything doubled would show up meanwhile
        got = values(kafka.bootstrap, topic)
        ops = [v["op"] for v in got]
        check(ops == ["c", "u", "d"], f"gtid: after the restart only the delete is new, got {ops}")
        check(got[-1]["source"].get("gtid") == UUID + ":5" and got[-1]["before"]["f1"] == "field1",
              f"gtid: the delete, got {got[-1] if got else None}")
        last = fake.dumps[-1] if fake.dumps else {}
        check(last.get("cmd") == 0x1e and last.get("gtids") == UUID + ":1-3",
              f"gtid: the restart sends COM_BINLOG_DUMP_GTID with the stored set, got {fake.dumps}")
        time.sleep(1.0)
        off = stored_offset(work, "gt")
        check((off.get("gtids"), off.get("pos"), off.get("event")) == (UUID + ":1-4", 2659, 3),
              f"gtid: final offset in uuid:5 (set 1-4, its GTID event at 2659, 3 events done), got {off}")
        check(task_state(w.rest, "gt")[0] == "RUNNING", f"gtid: task running, {task_state(w.rest, 'gt')}")
    finally:
        w.stop()
    # The primary purged transactions the stored set (1-4) lacks: FAILED, naming the fix.
    fake.purged = UUID + ":1-5"
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/gt/config", cfg)
        wait_for(lambda: task_state(w.rest, "gt")[0] == "FAILED", 30, "gt FAILED on purged GTIDs")
        trace = task_state(w.rest, "gt")[1]
        check("purged" in trace and "when_needed" in trace and UUID + ":1-4" in trace,
              f"gtid: the purged-GTID failure names the stored set and the fix, got {trace[:300]}")
    finally:
        w.stop()
        fake.close()


def snapshot_gtids(kafka):
    fake = FakeMySqlPrimary([os.path.join(FIXTURES, "mysql-enum-string-set.000001")], gtid_mode=True,
                            rename_db={"mysql": "myapp"}, limit=4, create_tables={"myapp.t": T_DDL})
    work = temp_dir()
    cfg = dict(connector(fake, "sn", 7103), **{"snapshot.mode": "no_data"})
    w = Standalone(SLUICE, kafka.bootstrap, work)
    try:
        w.rest.request("PUT", "/connectors/sn/config", cfg)
        wait_for(lambda: any(d["cmd"] == 0x1e for d in fake.dumps), 30, "a GTID dump after the snapshot")
        check([(d["cmd"], d["gtids"]) for d in fake.dumps] == [(0x1e, UUID + ":1-4")],
              f"snapshot: streaming starts from the snapshot's gtid_executed, got {fake.dumps}")
        fake.limit = None
        w.stop()
        w = Standalone(SLUICE, kafka.bootstrap, work)
        w.rest.request("PUT", "/connectors/sn/config", cfg)
        got = wait_values(kafka.bootstrap, "sn.myapp.t", 1)
        time.sleep(1.5)
        got = values(kafka.bootstrap, "sn.myapp.t")
        check([(v["op"], v["source"].get("gtid")) for v in got] == [("d", UUID + ":5")],
              f"snapshot: after the restart only uuid:5 streams, got {[(v['op'], v['source'].get('gtid')) for v in got]}")
        check(fake.dumps[-1]["gtids"] == UUID + ":1-4",
              f"snapshot: the restart resumes from the snapshot offset's set, got {fake.dumps}")
    finally:
        w.stop()
        fake.close()


def reconnect(kafka):
    fake = FakeMySqlPrimary([os.path.join(FIXTURES, "mysql-enum-string-set.000001")], gtid_mode=True,
                            rename_db={"mysql": "myapp"}, limit=4)
    w = Standalone(SLUICE, kafka.bootstrap, temp_dir())
    try:
        w.rest.request("PUT", "/connectors/rc/config", connector(fake, "rc", 7105))
        wait_values(kafka.bootstrap, "rc.myapp.t", 2)
        fake.limit = None
        fake.drop_dumps()
        wait_values(kafka.bootstrap, "rc.myapp.t", 3)
        time.sleep(1.5)
        got = values(kafka.bootstrap, "rc.myapp.t")
        check([v["op"] for v in got] == ["c", "u", "d"], f"reconnect: every change once, got {[v['op'] for v in got]}")
        check([(d["cmd"], d["gtids"]) for d in fake.dumps] == [(0x12, None), (0x1e, UUID + ":1-4")],
              f"reconnect: the lost dump resumes by COM_BINLOG_DUMP_GTID after the last commit, got {fake.dumps}")
        check(task_state(w.rest, "rc")[0] == "RUNNING", "reconnect: task running")
    finally:
        w.stop()
        fake.close()


def main():
    started = time.monotonic()
    kafka = DevKafka(SLUICE, topics=[t + ":1" for t in ("cz.test.tb1", "cz", "gt.myapp.t", "gt", "sn.myapp.t", "sn", "rc.myapp.t", "rc")])
    try:
        for scenario in (compressed, gtid, snapshot_gtids, reconnect):
            try:
                scenario(kafka)
            except AssertionError as e:
                check(False, f"{scenario.__name__}: {e}")
    finally:
        kafka.stop()
    print(f"{passed[0]} checks passed, {len(failures)} failed, {time.monotonic() - started:.1f}s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
