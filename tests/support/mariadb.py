#!/usr/bin/env python3
"""A private MariaDB server on loopback for tests (Debian's mariadb-server, no system files).

The server gets its own temporary folder: data directory (mariadb-install-db), socket, pid
file, error log and binlogs; it listens on 127.0.0.1 on a free port, with row-based binary
logging (binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL, CRC32
checksums). root@localhost has no password and connects over the socket.

As a module (standard library only):

    from mariadb import MariaDB
    with MariaDB() as db:                        # start(timeout=60) ... stop()
        db.sql("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY)")
        rows = db.query("SELECT id FROM d.t")    # list of tuples of strings (None for NULL)
        db.flush_logs()
        db.binlog_files()                        # paths of the binlog files, oldest first
        db.port, db.socket, db.dir

    MariaDB(config={"log_bin_compress": "ON"}) adds or overrides server options.

As a command:

    python3 tests/support/mariadb.py run [--dir DIR] [--set name=value ...]

prints `port=`, `socket=`, `dir=` and `binlog_dir=` lines, stays up until SIGINT/SIGTERM, then
stops the server and removes its folder (KEEP_WORK=1 keeps it).

    python3 tests/support/mariadb.py sql --socket S "SQL..."     # runs statements, prints rows

Environment: MARIADBD (server binary, default mariadbd from PATH or /usr/sbin), KEEP_WORK=1.
"""
import argparse
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _which(name, extra=("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")):
    found = shutil.which(name)
    if found:
        return found
    for d in extra:
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDBError(RuntimeError):
    pass


class MariaDB:
    def __init__(self, work_dir=None, config=None, buffer_pool="256M"):
        self.server = os.environ.get("MARIADBD") or _which("mariadbd")
        self.install_db = _which("mariadb-install-db")
        self.client = _which("mariadb")
        if not (self.server and self.install_db and self.client):
            raise MariaDBError("mariadbd, mariadb-install-db and mariadb are needed "
                               "(apt-get install mariadb-server mariadb-client)")
        self._own_dir = work_dir is None
        self.dir = work_dir or tempfile.mkdtemp(prefix="sluice-mariadb.")
        os.makedirs(self.dir, exist_ok=True)
        self.data_dir = os.path.join(self.dir, "data")
        self.binlog_dir = os.path.join(self.dir, "binlog")
        self.socket = os.path.join(self.dir, "mariadb.sock")
        self.port = None
        self.config = {
            "innodb_buffer_pool_size": buffer_pool,
            "innodb_log_file_size": "256M",
            "innodb_flush_log_at_trx_commit": "2",
            "sync_binlog": "0",
            "max_binlog_size": "1G",
            "max_allowed_packet": "256M",
        }
        self.config.update(config or {})
        self.proc = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, timeout=60):
        os.makedirs(self.binlog_dir, exist_ok=True)
        # A private tmpdir: servers started side by side never share temporary table files.
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        if not os.path.isdir(os.path.join(self.data_dir, "mysql")):
            r = subprocess.run(
                [self.install_db, "--no-defaults", "--user=" + _user(), "--datadir=" + self.data_dir,
                 "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + tmp],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
            if r.returncode != 0:
                raise MariaDBError("mariadb-install-db failed:\n" + r.stdout[-4000:])
        self.port = free_port()
        cnf = os.path.join(self.dir, "my.cnf")
        lines = [
            "[mariadbd]",
            "user=" + _user(),
            "datadir=" + self.data_dir,
            "tmpdir=" + tmp,
            "socket=" + self.socket,
            "pid-file=" + os.path.join(self.dir, "mariadbd.pid"),
            "log-error=" + os.path.join(self.dir, "error.log"),
            "port=%d" % self.port,
            "bind-address=127.0.0.1",
            "skip-name-resolve",
            "server-id=101",
            "log-bin=" + os.path.join(self.binlog_dir, "binlog"),
            "binlog-format=ROW",
            "binlog-row-image=FULL",
            "binlog-row-metadata=FULL",
            "binlog-checksum=CRC32",
            "character-set-server=utf8mb4",
            "collation-server=utf8mb4_general_ci",
            "default-time-zone=+00:00",
            "explicit-defaults-for-timestamp=ON",
        ]
        for k, v in self.config.items():
            lines.append("%s=%s" % (k.replace("_", "-"), v))
        with open(cnf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self._log = open(os.path.join(self.dir, "mariadbd.out"), "ab")
        self.proc = subprocess.Popen([self.server, "--defaults-file=" + cnf], stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise MariaDBError("mariadbd exited with %s:\n%s" % (self.proc.returncode, self.error_log()))
            r = subprocess.run(self._client_args() + ["-e", "SELECT 1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode == 0:
                return self
            last = r.stderr
            time.sleep(0.1)
        self.stop()
        raise MariaDBError("mariadbd not ready after %ss: %s\n%s" % (timeout, last, self.error_log()))

    def stop(self, timeout=60):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
        if self._own_dir and os.environ.get("KEEP_WORK") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "error.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    # -- SQL ---------------------------------------------------------------------------------

    def _client_args(self):
        return [self.client, "--no-defaults", "--protocol=socket", "--socket=" + self.socket, "-uroot",
                "--default-character-set=utf8mb4"]

    def sql(self, statements, database=None, timeout=600):
        """Runs statements (a string; several separated by ';'); raises on error."""
        args = self._client_args() + ["--batch", "--skip-column-names"]
        if database:
            args.append(database)
        r = subprocess.run(args, input=statements, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise MariaDBError("SQL failed: %s\n--- statements ---\n%s" % (r.stderr.strip(), statements[:2000]))
        return r.stdout

    def query(self, statement, database=None):
        """Rows of a query as tuples of strings (None for NULL)."""
        out = self.sql(statement, database)
        rows = []
        for line in out.splitlines():
            rows.append(tuple(None if v == "NULL" else v for v in line.split("\t")))
        return rows

    def flush_logs(self):
        self.sql("FLUSH BINARY LOGS")

    def binlog_files(self):
        index = os.path.join(self.binlog_dir, "binlog.index")
        with open(index) as f:
            names = [line.strip() for line in f if line.strip()]
        return [n if os.path.isabs(n) else os.path.join(self.data_dir, n) for n in names]


def _user():
    import pwd
    return pwd.getpwuid(os.getuid()).pw_name


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="start a server and keep it up until SIGINT/SIGTERM")
    run.add_argument("--dir", help="work folder (default: a new temporary folder)")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="server option")
    run.add_argument("--timeout", type=float, default=60)
    q = sub.add_parser("sql", help="run SQL against a running server")
    q.add_argument("--socket", required=True)
    q.add_argument("statements")
    args = ap.parse_args(argv)
    if args.cmd == "sql":
        client = _which("mariadb")
        r = subprocess.run([client, "--no-defaults", "--protocol=socket", "--socket=" + args.socket, "-uroot",
                            "--batch", "-e", args.statements])
        return r.returncode
    config = dict(s.split("=", 1) for s in args.set)
    db = MariaDB(work_dir=args.dir, config=config)
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.append(1))
    db.start(timeout=args.timeout)
    try:
        print("port=%d" % db.port)
        print("socket=" + db.socket)
        print("dir=" + db.dir)
        print("binlog_dir=" + db.binlog_dir, flush=True)
        while not stop and db.proc.poll() is None:
            time.sleep(0.2)
    finally:
        db.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
