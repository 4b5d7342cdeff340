#!/usr/bin/env python3
"""A real Apache Kafka (KRaft) cluster on loopback, for the "real Kafka" test tier.

Each node is its own JVM (`java -cp "<cache>/kafka/*" kafka.Kafka server.properties`) in combined
mode (process.roles=broker,controller), listening on 127.0.0.1 with free ports; with N nodes the
N controllers form the quorum. The jars come from tests/jvm/fetch.sh (run on first use).

As a module (standard library only):

    from kafka_cluster import KafkaCluster
    with KafkaCluster(nodes=3) as kc:          # start(timeout=90) ... stop()
        kc.bootstrap                           # "127.0.0.1:P0,127.0.0.1:P1,127.0.0.1:P2"
        kc.kill(1); kc.restart(1)              # SIGKILL node 1; start it again, wait until back
        kc.create_topic("t", partitions=3)

    KafkaCluster(sasl=True) adds a SASL_SSL listener (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN):
    .sasl_bootstrap, .ca_pem_path, .users (name -> password).

As a command:

    python3 tests/support/kafka_cluster.py run [--nodes N] [--sasl] [--work-dir DIR]

prints the bootstrap servers as the first line of standard output (then key=value lines:
work_dir, and with --sasl sasl_bootstrap, ca_pem and user.NAME=PASSWORD), stays up until
SIGINT/SIGTERM/SIGHUP, then stops the cluster and removes its files. Java's output goes to
log files under each node's folder, never to the terminal.

Environment: SLUICE_JVM_CACHE (the jar cache, default ~/.cache/sluice-jvm), KEEP_WORK=1 (keep
the data and logs after stop), JAVA_HOME or JAVA (the java binary), SLUICE_KAFKA_JVM_OPTS
(extra JVM options for every node).

The JVMs get PR_SET_PDEATHSIG=SIGKILL: they die with the thread that started them, so a killed
test leaves no broker behind. Start and restart nodes from a thread that outlives them (the
main thread, normally).
"""
import argparse
import base64
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FETCH = REPO / "tests" / "jvm" / "fetch.sh"
HEAP_OPTS = ["-Xmx384m", "-Xms128m"]
JVM_OPTS = ["-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
            "-Djava.awt.headless=true"]
SASL_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")


class KafkaError(RuntimeError):
    pass


def jvm_cache():
    return Path(os.environ.get("SLUICE_JVM_CACHE") or Path.home() / ".cache" / "sluice-jvm")


def ensure_jars():
    """Runs tests/jvm/fetch.sh (quick when the cache is complete); returns the cache folder."""
    cache = jvm_cache()
    first = not any((cache / "kafka").glob("kafka_*.jar"))
    if first:
        print(f"kafka_cluster: fetching Kafka into {cache} (tests/jvm/fetch.sh)", file=sys.stderr)
    r = subprocess.run(["bash", str(FETCH)], stdin=subprocess.DEVNULL, text=True,
                       stdout=sys.stderr if first else subprocess.PIPE,
                       stderr=sys.stderr if first else subprocess.STDOUT)
    if r.returncode != 0:
        raise KafkaError(f"tests/jvm/fetch.sh failed: {(r.stdout or '').strip()}")
    return cache


def java_binary():
    if os.environ.get("JAVA"):
        return os.environ["JAVA"]
    if os.environ.get("JAVA_HOME"):
        return str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise KafkaError("java is not installed (set JAVA_HOME or JAVA)")
    return found


