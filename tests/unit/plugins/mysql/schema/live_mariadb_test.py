#!/usr/bin/env python3
"""Schema library against a real MariaDB 10.11 (tests/support/mariadb.py, binlog_row_metadata=FULL).

Creates tables with every column type MariaDB has, runs DDL (ALTERs, RENAME) and inserts rows
with edge values, then writes a fixture for `mysql_schema_live_check`:
  SHOW <db> <hex table> <hex SHOW CREATE TABLE text>
  ROW <db> <hex table> <x+hex value | -> ...   (text-protocol values, session time zone UTC)
  BINLOG <path>
The checker parses SHOW CREATE TABLE, follows the DDL in the binlog's QUERY events, checks every
TABLE_MAP against both, and compares each binlog row (from_cell) with the same row read as text
(from_text), and, when java and the cached Debezium jars are here, with what Debezium 2.7 itself
makes of the same binlog rows (DebeziumLiveValues.java).
Usage: live_mariadb_test.py CHECKER_BINARY [FULL|MINIMAL]  (binlog_row_metadata)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "support"))
from mariadb import MariaDB  # noqa: E402

DDL = r"""
CREATE DATABASE s1 DEFAULT CHARACTER SET utf8mb4;
USE s1;
CREATE TABLE types (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tu TINYINT UNSIGNED, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED,
  iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, bo BOOLEAN, b1 BIT(1), b10 BIT(10),
  f FLOAT, fmd FLOAT(7,3), d DOUBLE, dc DECIMAL(10,2), dw DECIMAL(30,10), y YEAR,
  dt DATE, t3 TIME(3), t0 TIME, dtm DATETIME, dt6 DATETIME(6), ts3 TIMESTAMP(3) NULL,
  cl CHAR(5) CHARACTER SET latin1, v VARCHAR(20), tx TEXT, bn BINARY(4), vb VARBINARY(10), bl BLOB,
  e ENUM('a','b,c','d''e'), st SET('x','y','z'), js JSON, g GEOMETRY, p POINT,
  u UUID, i4 INET4, i6 INET6
);
CREATE TABLE evolve (a INT NOT NULL, b VARCHAR(10)) DEFAULT CHARSET=latin1;
ALTER TABLE evolve ADD COLUMN c DECIMAL(6,2) UNSIGNED AFTER a, ADD PRIMARY KEY (a);
ALTER TABLE evolve MODIFY b VARCHAR(30) CHARACTER SET utf8mb4 NOT NULL, ADD COLUMN e SET('p','q') FIRST;
ALTER TABLE evolve CHANGE c c2 BIGINT UNSIGNED;
RENAME TABLE evolve TO evolved;
INSERT INTO evolved (e, a, c2, b) VALUES ('p,q', 1, 18446744073709551615, 'x');
ALTER TABLE evolved DROP COLUMN e, ALGORITHM=COPY;
INSERT INTO evolved VALUES (2, 5, 'y');
"""

ROWS = r"""
SET time_zone = '+00:00';
SET sql_mode = '';
INSERT INTO s1.types (ti, tu, su, mi, mu, iu, bi, bu, bo, b1, b10, f, fmd, d, dc, dw, y, dt, t3, t0, dtm, dt6,
  ts3, cl, v, tx, bn, vb, bl, e, st, js, g, p, u, i4, i6) VALUES
 (-128, 255, 65535, -8388608, 16777215, 4294967295, -9223372036854775808, 18446744073709551615, TRUE, b'1',
  b'1000000001', 1.1, 1.1, 0.1, -12.50, -12345678901234567890.0123456789, 1901, '1969-12-31', '-838:59:59.000',
  '12:34:56', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999999', '2024-06-10 06:13:20.5', 'café',
  'ünïcødé €', 'text', x'0102', x'00ff', x'deadbeef', 'b,c', 'x,z', '{"a": [1, 2.5, "s"]}',
  ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326), ST_GeomFromText('POINT(1 2)'),
  '123e4567-e89b-12d3-a456-426614174000', '192.168.0.1', '2001:db8::1'),
 (0, 0, 0, 0, 0, 0, 0, 0, FALSE, b'0', b'0', 0, 0, 0, 0, 0, 2155, '2024-02-29', '00:00:00.001', '-00:00:01',
  '2024-06-10 06:13:20', '2024-06-10 06:13:20.000001', '1970-01-01 00:00:01', '', '', '', x'', x'', x'',
  'd''e', '', '{}', ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'), ST_GeomFromText('POINT(-1.5 0)'),
  '00000000-0000-0000-0000-000000000000', '0.0.0.0', '::'),
 (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (1, 1, 1, 1, 1, 1, 1, 9223372036854775808, 1, 1, 1, 3.4e38, -1234.567, 1e-300, 99999999.99, 0.0000000001, 0,
  '0000-00-00', '838:59:59.999', '-838:59:59', '0000-00-00 00:00:00', '2000-01-01 00:00:00.5', NULL, 'ab',
  'a', repeat('z', 300), x'01020304', x'01', x'00', 'a', 'x,y,z', '"s"', NULL, NULL, NULL, NULL, NULL),
 (2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, -0.0, 1e-5, -1e22, -0.01, 1.5, 1970, '0069-12-31', '00:00:00', '23:59:59',
  '0070-01-01 00:00:00', '0001-01-01 00:00:00.000001', '2038-01-19 03:14:07.999', 'é', '\\', '''', x'00000000',
  x'0000', x'', 'a', 'z', '[]', NULL, NULL, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '255.255.255.255',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
"""

TEXT = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"}
NUMERIC = {"tinyint", "smallint", "mediumint", "int", "bigint", "float", "double", "decimal", "year"}


def value_expr(col, data_type):
    """The text-protocol value of a column, hex-encoded so any byte survives the batch output.
    HEX() of a number is the number in hex, so numbers (and MariaDB's UUID/INET types, whose
    HEX() is their storage) are cast to their text first; BIT is read as its bytes."""
    if data_type == "bit":
        return "HEX(CAST(`%s` AS BINARY))" % col
    if data_type in NUMERIC or data_type in ("uuid", "inet4", "inet6"):
        return "HEX(CAST(`%s` AS CHAR))" % col
    if data_type in TEXT:  # as the snapshot reads them: converted to the connection's utf8mb4
        return "HEX(CONVERT(`%s` USING utf8mb4))" % col
    return "HEX(`%s`)" % col


def client(db, sql):
    args = db._client_args() + ["--batch", "--skip-column-names"]
    r = subprocess.run(args, input=sql.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode(errors="replace"))
    return r.stdout


def unescape_batch(b):
    out = bytearray()
    i = 0
    while i < len(b):
        c = b[i]
        if c == 0x5C and i + 1 < len(b):
            n = b[i + 1]
            out += {0x6E: b"\n", 0x74: b"\t", 0x5C: b"\\", 0x30: b"\0"}.get(n, bytes([n]))
            i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def main():
    checker = sys.argv[1]
    metadata = sys.argv[2] if len(sys.argv) > 2 else "FULL"
    with MariaDB(config={"binlog_row_metadata": metadata}) as db, tempfile.TemporaryDirectory() as tmp:
        db.flush_logs()
        client(db, DDL)
        client(db, ROWS)
        db.flush_logs()
        lines = []
        for table in ("types", "evolved"):
            out = client(db, "SHOW CREATE TABLE s1.`%s`" % table).rstrip(b"\n")
            create = unescape_batch(out.split(b"\t", 1)[1])
            lines.append("SHOW s1 %s %s" % (table.encode().hex(), create.hex()))
        cols = db.query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema='s1' "
            "AND table_name='types' ORDER BY ordinal_position")
        exprs = [value_expr(c, t) for c, t in cols]
        out = client(db, "SET time_zone='+00:00'; SELECT %s FROM s1.types ORDER BY id" % ", ".join(exprs))
        for row in out.decode().splitlines():
            vals = ["-" if v == "NULL" else "x" + v.lower() for v in row.split("\t")]
            lines.append("ROW s1 %s %s" % (b"types".hex(), " ".join(vals)))
        for f in db.binlog_files():
            lines.append("BINLOG %s" % f)
        fixture = os.path.join(tmp, "fixture.txt")
        with open(fixture, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        args = [checker, fixture]
        values = debezium_values(fixture, tmp)
        if values:
            args.append(values)
        r = subprocess.run(args)
        sys.exit(r.returncode)


def debezium_values(fixture, tmp):
    """Debezium 2.7's own values for the same binlog rows (DebeziumLiveValues.java), when java
    and the jars tests/jvm/fetch.sh caches are here; None (and a note) otherwise."""
    cache = os.environ.get("SLUICE_JVM_CACHE", os.path.expanduser("~/.cache/sluice-jvm"))
    jars = os.path.join(cache, "plugins", "debezium-connector-mysql")
    java = shutil.which(os.environ.get("JAVA", "java"))
    if not java or not os.path.isdir(jars):
        print("note: no java or no Debezium jars in %s: the comparison with Debezium is skipped" % cache)
        return None
    out = os.path.join(tmp, "debezium_values.txt")
    cp = "%s/*:%s/*" % (jars, os.path.join(cache, "connect"))
    r = subprocess.run([java, "-cp", cp, os.path.join(HERE, "DebeziumLiveValues.java"), fixture, out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("DebeziumLiveValues failed:\n" + r.stderr.decode(errors="replace")[-3000:])
    return out


if __name__ == "__main__":
    main()
