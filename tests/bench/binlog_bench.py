#!/usr/bin/env python3
"""Benchmark: decoding a large MariaDB binlog, Sluice against mariadb-binlog, in the same run.

A private MariaDB (tests/support/mariadb.py) writes ROWS rows (default 5,000,000) of
bench.t(id BIGINT PK, a INT, b BIGINT, c VARCHAR(100), d VARCHAR(100), e DATETIME(6),
f DECIMAL(12,2), g DOUBLE) -- 8 columns, about 150 bytes a row -- in INSERT ... SELECT
statements of 10,000 rows. Then, with the file in the page cache, one after the other:

  typed   DECODER --stats FILE          every row decoded to typed values, nothing printed
  json    DECODER FILE > /dev/null      one JSON line per row change
  ref     mariadb-binlog -v --base64-output=decode-rows FILE > /dev/null

and prints wall time, rows/s, MB/s and the ratio to mariadb-binlog for each (best of RUNS,
default 2). DECODER is the sluice binary (`sluice mysql-binlog`) or sluice-mysql-binlog (the same
code without the worker: `cmake --build BUILD --target sluice-mysql-binlog`); Release builds only.

usage: binlog_bench.py DECODER [ROWS]     (DECODER: path to sluice or sluice-mysql-binlog)
environment: RUNS (default 2), KEEP_WORK=1 keeps the server folder
"""
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))

from mariadb import MariaDB  # noqa: E402


def timed(args, stdout=subprocess.DEVNULL):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    r = subprocess.run(args, stdout=stdout, stderr=subprocess.PIPE)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr.decode()[-2000:]))
    return wall, cpu, r


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    decoder = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    runs = int(os.environ.get("RUNS", "2"))
    prefix = [decoder] if os.path.basename(decoder) == "sluice-mysql-binlog" else [decoder, "mysql-binlog"]
    batch = 10_000
    with MariaDB(config={"innodb_buffer_pool_size": "2G", "innodb_log_file_size": "1G",
                         "max_binlog_size": "1G"}, buffer_pool="2G") as db:
        db.sql("CREATE DATABASE bench; CREATE TABLE bench.t (id BIGINT PRIMARY KEY, a INT, b BIGINT, "
               "c VARCHAR(100), d VARCHAR(100), e DATETIME(6), f DECIMAL(12,2), g DOUBLE)")
        t0 = time.monotonic()
        stmts = []
        for start in range(1, rows + 1, batch):
            end = min(start + batch - 1, rows)
            stmts.append(
                "INSERT INTO bench.t SELECT seq, seq %% 1000000, seq * 7919, CONCAT('customer-', seq, '-', "
                "REPEAT('x', 54)), MD5(seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL seq %% 1000000 "
                "MICROSECOND, (seq %% 100000) / 100, seq / 3 FROM seq_%d_to_%d" % (start, end))
        for i in range(0, len(stmts), 50):
            db.sql(";\n".join(stmts[i:i + 50]) + ";", database="bench")
        load = time.monotonic() - t0
        db.flush_logs()
        files = [f for f in db.binlog_files() if os.path.getsize(f) > 1000]
        size = sum(os.path.getsize(f) for f in files)
        print("loaded %d rows in %.1f s: %d binlog file(s), %.1f MB (%.0f bytes/row)"
              % (rows, load, len(files), size / 1e6, size / rows), flush=True)
        for f in files:  # into the page cache
            with open(f, "rb") as fh:
                while fh.read(1 << 24):
                    pass

        results = {}
        _, _, r = timed(prefix + ["--stats"] + files, stdout=subprocess.PIPE)
        stats = json.loads(r.stdout.decode().strip().splitlines()[-1])
        if stats["row_changes"] != rows:
            sys.exit("decoder saw %d row changes, expected %d" % (stats["row_changes"], rows))
        cases = [
            ("sluice typed (--stats)", prefix + ["--stats"] + files),
            ("sluice JSON lines", prefix + files),
            ("mariadb-binlog -v decode-rows", ["mariadb-binlog", "-v", "--base64-output=decode-rows"] + files),
        ]
        for name, args in cases:
            best = None
            for _ in range(runs):
                wall, cpu, _ = timed(args)
                if best is None or wall < best[0]:
                    best = (wall, cpu)
            results[name] = best
        ref = results["mariadb-binlog -v decode-rows"][0]
        print("%-32s %8s %8s %12s %9s %8s" % ("decoder", "wall s", "cpu s", "rows/s", "MB/s", "vs ref"))
        summary = {"rows": rows, "bytes": size}
        for name, (wall, cpu) in results.items():
            print("%-32s %8.2f %8.2f %12.0f %9.0f %7.1fx" % (name, wall, cpu, rows / wall, size / wall / 1e6, ref / wall))
            summary[name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "rows_per_s": round(rows / wall),
                             "mb_per_s": round(size / wall / 1e6, 1)}
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
