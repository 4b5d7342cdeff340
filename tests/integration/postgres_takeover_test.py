#!/usr/bin/env python3
"""Takeover between Debezium 2.7 (Kafka Connect's JVM standalone worker) and Sluice, both ways,
on one slot, one offsets file and one topic, while a writer keeps inserting rows.

1. Debezium snapshots and streams table public.t into cdc.public.t (slot shared_slot).
2. Debezium is stopped mid-stream; Sluice starts with the same connector name and config and
   the JVM's offsets file (Connect's Java-serialized format): it must continue from Debezium's
   stored offset, with no new snapshot.
3. Sluice is stopped; Debezium starts again on the offsets Sluice stored.
Then every inserted row must be in the topic (no gap); rows delivered twice are only those
after the stopped side's last committed offset (counted and printed); exactly one snapshot.

usage: postgres_takeover_test.py SLUICE_BINARY     (KEEP_WORK=1 keeps the files)
"""
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from postgres import Postgres  # noqa: E402
from sluice_process import Standalone, kcat_lines, wait_for  # noqa: E402
import topic_diff  # noqa: E402

CONVERTERS = {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter.schemas.enable": "false",
}


def log(msg):
    print(f"-- {msg}", flush=True)


def connector(pg):
    return {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "127.0.0.1", "database.port": str(pg.port),
        "database.user": pg.user, "database.password": pg.password,
        "database.dbname": pg.dbname, "topic.prefix": "cdc", "plugin.name": "pgoutput",
        "publication.name": "dbz_publication", "publication.autocreate.mode": "disabled",
        "slot.name": "shared_slot", "table.include.list": "public.t",
        "status.update.interval.ms": "1000",
    }


class Writer(threading.Thread):
    def __init__(self, pg):
        super().__init__(daemon=True)
        self.pg, self.next_id, self.stop_flag, self.error = pg, 1000, False, None

    def run(self):
        try:
            while not self.stop_flag:
                a = self.next_id
                self.pg.sql(f"INSERT INTO t SELECT g, g FROM generate_series({a}, {a + 9}) g")
                self.next_id += 10
                time.sleep(0.05)
        except Exception as e:  # noqa: BLE001
            self.error = e


def events(bootstrap):
    out = []
    for line in kcat_lines(bootstrap, "cdc.public.t", fmt="%k\t%s\\n"):
        k, _, v = line.partition("\t")
        if v:
            out.append((json.loads(k)["id"], json.loads(v)["op"]))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-pg-takeover."))
    failures = []
    t0 = time.monotonic()
    pg = Postgres()
    sl = None
    writer = None
    try:
        pg.start()
        pg.sql("CREATE TABLE t (id int PRIMARY KEY, v int); "
               "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g; "
               "GRANT SELECT ON t TO debezium; CREATE PUBLICATION dbz_publication FOR TABLE t")
        with KafkaCluster(work_dir=work / "kafka") as kc:
            kc.create_topic("cdc.public.t", partitions=1, replication_factor=1)
            jvm_dir = work / "jvm"
            offsets = jvm_dir / "offsets"

            def run_jvm(phase, until):
                jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=jvm_dir,
                                    worker_config={**CONVERTERS, "offset.flush.interval.ms": 1000})
                jvm.start(timeout=180)
                try:
                    jvm.put_connector("pg", connector(pg))
                    jvm.wait_status("pg", "RUNNING", timeout=120, tasks=1)
                    wait_for(until, 120, f"Debezium ({phase})")
                    time.sleep(2)
                finally:
                    jvm.stop()
                log(f"Debezium stopped ({phase}); {len(events(kc.bootstrap))} events so far")

            writer = Writer(pg)
            run_jvm("first", lambda: len(events(kc.bootstrap)) >= 100)
            writer.start()
            n = len(events(kc.bootstrap))
            run_jvm("streaming", lambda: len(events(kc.bootstrap)) >= n + 100)

            sdir = work / "sluice"
            sdir.mkdir()
            sl = Standalone(sluice, kc.bootstrap, str(sdir), extra={
                **CONVERTERS, "offset.storage.file.filename": str(offsets),
                "offset.flush.interval.ms": "1000",
                "plugin.path": str(Path(sluice).parent.parent / "plugins-out")})
            code, _, body = sl.rest.request("PUT", "/connectors/pg/config", connector(pg))
            if code not in (200, 201):
                raise AssertionError(f"Sluice refused the connector: {code} {body}")
            n = len(events(kc.bootstrap))
            wait_for(lambda: len(events(kc.bootstrap)) >= n + 100, 120, "Sluice streaming")
            time.sleep(2)
            sl.stop()
            sl = None
            log(f"Sluice stopped; {len(events(kc.bootstrap))} events so far")
            n = len(events(kc.bootstrap))
            run_jvm("after Sluice", lambda: len(events(kc.bootstrap)) >= n + 100)
            writer.stop_flag = True
            writer.join()
            if writer.error:
                raise AssertionError(f"the writer failed: {writer.error}")
            want = {int(r[0]) for r in pg.query("SELECT id FROM t")}
            log(f"{len(want)} rows in the table; a last Debezium run drains the rest")
            run_jvm("drain", lambda: want <= {i for i, _ in events(kc.bootstrap)})
            ev = events(kc.bootstrap)
            ids = [i for i, _ in ev]
            snaps = sum(1 for _, op in ev if op == "r")
            dups = len(ids) - len(set(ids))
            log(f"{len(ev)} events for {len(want)} rows: {dups} delivered twice, {snaps} snapshot events")
            if not want <= set(ids):
                failures.append(f"{len(want - set(ids))} rows missing")
            if snaps != 100:
                failures.append(f"{snaps} snapshot events, not 100: a takeover snapshotted again")
            if dups > 400:
                failures.append(f"{dups} duplicates: more than the uncommitted tail of each stop")
    except AssertionError as e:
        failures.append(str(e))
        if sl:
            print("\n".join(sl.log_text().splitlines()[-20:]))
    finally:
        if writer:
            writer.stop_flag = True
        if sl:
            sl.stop()
        pg.stop()
        if os.environ.get("KEEP_WORK") == "1":
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f"FAIL: {f}", flush=True)
    print(f"postgres_takeover_test: {len(failures)} failures ({time.monotonic() - t0:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