def free_ports(n):
    """n distinct free TCP ports on 127.0.0.1 (bound to port 0, then released)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def random_cluster_id():
    """A Kafka Uuid string: 16 random bytes, URL-safe base64 without padding, no leading '-'."""
    while True:
        cid = base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # loaded here, not after fork
except (OSError, AttributeError):
    _prctl = None


def _die_with_parent():
    # Runs in the child between fork and exec: SIGKILL it when the parent thread dies.
    if _prctl is not None:
        _prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def _tail(path, lines=15):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            text = f.read().decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])
    except OSError:
        return ""


def _write_properties(path, props):
    with open(path, "w") as f:
        for k, v in props.items():
            f.write(f"{k}={v}\n")


class Node:
    """One KRaft node (broker and controller in one JVM)."""

    def __init__(self, node_id, directory, port, controller_port, sasl_port):
        self.id = node_id
        self.dir = Path(directory)
        self.port = port
        self.controller_port = controller_port
        self.sasl_port = sasl_port
        self.proc = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def properties(self):
        return self.dir / "server.properties"

    @property
    def log(self):
        return self.dir / "logs" / "server.log"

    @property
    def stdout_log(self):
        return self.dir / "logs" / "stdout.log"

    def alive(self):
        return self.proc is not None and self.proc.poll() is None


class KafkaCluster:
    """A KRaft cluster of `nodes` combined broker+controller JVMs on 127.0.0.1.

    broker_config: extra server.properties entries, applied last (every node).
    users: SASL users (name -> password); default two users with random passwords.
    """

    def __init__(self, nodes=1, work_dir=None, sasl=False, broker_config=None, users=None):
        if nodes < 1:
            raise ValueError("nodes must be >= 1")
        self.size = nodes
        self.sasl = sasl
        self.broker_config = dict(broker_config or {})
        self.users = dict(users) if users else (
            {"admin": "admin-" + secrets.token_hex(8), "sluice": "sluice-" + secrets.token_hex(8)}
            if sasl else {})
        self._own_dir = work_dir is None
        self.work_dir = Path(work_dir) if work_dir else None
        self.cluster_id = random_cluster_id()
        self.nodes = []
        self.ca_pem_path = None
        self._store_password = secrets.token_hex(12)
        self._started = False
        self._cache = None

    # ---- addresses

    @property
    def bootstrap(self):
        return ",".join(n.address for n in self.nodes)

    @property
    def sasl_bootstrap(self):
        if not self.sasl:
            return None
        return ",".join(f"127.0.0.1:{n.sasl_port}" for n in self.nodes)

    @property
    def classpath(self):
        return str(self._cache / "kafka" / "*")

    def kcat_sasl_args(self, user=None, mechanism="SCRAM-SHA-512"):
        """kcat -X options for the SASL_SSL listener (first user unless named)."""
        user = user or next(iter(self.users))
        return ["-b", self.sasl_bootstrap, "-X", "security.protocol=SASL_SSL",
                "-X", f"sasl.mechanisms={mechanism}", "-X", f"sasl.username={user}",
                "-X", f"sasl.password={self.users[user]}", "-X", f"ssl.ca.location={self.ca_pem_path}"]

    def sasl_client_config(self, user=None, mechanism="SCRAM-SHA-512"):
        """Client properties (the Java client's names, which Sluice reads too) for the
        SASL_SSL listener, trusting the harness's CA through a PEM truststore."""
        user = user or next(iter(self.users))
        module = ("org.apache.kafka.common.security.plain.PlainLoginModule"
                  if mechanism == "PLAIN" else
                  "org.apache.kafka.common.security.scram.ScramLoginModule")
        return {
            "bootstrap.servers": self.sasl_bootstrap,
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": mechanism,
            "sasl.jaas.config":
                f'{module} required username="{user}" password="{self.users[user]}";',
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": self.ca_pem_path,
        }

    # ---- lifecycle

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=90):
        """Formats every node's storage, starts the JVMs, waits until all brokers answer
        (raising KafkaError, with the log's tail, when that takes longer than `timeout`)."""
        if self._started:
            raise KafkaError("already started")
        self._started = True
        try:
            self._cache = ensure_jars()  # a first fetch from Maven Central is not counted
            deadline = time.monotonic() + timeout
            if self.work_dir is None:
                self.work_dir = Path(tempfile.mkdtemp(prefix="sluice-kafka."))
            self.work_dir.mkdir(parents=True, exist_ok=True)
            per_node = 3 if self.sasl else 2
            ports = free_ports(self.size * per_node)
            for i in range(self.size):
                p = ports[i * per_node:(i + 1) * per_node]
                self.nodes.append(Node(i, self.work_dir / f"node-{i}", p[0], p[1],
                                       p[2] if self.sasl else None))
            if self.sasl:
                self._make_tls()
            for n in self.nodes:
                self._configure(n)
            self._format(deadline)
            for n in self.nodes:
                self._launch(n)
            self._wait_ready(deadline, [n.id for n in self.nodes])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout=20):
        """SIGTERM every node, SIGKILL what is left after `timeout`; removes the files
        (unless KEEP_WORK=1). Nodes still shutting down once the controller quorum is gone
        (fewer than a majority of the nodes left) would wait for it forever: they get
        SIGKILL after 2 s."""
        alive = [n for n in self.nodes if n.alive()]
        for n in alive:
            n.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        quorum_lost_at = None
        while alive:
            alive = [n for n in alive if n.alive()]
            now = time.monotonic()
            if alive and len(alive) < self.size // 2 + 1 and len(alive) < self.size:
                quorum_lost_at = quorum_lost_at or now
            if alive and (now >= deadline or (quorum_lost_at and now - quorum_lost_at > 2)):
                for n in alive:
                    n.proc.kill()
                    n.proc.wait()
                alive = []
            if alive:
                time.sleep(0.1)
        if self.work_dir is not None and self.work_dir.exists():
            if os.environ.get("KEEP_WORK") == "1":
                print(f"kafka_cluster: work dir kept: {self.work_dir}", file=sys.stderr)
            elif self._own_dir:
                shutil.rmtree(self.work_dir, ignore_errors=True)
            else:
                for n in self.nodes:
                    shutil.rmtree(n.dir, ignore_errors=True)
                shutil.rmtree(self.work_dir / "tls", ignore_errors=True)
        self._started = False

    def kill(self, node):
        """SIGKILLs one node's JVM (no shutdown at all) and reaps it."""
        n = self.nodes[node]
        if n.alive():
            n.proc.kill()
        if n.proc is not None:
            n.proc.wait()

    def terminate(self, node, timeout=30):
        """Stops one node gracefully (SIGTERM; SIGKILL after `timeout`)."""
        n = self.nodes[node]
        if n.alive():
            n.proc.send_signal(signal.SIGTERM)
            try:
                n.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                n.proc.kill()
                n.proc.wait()

    def restart(self, node, timeout=90):
        """Starts one node again on its ports and data (stopping it first if it runs), and
        waits until it is back in the cluster's metadata."""
        deadline = time.monotonic() + timeout
        self.terminate(node)
        self._launch(self.nodes[node])
        self._wait_ready(deadline, [node])

    def alive(self, node):
        return self.nodes[node].alive()

    def pid(self, node):
        n = self.nodes[node]
        return n.proc.pid if n.alive() else None

    # ---- metadata and tools

    def metadata(self, timeout=5, topic=None, node=None):
        """kcat -L -J against the plaintext listeners (only `node`'s, if given): the parsed
        JSON, or None when no broker answered in time."""
        boot = self.nodes[node].address if node is not None else self.bootstrap
        cmd = ["kcat", "-b", boot, "-L", "-J", "-m", str(timeout)]
        if topic:
            cmd += ["-t", topic]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 5,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return None
        if r.returncode != 0:
            return None
        try:
            return json.loads(r.stdout)
        except ValueError:
            return None

    def broker_ids(self, node=None):
        """The live brokers' ids in the metadata (from `node` itself, if given)."""
        md = self.metadata(node=node)
        return sorted(b["id"] for b in md.get("brokers", [])) if md else []

    def node_ready(self, node, expect=()):
        """Whether `node` itself answers a metadata request listing itself (and `expect`).
        A KRaft broker serves requests only once it caught up and was unfenced."""
        md = self.metadata(node=node, timeout=3)
        if not md or md.get("originating_broker", {}).get("id") != node:
            return False
        ids = {b["id"] for b in md.get("brokers", [])}
        return node in ids and set(expect) <= ids

    def tool(self, main_class, *args, timeout=120, check=True):
        """Runs a Kafka command-line tool (e.g. org.apache.kafka.tools.TopicCommand) on the
        broker classpath; returns the CompletedProcess (stdout and stderr captured)."""
        log4j = self.work_dir / "tools-log4j.properties"
        if not log4j.exists():
            _write_properties(log4j, {"log4j.rootLogger": "WARN, stderr",
                                      "log4j.appender.stderr": "org.apache.log4j.ConsoleAppender",
                                      "log4j.appender.stderr.Target": "System.err",
                                      "log4j.appender.stderr.layout": "org.apache.log4j.PatternLayout",
                                      "log4j.appender.stderr.layout.ConversionPattern": "[%d] %p %m (%c)%n"})
        cmd = [java_binary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
               "-XX:-UsePerfData", f"-Dlog4j.configuration=file:{log4j}", "-cp", self.classpath,
               main_class, *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise KafkaError(f"{main_class} {' '.join(args)} exited with {r.returncode}: "
                             f"{(r.stderr or r.stdout).strip()[-2000:]}")
        return r

    def create_topic(self, name, partitions=1, replication_factor=None, config=None,
                     timeout=30):
        """Creates a topic with a real CreateTopics request (TopicCommand), then waits until
        every live node's metadata shows all its partitions with a leader."""
        args = ["--bootstrap-server", self.bootstrap, "--create", "--topic", name,
                "--partitions", str(partitions), "--replication-factor",
                str(replication_factor or min(3, self.size))]
        for k, v in (config or {}).items():
            args += ["--config", f"{k}={v}"]
        self.tool("org.apache.kafka.tools.TopicCommand", *args)
        deadline = time.monotonic() + timeout

        def visible(node):
            md = self.metadata(topic=name, node=node)
            ts = (md or {}).get("topics") or [{}]
            ps = ts[0].get("partitions") or []
            return (not ts[0].get("error") and len(ps) == partitions
                    and all(p.get("leader", -1) >= 0 for p in ps))
        for n in self.nodes:
            while n.alive() and not visible(n.id):
                if time.monotonic() >= deadline:
                    raise KafkaError(f"topic {name} not in node {n.id}'s metadata in time")
                time.sleep(0.1)

    # ---- internals

    def _make_tls(self):
        """A CA (PEM) and a server certificate for 127.0.0.1/localhost in a PKCS12 keystore."""
        tls = self.work_dir / "tls"
        tls.mkdir(parents=True, exist_ok=True)

        def openssl(*args):
            r = subprocess.run(["openssl", *args], cwd=tls, capture_output=True, text=True,
                               stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                raise KafkaError(f"openssl {args[0]} failed: {r.stderr.strip()}")

        openssl("req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-days", "3650",
                "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=sluice-test-ca",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=localhost")
        (tls / "server.ext").write_text(
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "3650", "-out", "server.pem", "-extfile", "server.ext")
        openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key",
                "-certfile", "ca.pem", "-name", "kafka", "-out", "server.p12",
                "-passout", f"pass:{self._store_password}")
        self.ca_pem_path = str(tls / "ca.pem")

    def _configure(self, n):
        rf = min(3, self.size)
        (n.dir / "logs").mkdir(parents=True, exist_ok=True)
        listeners = [f"PLAINTEXT://127.0.0.1:{n.port}"]
        advertised = list(listeners)
        if self.sasl:
            listeners.append(f"SASL_SSL://127.0.0.1:{n.sasl_port}")
            advertised.append(f"SASL_SSL://127.0.0.1:{n.sasl_port}")
        listeners.append(f"CONTROLLER://127.0.0.1:{n.controller_port}")
        props = {
            "process.roles": "broker,controller",
            "node.id": n.id,
            "controller.quorum.voters": ",".join(
                f"{m.id}@127.0.0.1:{m.controller_port}" for m in self.nodes),
            "controller.listener.names": "CONTROLLER",
            "listeners": ",".join(listeners),
            "advertised.listeners": ",".join(advertised),
            "listener.security.protocol.map":
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": n.dir / "data",
            "num.partitions": 1,
            "default.replication.factor": rf,
            "offsets.topic.replication.factor": rf,
            "offsets.topic.num.partitions": 10,
            "transaction.state.log.replication.factor": rf,
            "transaction.state.log.min.isr": min(2, self.size),
            "transaction.state.log.num.partitions": 10,
            "group.initial.rebalance.delay.ms": 0,
            "auto.create.topics.enable": "true",
            "num.network.threads": 2,
            "num.io.threads": 4,
            "num.recovery.threads.per.data.dir": 1,
            "log.cleaner.dedupe.buffer.size": 16 * 1024 * 1024,
        }
        if self.sasl:
            lp = "listener.name.sasl_ssl."
            props[lp + "sasl.enabled.mechanisms"] = ",".join(SASL_MECHANISMS)
            scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            props[lp + "scram-sha-512.sasl.jaas.config"] = scram
            props[lp + "scram-sha-256.sasl.jaas.config"] = scram
            plain_users = " ".join(f'user_{u}="{p}"' for u, p in self.users.items())
            props[lp + "plain.sasl.jaas.config"] = (
                f"org.apache.kafka.common.security.plain.PlainLoginModule required {plain_users};")
            props[lp + "ssl.keystore.type"] = "PKCS12"
            props[lp + "ssl.keystore.location"] = self.work_dir / "tls" / "server.p12"
            props[lp + "ssl.keystore.password"] = self._store_password
            props[lp + "ssl.key.password"] = self._store_password
        props.update(self.broker_config)
        _write_properties(n.properties, props)
        _write_properties(n.dir / "log4j.properties", {
            "log4j.rootLogger": "INFO, file",
            "log4j.appender.file": "org.apache.log4j.RollingFileAppender",
            "log4j.appender.file.File": n.log,
            "log4j.appender.file.MaxFileSize": "64MB",
            "log4j.appender.file.MaxBackupIndex": 2,
            "log4j.appender.file.layout": "org.apache.log4j.PatternLayout",
            "log4j.appender.file.layout.ConversionPattern": "[%d] %p %m (%c)%n",
            "log4j.logger.kafka.request.logger": "WARN",
            "log4j.logger.state.change.logger": "WARN",
            "log4j.logger.org.apache.kafka.clients": "WARN",
        })

    def _java(self, n, heap, main, *args):
        extra = os.environ.get("SLUICE_KAFKA_JVM_OPTS", "").split()
        return [java_binary(), *heap, *JVM_OPTS, *extra,
                f"-Dlog4j.configuration=file:{n.dir / 'log4j.properties'}",
                f"-Dkafka.logs.dir={n.dir / 'logs'}", "-cp", self.classpath, main, *args]

    def _format(self, deadline):
        """kafka-storage format on every node (in parallel), with the SCRAM users if SASL."""
        procs = []
        for n in self.nodes:
            args = ["format", "-t", self.cluster_id, "-c", str(n.properties)]
            for user, password in self.users.items():
                for mech in ("SCRAM-SHA-512", "SCRAM-SHA-256"):
                    args += ["--add-scram", f"{mech}=[name={user},password={password}]"]
            out = open(n.dir / "logs" / "format.log", "wb")
            cmd = self._java(n, ["-Xmx256m", "-XX:TieredStopAtLevel=1"],
                             "kafka.tools.StorageTool", *args)
            procs.append((n, out, subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                                   stdin=subprocess.DEVNULL,
                                                   preexec_fn=_die_with_parent)))
        failed = []
        for n, out, p in procs:
            try:
                rc = p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                rc = "timeout"
            out.close()
            if rc != 0:
                failed.append(f"node {n.id}: {rc}: {_tail(n.dir / 'logs' / 'format.log')}")
        if failed:
            raise KafkaError("kafka-storage format failed: " + "; ".join(failed))

    def _launch(self, n):
        out = open(n.stdout_log, "ab")
        try:
            n.proc = subprocess.Popen(self._java(n, HEAP_OPTS, "kafka.Kafka", str(n.properties)),
                                      stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True,
                                      preexec_fn=_die_with_parent)
        finally:
            out.close()

    def _sasl_ready(self):
        cmd = ["kcat", *self.kcat_sasl_args(), "-L", "-m", "5"]
        try:
            return subprocess.run(cmd, capture_output=True, timeout=15,
                                  stdin=subprocess.DEVNULL).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def _wait_ready(self, deadline, ids):
        """Polls until every node in `ids` answers metadata from its own listener, listing
        itself and every other live node of `ids` (and, with SASL, until a SCRAM login on the
        first of them works); fails early when a JVM exits."""
        pending = list(ids)
        while True:
            for i in ids:
                n = self.nodes[i]
                if not n.alive():
                    raise KafkaError(
                        f"Kafka node {i} exited with {n.proc.returncode if n.proc else '?'}; "
                        f"{n.log}:\n{_tail(n.log)}\n{n.stdout_log}:\n{_tail(n.stdout_log)}")
            pending = [i for i in pending if not self.node_ready(i, expect=ids)]
            if not pending and (not self.sasl or self._sasl_ready()):
                return
            if time.monotonic() >= deadline:
                what = f"nodes {pending} not serving" if pending else "no SASL login"
                raise KafkaError(f"Kafka not ready in time: {what}; "
                                 f"see {self.nodes[(pending or ids)[0]].log}")
            time.sleep(0.25)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop()


def main(argv=None):
    ap = argparse.ArgumentParser(description="A real Kafka (KRaft) cluster on loopback.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="start a cluster, print its bootstrap servers, stay up "
                                     "until SIGINT/SIGTERM")
    run.add_argument("--nodes", type=int, default=1)
    run.add_argument("--sasl", action="store_true", help="add a SASL_SSL listener")
    run.add_argument("--work-dir", help="folder for data and logs (default: a new temp folder)")
    run.add_argument("--timeout", type=float, default=90, help="start-up deadline, seconds")
    args = ap.parse_args(argv)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _raise_stop)
    kc = KafkaCluster(nodes=args.nodes, work_dir=args.work_dir, sasl=args.sasl)
    try:
        t0 = time.monotonic()
        kc.start(timeout=args.timeout)
        lines = [kc.bootstrap, f"work_dir={kc.work_dir}"]
        if kc.sasl:
            lines += [f"sasl_bootstrap={kc.sasl_bootstrap}", f"ca_pem={kc.ca_pem_path}"]
            lines += [f"user.{u}={p}" for u, p in kc.users.items()]
        print("\n".join(lines), flush=True)
        print(f"kafka_cluster: {args.nodes} node(s) up in {time.monotonic() - t0:.1f}s; "
              f"logs under {kc.work_dir}", file=sys.stderr, flush=True)
        reported = set()
        while True:
            time.sleep(1)
            for n in kc.nodes:
                if not n.alive() and n.id not in reported:
                    reported.add(n.id)
                    print(f"kafka_cluster: node {n.id} exited with {n.proc.returncode}; "
                          f"see {n.log}", file=sys.stderr, flush=True)
    except _Stop:
        pass
    except KafkaError as e:
        print(f"kafka_cluster: {e}", file=sys.stderr)
        return 1
    finally:
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        kc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
