#!/usr/bin/env python3
"""A private PostgreSQL 15 server on loopback for tests (Debian's postgresql-15, no system files).

The server gets its own temporary folder (initdb data directory, socket, log) and listens on
127.0.0.1 on a free port with wal_level=logical and room for replication slots and senders.
A `debezium` role with LOGIN REPLICATION and a password is created in database `cdc_demo`.
PostgreSQL refuses to run as root: when the test runs as root, the server runs as `postgres`.

As a module (standard library only):

    from postgres import Postgres
    with Postgres() as pg:                        # start(timeout=60) ... stop()
        pg.sql("CREATE TABLE t (id int primary key)")          # as the superuser, in cdc_demo
        rows = pg.query("SELECT id FROM t")        # list of tuples of strings (None for NULL)
        pg.port, pg.user, pg.password, pg.dbname, pg.dir

    Postgres(config={"wal_sender_timeout": "10s"}) adds or overrides server settings.

As a command:

    python3 tests/support/postgres.py run [--dir DIR]   # prints port= dir= lines, stays up

Environment: PG_BIN (default /usr/lib/postgresql/15/bin), KEEP_WORK=1 keeps the folder.
"""
import argparse
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

_PR_SET_PDEATHSIG = 1
SEP = "\x1f"  # unit separator between columns of query() output


def _die_with_parent():
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresError(RuntimeError):
    pass


class Postgres:
    def __init__(self, work_dir=None, config=None, dbname="cdc_demo", user="debezium",
                 password="dbz-secret"):
        self.bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
        if not os.access(os.path.join(self.bin, "postgres"), os.X_OK):
            raise PostgresError(f"no PostgreSQL server in {self.bin} "
                                "(apt-get install postgresql-15)")
        self.psql = shutil.which("psql") or os.path.join(self.bin, "psql")
        self._own_dir = work_dir is None
        self.dir = work_dir or tempfile.mkdtemp(prefix="sluice-pg.")
        os.makedirs(self.dir, exist_ok=True)
        self.data_dir = os.path.join(self.dir, "data")
        self.dbname, self.user, self.password = dbname, user, password
        self.port = None
        self.config = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.dir}'",
            "wal_level": "logical",
            "max_wal_senders": "10",
            "max_replication_slots": "10",
            "shared_buffers": "128MB",
            "max_wal_size": "2GB",
            "synchronous_commit": "off",
            "fsync": "off",
            "full_page_writes": "off",
            "timezone": "'UTC'",
        }
        self.config.update(config or {})
        self._as_postgres = os.geteuid() == 0

    # -- lifecycle ---------------------------------------------------------------------------

    def _run_as(self, args, **kw):
        if self._as_postgres:
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              stdin=subprocess.DEVNULL, **kw)

    def start(self, timeout=60):
        if self._as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        if not os.path.isdir(self.data_dir):
            r = self._run_as([os.path.join(self.bin, "initdb"), "-D", self.data_dir,
                              "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--locale=C.UTF-8"], timeout=timeout)
            if r.returncode != 0:
                raise PostgresError("initdb failed:\n" + r.stdout[-4000:])
        self.port = free_port()
        with open(os.path.join(self.data_dir, "postgresql.auto.conf"), "w") as f:
            for k, v in {**self.config, "port": str(self.port)}.items():
                f.write(f"{k} = {v}\n")
        with open(os.path.join(self.data_dir, "pg_hba.conf"), "w") as f:
            f.write("local all postgres trust\n"
                    "local all all md5\n"
                    "host all postgres 127.0.0.1/32 trust\n"
                    "host all all 127.0.0.1/32 md5\n"
                    "host replication all 127.0.0.1/32 md5\n")
        r = self._run_as([os.path.join(self.bin, "pg_ctl"), "-D", self.data_dir, "-l",
                          os.path.join(self.dir, "server.log"), "-w", "-t", str(timeout),
                          "start"], timeout=timeout + 10)
        if r.returncode != 0:
            raise PostgresError("pg_ctl start failed:\n" + r.stdout[-2000:] + self.log_tail())
        self.sql(f"CREATE DATABASE {self.dbname}", db="postgres")
        self.sql(f"CREATE ROLE {self.user} LOGIN REPLICATION PASSWORD '{self.password}'")
        self.sql(f"GRANT CREATE ON DATABASE {self.dbname} TO {self.user}; "
                 f"GRANT USAGE, CREATE ON SCHEMA public TO {self.user}; "
                 f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {self.user}")
        return self

    def stop(self):
        if self.port is not None and os.path.isdir(self.data_dir):
            self._run_as([os.path.join(self.bin, "pg_ctl"), "-D", self.data_dir, "-m", "fast",
                          "-w", "stop"], timeout=60)
        self.port = None
        if self._own_dir and os.environ.get("KEEP_WORK") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, n=40):
        try:
            with open(os.path.join(self.dir, "server.log"), errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    # -- SQL -----------------------------------------------------------------------------------

    def _psql(self, sql, db, user, extra):
        env = dict(os.environ, PGPASSWORD=self.password, PGTZ="UTC")
        args = [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", str(self.port), "-U", user, "-d", db or self.dbname] + extra
        r = subprocess.run(args, input=sql, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env, timeout=600)
        if r.returncode != 0:
            raise PostgresError(f"psql failed: {r.stderr.strip()}\nSQL: {sql[:500]}")
        return r.stdout

    def sql(self, sql, db=None, user="postgres"):
        """Runs statements (one string, ';'-separated) as one psql script."""
        self._psql(sql, db, user, [])

    def query(self, sql, db=None, user="postgres"):
        """Rows of the last statement as tuples of strings; None for SQL NULL."""
        out = self._psql(sql, db, user, ["-A", "-t", "-F", SEP, "-P", "null=\x1e"])
        rows = []
        for line in out.split("\n"):
            if not line:
                continue
            rows.append(tuple(None if c == "\x1e" else c for c in line.split(SEP)))
        return rows

    def scalar(self, sql, db=None):
        rows = self.query(sql, db)
        return rows[0][0] if rows else None

    def slot(self, name):
        """(confirmed_flush_lsn as int, active) of a replication slot, or None."""
        rows = self.query("SELECT confirmed_flush_lsn - '0/0'::pg_lsn, active "
                          f"FROM pg_replication_slots WHERE slot_name = '{name}'")
        if not rows:
            return None
        lsn = rows[0][0]
        return (int(lsn) if lsn is not None else None, rows[0][1] == "t")


def _main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--dir")
    args = ap.parse_args()
    if args.cmd == "run":
        pg = Postgres(work_dir=args.dir).start()
        print(f"port={pg.port}\ndir={pg.dir}\nuser={pg.user}\npassword={pg.password}\n"
              f"dbname={pg.dbname}", flush=True)
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
        try:
            while not stop:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        pg.stop()


if __name__ == "__main__":
    _main()
