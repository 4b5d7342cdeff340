#!/usr/bin/env python3
"""Kafka Connect's own JVM worker (the reference peer), and a REST client for either worker.

The worker runs from tests/jvm/fetch.sh's cache (`<cache>/connect/*` on the classpath, which
includes connect-test-plugins' VerifiableSourceConnector; `plugin.path` defaults to
`<cache>/plugins`, the Debezium connectors). Its REST server listens on 127.0.0.1 with a free
port. Standard library only.

As a module (`sys.path` must include tests/support):

    from connect_worker import ConnectWorker, RestClient
    with ConnectWorker("standalone", bootstrap=kc.bootstrap) as w:   # start(timeout=120) / stop()
        w.url, w.pid, w.startup_seconds            # exec until `GET /` answered, in seconds
        w.put_connector("v", {"connector.class": "...VerifiableSourceConnector", ...})
        w.wait_status("v", "RUNNING", timeout=60)   # connector and every task RUNNING
        w.request("GET", "/connectors/v/status")    # -> (200, {...})
    RestClient("http://127.0.0.1:8083")             # the same calls against any worker (Sluice)

    ConnectWorker(mode, bootstrap, work_dir=None, plugin_path=<cache>/plugins,
                  worker_config=None, heap="-Xmx512m", connectors=None, stdout_log=True,
                  jvm_opts=None)
      worker_config: worker properties applied last (override the defaults below).
      connectors:    standalone only: connector configs (dicts) passed on the command line as
                     properties files, so they start with the worker (no REST call needed).
      stdout_log:    False sends the JVM's standard output to /dev/null (Kafka's
                     VerifiableSourceTask prints every record there); otherwise
                     <work_dir>/stdout.log.
      plugin_path:   None leaves plugin.path unset (no plugin scan; quicker start).

Defaults: JsonConverter for keys and values (schemas.enable=true, Connect's default),
`listeners=http://127.0.0.1:PORT`; standalone: ConnectStandalone with
`offset.storage.file.filename=<work_dir>/offsets`; distributed: ConnectDistributed with a unique
group.id and config/offset/status topics (replication factor 1). Log4j (reload4j) writes
<work_dir>/connect.log. JVM options: Kafka's own scripts' defaults (G1, headless) after the heap;
SLUICE_CONNECT_JVM_OPTS adds more. The JVM gets PR_SET_PDEATHSIG: it dies with the thread that
started it.

As a command:

    connect_worker.py run --bootstrap B [--mode standalone|distributed] [--work-dir DIR]
                          [--set KEY=VALUE ...] [--connector FILE ...] [--no-plugin-path]
        prints the REST URL as the first line of standard output, then pid= and work_dir=
        lines; stays up until SIGINT/SIGTERM, then stops the worker.
    connect_worker.py request URL METHOD PATH [JSON_BODY]
        one REST call against any worker; prints the status and the (pretty) body.
    connect_worker.py put URL NAME CONFIG(.json|.properties)   (PUT /connectors/NAME/config)
    connect_worker.py wait URL NAME [--state RUNNING] [--timeout 60]

Environment: SLUICE_JVM_CACHE, JAVA_HOME or JAVA (as kafka_cluster.py), KEEP_WORK=1 (keep the
work dir of a worker that made its own), SLUICE_CONNECT_JVM_OPTS.
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from kafka_cluster import (_die_with_parent, _tail, ensure_jars, free_ports,  # noqa: E402
                           java_binary, jvm_cache)

# What Kafka's bin/kafka-run-class.sh uses (KAFKA_JVM_PERFORMANCE_OPTS), so the reference
# worker runs as users run it.
DEFAULT_JVM_OPTS = ["-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                    "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
                    "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true",
                    "-XX:+ExitOnOutOfMemoryError"]
MAIN_CLASS = {"standalone": "org.apache.kafka.connect.cli.ConnectStandalone",
              "distributed": "org.apache.kafka.connect.cli.ConnectDistributed"}


class ConnectError(RuntimeError):
    pass


class RestClient:
    """Kafka Connect's REST API over http.client; works against the JVM worker and Sluice.

    Connection errors (ConnectionRefusedError, ...) propagate from request(), so a caller can
    tell "no REST server" from an HTTP error status."""

    def __init__(self, url, timeout=30):
        self.url = url.rstrip("/") if url else url
        self.timeout = timeout

    def request(self, method, path, body=None, timeout=None):
        """-> (status, parsed JSON, or the text when the body is not JSON, or None if empty)."""
        u = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(u.hostname, u.port or 80,
                                          timeout=timeout or self.timeout)
        try:
            headers = {"Accept": "application/json"}
            data = None
            if body is not None:
                data = body if isinstance(body, (bytes, str)) else json.dumps(body)
                headers["Content-Type"] = "application/json"
            conn.request(method, (u.path.rstrip("/") + path) or "/", body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            status = resp.status
        finally:
            conn.close()
        text = raw.decode("utf-8", errors="replace")
        if not text.strip():
            return status, None
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def answers(self, timeout=2):
        """Whether `GET /` answers 200 now."""
        try:
            return self.request("GET", "/", timeout=timeout)[0] == 200
        except (OSError, http.client.HTTPException):
            return False

    def server_info(self):
        return self._ok("GET", "/")

    def connectors(self):
        return self._ok("GET", "/connectors")

    def put_connector(self, name, config):
        """PUT /connectors/NAME/config (creates or updates); -> the parsed answer."""
        cfg = {str(k): str(v) for k, v in config.items()}
        cfg.setdefault("name", name)
        return self._ok("PUT", f"/connectors/{_q(name)}/config", cfg, accept=(200, 201))

    def delete_connector(self, name):
        return self._ok("DELETE", f"/connectors/{_q(name)}", accept=(200, 204))

    def status(self, name):
        """GET /connectors/NAME/status: (status code, body)."""
        return self.request("GET", f"/connectors/{_q(name)}/status")

    def wait_status(self, name, state="RUNNING", timeout=60, tasks=None):
        """Polls /connectors/NAME/status until the connector and every task (at least one, or
        exactly `tasks`) are in `state`; -> the status. Raises ConnectError (with the last
        status) on timeout, or at once when something is FAILED and FAILED was not asked."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            try:
                code, body = self.status(name)
                last = (code, body)
            except (OSError, http.client.HTTPException) as e:
                code, body, last = None, None, repr(e)
            if code == 200 and isinstance(body, dict):
                conn_state = (body.get("connector") or {}).get("state")
                task_states = [t.get("state") for t in body.get("tasks") or []]
                if (conn_state == state and task_states
                        and all(s == state for s in task_states)
                        and (tasks is None or len(task_states) == tasks)):
                    return body
                if state != "FAILED" and "FAILED" in [conn_state, *task_states]:
                    raise ConnectError(f"connector {name} failed: {json.dumps(body)[:3000]}")
            if time.monotonic() >= deadline:
                raise ConnectError(f"connector {name} not {state} within {timeout}s; "
                                   f"last status: {str(last)[:3000]}")
            time.sleep(0.2)

    def _ok(self, method, path, body=None, accept=(200,)):
        code, parsed = self.request(method, path, body)
        if code not in accept:
            raise ConnectError(f"{method} {path} -> {code}: {str(parsed)[:2000]}")
        return parsed


