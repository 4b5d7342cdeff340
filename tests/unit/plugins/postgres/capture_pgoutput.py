#!/usr/bin/env python3
"""Captures REAL pgoutput (protocol 1) bytes from a throwaway PostgreSQL 15 for the decoder tests.

Starts a private server (tests/support/postgres.py), creates a table with every type the
Debezium mapping covers plus a TOASTed table, makes inserts, updates (default and FULL replica
identity, a key change, an unchanged TOASTed column), deletes, a truncate and two logical
decoding messages, and reads them back with
pg_logical_slot_peek_binary_changes(slot, NULL, NULL, 'proto_version', '1', 'publication_names',
'p', 'messages', 'true'). No libpq replication: the bytes are what the walsender would send.

Writes a text fixture (tab-separated lines):
    query  <the pg_type catalog query>
    type   <its nine cells, \\N for NULL>       one per non-built-in type
    msg    <lsn> <hex bytes of one pgoutput message>

    python3 capture_pgoutput.py --out fixtures/pgoutput_alltypes.txt --query-file Q
(Q holds type_catalog_query() or is the committed fixture; the C++ test checks that the
fixture's query is type_catalog_query(), so a changed query means a new fixture.)
"""
import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "support"))
from postgres import Postgres  # noqa: E402

SCHEMA = r"""
CREATE EXTENSION hstore; CREATE EXTENSION citext; CREATE EXTENSION ltree;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN price AS numeric(8,2);
CREATE TABLE alltypes (
  id int PRIMARY KEY, i2 smallint, i8 bigint, o oid, n numeric(10,2), nv numeric, nn numeric,
  m money, f4 real, f8 double precision, b boolean, c char(5), vc varchar(20), t text, nm name,
  by bytea, d date, dbc date, tm time, tm3 time(3), ttz timetz, ts timestamp, ts3 timestamp(3),
  tsinf timestamp, tstz timestamptz, iv interval, u uuid, j json, jb jsonb, x xml,
  ia int[], ta text[], na numeric(5,1)[], tza timestamptz[], e mood, ea mood[], dm price,
  h hstore, ci citext, lt ltree, ip inet, cn cidr, mac macaddr, mac8 macaddr8,
  b1 bit(1), b10 bit(10), vb varbit, pt point, r int4range, bx box);
CREATE TABLE toasty (id int PRIMARY KEY, big text, note text);
ALTER TABLE toasty ALTER COLUMN big SET STORAGE EXTERNAL;
CREATE PUBLICATION p FOR TABLE alltypes, toasty;
"""

ROW = r"""
INSERT INTO alltypes VALUES (1, -32768, 9223372036854775807, 4294967295, 1234.5, 12.3400, 'NaN',
  1234.56, 1.5, 'Infinity', true, 'ab', 'hello', E'multi\nline "q"', 'nm', '\x00ff10',
  '2024-02-29', '0044-03-15 BC', '10:15:30.123456', '10:15:30.123', '10:15:30+02',
  '2024-01-15 10:30:00.123456', '2024-01-15 10:30:00.123', 'infinity', '2024-01-15 12:30:00+02',
  '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}',
  '{"b": [1, 2]}', '<a>1</a>', '{1,NULL,3}', '{"a b","c\"d",NULL}', '{1.5,-2.0}',
  '{"2024-01-15 10:30:00+00"}', 'happy', '{sad,happy}', 3.5, '"10"=>"x", "9"=>NULL', 'MiXed',
  'a.b.c', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
  '1', '1000000001', '101', '(1.5,-2)', '[1,10)', '(1,1),(0,0)')
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--query-file", required=True,
                    help="a file holding type_catalog_query(), or a fixture whose first line names it")
    args = ap.parse_args()
    with open(args.query_file) as f:
        text = f.read()
    # A fixture file names its query on its first line; any other file is the query itself.
    type_query = text[len("query\t"):].split("\n", 1)[0] if text.startswith("query\t") else text.strip()
    big = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(200))  # 12.8 KB
    # synchronous_commit on: the peek reads WAL up to the flush pointer, and the harness's
    # default (off) would sometimes leave the last transactions out.
    with Postgres(config={"synchronous_commit": "on"}) as pg:
        pg.sql(SCHEMA)
        pg.sql("SELECT pg_create_logical_replication_slot('s', 'pgoutput')")
        pg.sql(ROW)
        pg.sql(f"INSERT INTO toasty VALUES (1, '{big}', 'first')")
        pg.sql("UPDATE toasty SET note = 'second'")                      # big unchanged: 'u'
        pg.sql("ALTER TABLE alltypes REPLICA IDENTITY FULL; UPDATE alltypes SET vc = 'bye'")
        pg.sql("UPDATE toasty SET id = 2")                                  # key change: 'K'
        pg.sql("DELETE FROM alltypes; DELETE FROM toasty")
        pg.sql(f"INSERT INTO toasty VALUES (3, 'small', NULL)")
        pg.sql("TRUNCATE toasty, alltypes RESTART IDENTITY CASCADE")
        pg.sql("BEGIN; SELECT pg_logical_emit_message(true, 'audit', 'hello'); COMMIT")
        pg.sql("SELECT pg_logical_emit_message(false, 'nontx', '\\x00ff'::bytea)")
        pg.sql("SELECT txid_current()")  # a synchronous commit after it flushes the message too
        types = pg.query(type_query)
        msgs = pg.query("SELECT lsn, encode(data, 'hex') FROM pg_logical_slot_peek_binary_changes("
                        "'s', NULL, NULL, 'proto_version', '1', 'publication_names', 'p', "
                        "'messages', 'true')")
    with open(args.out, "w") as f:
        f.write("query\t" + type_query + "\n")
        for row in types:
            f.write("type\t" + "\t".join("\\N" if c is None else c for c in row) + "\n")
        for lsn, data in msgs:
            f.write(f"msg\t{lsn}\t{data}\n")
    print(f"{len(types)} types, {len(msgs)} messages -> {args.out}")


if __name__ == "__main__":
    main()
