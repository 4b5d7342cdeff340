"""Starting Sluice processes from Python tests: the embedded dev Kafka and a standalone worker
with its REST API on a free loopback port. Every wait polls a condition against a deadline."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class DevKafka:
    def __init__(self, sluice, topics=()):
        args = [sluice, "dev-kafka"] + sum((["--topic", t] for t in topics), [])
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, text=True)
        self.bootstrap = self.proc.stdout.readline().strip()
        if not self.bootstrap:
            raise AssertionError("dev-kafka did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Rest:
    """A small REST client: request() returns (status, headers, body parsed as JSON or text)."""

    def __init__(self, port, host="127.0.0.1"):
        self.host, self.port = host, port

    def request(self, method, path, body=None, raw=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        hdrs = {"Content-Type": "application/json", "Accept": "application/json"}
        hdrs.update(headers or {})
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        text = resp.read().decode()
        conn.close()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return resp.status, dict(resp.getheaders()), parsed

    def get(self, path):
        return self.request("GET", path)


def quote(name):
    return urllib.parse.quote(name, safe="")


class Standalone:
    """sluice standalone with REST on a free port; extra worker properties may be given."""

    def __init__(self, sluice, bootstrap, work_dir, extra=None, connector_files=()):
        self.port = free_port()
        self.work_dir = work_dir
        props = {
            "bootstrap.servers": bootstrap,
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "false",
            "value.converter.schemas.enable": "false",
            "offset.storage.file.filename": os.path.join(work_dir, "offsets"),
            "offset.flush.interval.ms": "500",
            "listeners": f"http://127.0.0.1:{self.port}",
            "request.timeout.ms": "5000",
        }
        build = os.path.dirname(os.path.dirname(os.path.abspath(sluice)))
        props["plugin.path"] = ",".join([os.path.join(build, "plugins-out"),
                                         os.path.join(build, "test-plugins", "good")])
        props.update(extra or {})
        self.props_file = os.path.join(work_dir, "worker.properties")
        with open(self.props_file, "w") as f:
            for k, v in props.items():
                f.write(f"{k}={v}\n")
        self.log = open(os.path.join(work_dir, "worker.log"), "ab")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([sluice, "standalone", self.props_file, *connector_files],
                                     stderr=self.log, stdin=subprocess.DEVNULL)
        self.rest = Rest(self.port)
        wait_for(lambda: self.rest.get("/")[0] == 200, 30, "the REST API")
        self.startup_seconds = time.monotonic() - self.started

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=60)

    def log_text(self):
        with open(os.path.join(self.work_dir, "worker.log"), errors="replace") as f:
            return f.read()


def end_offset(bootstrap, topic, partition=0):
    """The end offset of one partition (kcat's ListOffsets), 0 when it cannot be read."""
    r = subprocess.run(["kcat", "-b", bootstrap, "-Q", "-t", f"{topic}:{partition}:-1"],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    w = r.stdout.split()
    return int(w[-1]) if len(w) >= 4 and w[-1].isdigit() else 0


def proc_stats(pid):
    """(CPU seconds, peak RSS MB from VmHWM) of a live process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        rss = 0.0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1]) / 1024
        return cpu, rss
    except (OSError, IndexError, ValueError):
        return None


def partitions(bootstrap, topic):
    """The topic's partition numbers from kcat's metadata ([] when it cannot be read)."""
    r = subprocess.run(["kcat", "-b", bootstrap, "-L", "-t", topic], capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    return [int(m) for m in re.findall(r"^\s*partition (\d+),", r.stdout, re.M)]


def kcat_lines(bootstrap, topic, fmt="%p %k %s\\n"):
    """The topic's records up to each partition's end offset at the time of the call, partition
    by partition: a producer that keeps writing (a change stream) does not keep kcat from
    reaching the end."""
    lines = []
    for p in partitions(bootstrap, topic) or [None]:  # None: no metadata, the whole topic
        where = []
        if p is not None:
            end = end_offset(bootstrap, topic, p)
            if end == 0:
                continue
            where = ["-p", str(p), "-c", str(end)]
        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, *where, "-o", "beginning", "-e", "-q",
                              "-f", fmt.replace("\\n", "\n")], capture_output=True, text=True, timeout=60)
        lines += out.stdout.splitlines()
    return lines


def temp_dir():
    return tempfile.mkdtemp(prefix="sluice-py-")