def _q(name):
    return urllib.parse.quote(name, safe="")


def _write_properties(path, props):
    """Java .properties: backslashes and newlines escaped; in keys also the separators."""
    def esc(s, key):
        s = str(s).replace("\\", "\\\\").replace("\n", "\\n")
        if key:
            for c in "=: ":
                s = s.replace(c, "\\" + c)
        return s
    with open(path, "w") as f:
        for k, v in props.items():
            f.write(f"{esc(k, True)}={esc(v, False)}\n")


class ConnectWorker(RestClient):
    """One Kafka Connect JVM worker (standalone or distributed) on loopback."""

    def __init__(self, mode="standalone", bootstrap=None, work_dir=None, plugin_path="default",
                 worker_config=None, heap="-Xmx512m", connectors=None, stdout_log=True,
                 jvm_opts=None):
        if mode not in MAIN_CLASS:
            raise ValueError(f"mode must be standalone or distributed, not {mode!r}")
        if not bootstrap:
            raise ValueError("bootstrap servers are required")
        if connectors and mode != "standalone":
            raise ValueError("connectors= is for standalone mode (use put_connector)")
        super().__init__(None)
        self.mode = mode
        self.bootstrap = bootstrap
        self._own_dir = work_dir is None
        self.work_dir = Path(work_dir) if work_dir else None
        self.plugin_path = plugin_path
        self.worker_config = dict(worker_config or {})
        self.heap = heap.split() if isinstance(heap, str) else list(heap or [])
        self.connectors = list(connectors or [])
        self.stdout_log = stdout_log
        self.jvm_opts = list(DEFAULT_JVM_OPTS if jvm_opts is None else jvm_opts)
        self.port = None
        self.proc = None
        self.startup_seconds = None
        self.group_id = None

    # ---- paths

    @property
    def log(self):
        return self.work_dir / "connect.log"

    @property
    def stdout_path(self):
        return self.work_dir / "stdout.log"

    @property
    def properties(self):
        return self.work_dir / "worker.properties"

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- lifecycle

    def config(self):
        """The worker properties this worker runs with (defaults, then worker_config)."""
        props = {
            "bootstrap.servers": self.bootstrap,
            "listeners": f"http://127.0.0.1:{self.port}",
            "rest.advertised.host.name": "127.0.0.1",
            "rest.advertised.port": self.port,
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "true",
            "value.converter.schemas.enable": "true",
            "offset.flush.interval.ms": 10000,
        }
        if self.plugin_path == "default":
            props["plugin.path"] = jvm_cache() / "plugins"
        elif self.plugin_path:
            props["plugin.path"] = self.plugin_path
        if self.mode == "standalone":
            props["offset.storage.file.filename"] = self.work_dir / "offsets"
        else:
            gid = self.group_id
            props.update({
                "group.id": gid,
                "config.storage.topic": f"{gid}-configs",
                "offset.storage.topic": f"{gid}-offsets",
                "status.storage.topic": f"{gid}-status",
                "config.storage.replication.factor": 1,
                "offset.storage.replication.factor": 1,
                "status.storage.replication.factor": 1,
                "offset.storage.partitions": 5,
                "status.storage.partitions": 1,
                "scheduled.rebalance.max.delay.ms": 0,
            })
        props.update(self.worker_config)
        return props

    def start(self, timeout=120):
        """Writes the configs, execs the JVM, returns once `GET /` answers 200 (raising
        ConnectError with the log's tail if the JVM exits or `timeout` passes first)."""
        if self.proc is not None:
            raise ConnectError("already started")
        cache = ensure_jars()
        if self.work_dir is None:
            self.work_dir = Path(tempfile.mkdtemp(prefix=f"sluice-connect-{self.mode}."))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_ports(1)[0]
        self.url = f"http://127.0.0.1:{self.port}"
        self.group_id = self.worker_config.get("group.id") or f"connect-{secrets.token_hex(4)}"
        _write_properties(self.properties, self.config())
        _write_properties(self.work_dir / "log4j.properties", {
            "log4j.rootLogger": "INFO, file",
            "log4j.appender.file": "org.apache.log4j.RollingFileAppender",
            "log4j.appender.file.File": self.log,
            "log4j.appender.file.MaxFileSize": "64MB",
            "log4j.appender.file.MaxBackupIndex": 2,
            "log4j.appender.file.layout": "org.apache.log4j.PatternLayout",
            "log4j.appender.file.layout.ConversionPattern":
                "[%d] %p %X{connector.context}%m (%c:%L)%n",
            "log4j.logger.org.reflections": "ERROR",
            "log4j.logger.org.apache.kafka.clients": "WARN",
            "log4j.logger.org.apache.kafka.common.config.AbstractConfig": "WARN",
        })
        args = [str(self.properties)]
        for i, c in enumerate(self.connectors):
            path = self.work_dir / f"connector-{i}.properties"
            _write_properties(path, c)
            args.append(str(path))
        extra = os.environ.get("SLUICE_CONNECT_JVM_OPTS", "").split()
        cmd = [java_binary(), *self.heap, *self.jvm_opts, *extra,
               f"-Dlog4j.configuration=file:{self.work_dir / 'log4j.properties'}",
               "-cp", str(cache / "connect" / "*"), MAIN_CLASS[self.mode], *args]
        if self.stdout_log:
            out = open(self.stdout_path, "ab")
            err = subprocess.STDOUT
        else:
            out = subprocess.DEVNULL
            err = open(self.work_dir / "stderr.log", "ab")
        t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         start_new_session=True, preexec_fn=_die_with_parent)
        finally:
            for f in (out, err):
                if hasattr(f, "close"):
                    f.close()
        deadline = t0 + timeout
        while not self.answers(timeout=1):
            if not self.alive():
                rc = self.proc.returncode
                self.proc = None
                raise ConnectError(f"Connect worker exited with {rc} before its REST answered; "
                                   f"{self.log}:\n{_tail(self.log, 30)}\n"
                                   f"{self.stdout_path}:\n{_tail(self.stdout_path)}")
            if time.monotonic() >= deadline:
                self.stop()
                raise ConnectError(f"Connect worker's REST did not answer within {timeout}s; "
                                   f"see {self.log}")
            time.sleep(0.05)
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL after `timeout`; -> the exit code. Removes a work dir it made
        itself (unless KEEP_WORK=1)."""
        rc = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            rc = self.proc.returncode
            self.proc = None
        if self._own_dir and self.work_dir is not None and self.work_dir.exists():
            if os.environ.get("KEEP_WORK") == "1":
                print(f"connect_worker: work dir kept: {self.work_dir}", file=sys.stderr)
            else:
                shutil.rmtree(self.work_dir, ignore_errors=True)
                self.work_dir = None
        return rc

    def kill(self):
        """SIGKILL (no shutdown)."""
        if self.alive():
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()


# ---- command line

class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop()


def _load_config(path):
    text = Path(path).read_text()
    if path.endswith(".json"):
        data = json.loads(text)
        return data.get("config", data), data.get("name")
    props = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        sep = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if sep < 0:
            props[line] = ""
        else:
            props[line[:sep].strip()] = line[sep + 1:].strip()
    return props, props.get("name")


def _print_answer(code, body):
    print(code)
    if body is not None:
        print(json.dumps(body, indent=2) if not isinstance(body, str) else body)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Kafka Connect's JVM worker, and REST calls.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="start a JVM worker; stay up until SIGINT/SIGTERM")
    run.add_argument("--bootstrap", required=True)
    run.add_argument("--mode", choices=sorted(MAIN_CLASS), default="standalone")
    run.add_argument("--work-dir")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="a worker property (repeatable)")
    run.add_argument("--connector", action="append", default=[], metavar="FILE",
                     help="standalone: a connector config (.properties or .json) to start with")
    run.add_argument("--no-plugin-path", action="store_true")
    run.add_argument("--heap", default="-Xmx512m")
    run.add_argument("--timeout", type=float, default=120)
    req = sub.add_parser("request", help="one REST call: URL METHOD PATH [JSON_BODY]")
    req.add_argument("url")
    req.add_argument("method")
    req.add_argument("path")
    req.add_argument("body", nargs="?")
    put = sub.add_parser("put", help="PUT /connectors/NAME/config from a file")
    put.add_argument("url")
    put.add_argument("name")
    put.add_argument("config")
    wait = sub.add_parser("wait", help="wait until a connector and its tasks reach a state")
    wait.add_argument("url")
    wait.add_argument("name")
    wait.add_argument("--state", default="RUNNING")
    wait.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args(argv)

    try:
        if args.cmd == "request":
            body = json.loads(args.body) if args.body else None
            _print_answer(*RestClient(args.url).request(args.method.upper(), args.path, body))
            return 0
        if args.cmd == "put":
            cfg, _ = _load_config(args.config)
            print(json.dumps(RestClient(args.url).put_connector(args.name, cfg), indent=2))
            return 0
        if args.cmd == "wait":
            st = RestClient(args.url).wait_status(args.name, args.state, args.timeout)
            print(json.dumps(st, indent=2))
            return 0
    except (ConnectError, OSError) as e:
        print(f"connect_worker: {e}", file=sys.stderr)
        return 1

    worker_config = {}
    for kv in args.set:
        k, _, v = kv.partition("=")
        worker_config[k] = v
    connectors = [_load_config(p)[0] for p in args.connector]
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _raise_stop)
    w = ConnectWorker(args.mode, bootstrap=args.bootstrap, work_dir=args.work_dir,
                      plugin_path=None if args.no_plugin_path else "default",
                      worker_config=worker_config, heap=args.heap, connectors=connectors)
    try:
        w.start(timeout=args.timeout)
        print(f"{w.url}\npid={w.pid}\nwork_dir={w.work_dir}", flush=True)
        print(f"connect_worker: {args.mode} worker up in {w.startup_seconds:.1f}s; "
              f"log {w.log}", file=sys.stderr, flush=True)
        while w.alive():
            time.sleep(0.5)
        print(f"connect_worker: the worker exited with {w.proc.returncode}; see {w.log}",
              file=sys.stderr)
        return 1
    except _Stop:
        return 0
    except ConnectError as e:
        print(f"connect_worker: {e}", file=sys.stderr)
        return 1
    finally:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        w.stop()


if __name__ == "__main__":
    sys.exit(main())
