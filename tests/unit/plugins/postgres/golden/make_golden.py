#!/usr/bin/env python3
"""Regenerates fixtures/debezium_golden.tsv: each case of cases.py converted by Debezium 2.7.4's
own PostgresValueConverter (pgoutput text value -> Connect value) and written by Kafka Connect's
JsonConverter. Arrays go through pgjdbc's PgArray, which needs a connection: a throwaway
PostgreSQL 15 (tests/support/postgres.py) provides it. Needs a JDK and the jars that
tests/jvm/fetch.sh puts in ~/.cache/sluice-jvm."""
import glob
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "..", "support"))
from postgres import Postgres  # noqa: E402

jvm = os.environ.get("SLUICE_JVM_CACHE", os.path.expanduser("~/.cache/sluice-jvm"))
cp = ":".join(sorted(glob.glob(f"{jvm}/plugins/debezium-connector-postgres/*.jar")) +
              sorted(glob.glob(f"{jvm}/connect/*.jar")))
out = os.path.join(here, "..", "fixtures", "debezium_golden.tsv")
with tempfile.TemporaryDirectory() as work:
    subprocess.run(["javac", "-nowarn", "-cp", cp, "-d", work, os.path.join(here, "PgGolden.java")],
                   check=True, stderr=subprocess.DEVNULL)
    cases = subprocess.run([sys.executable, os.path.join(here, "cases.py")], check=True,
                           stdout=subprocess.PIPE).stdout
    with Postgres() as pg:
        env = dict(os.environ, PG_JDBC_URL=f"jdbc:postgresql://127.0.0.1:{pg.port}/{pg.dbname}?user=postgres")
        r = subprocess.run(["java", "-cp", f"{work}:{cp}", "io.debezium.connector.postgresql.PgGolden"],
                           input=cases, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=True)
with open(out, "wb") as f:
    f.write(r.stdout)
print(len(r.stdout.splitlines()), "cases ->", out)
