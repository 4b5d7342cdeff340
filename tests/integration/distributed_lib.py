"""A `sluice distributed` worker process for the distributed-mode tests: worker properties in
a temp dir, REST on a free loopback port, started and stopped (SIGTERM or SIGKILL) at will."""
import os
import signal
import subprocess
import time

from sluice_process import Rest, free_port, wait_for

# The embedded broker's rebalances take session.timeout.ms - 1 s: short timeouts there, and the
# leader's 200 ms SyncGroup pause for its group bug (notes/embedded-broker.md).
DEV_KAFKA_TIMEOUTS = {
    "session.timeout.ms": "3000",
    "heartbeat.interval.ms": "500",
    "rebalance.timeout.ms": "10000",
    "scheduled.rebalance.max.delay.ms": "2000",
    "sluice.group.leader.sync.delay.ms": "200",
}


class Worker:
    def __init__(self, sluice, bootstrap, work_dir, name, port=None, group="sluice-it", extra=None,
                 topics=("connect-configs", "connect-offsets", "connect-status"), wait=True):
        self.sluice, self.bootstrap, self.work_dir, self.name = sluice, bootstrap, work_dir, name
        self.port = port or free_port()
        self.id = f"127.0.0.1:{self.port}"
        build = os.path.dirname(os.path.dirname(os.path.abspath(sluice)))
        props = {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "config.storage.topic": topics[0],
            "offset.storage.topic": topics[1],
            "status.storage.topic": topics[2],
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "false",
            "value.converter.schemas.enable": "false",
            "offset.flush.interval.ms": "300",
            "listeners": f"http://127.0.0.1:{self.port}",
            "plugin.path": os.path.join(build, "plugins-out"),
        }
        props.update(DEV_KAFKA_TIMEOUTS if extra is None else extra)
        self.props_file = os.path.join(work_dir, f"{name}.properties")
        with open(self.props_file, "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in props.items())
        self.rest = Rest(self.port)
        self.proc = None
        self.start(wait)

    def start(self, wait=True):
        """wait: until /health says the worker has read its topics."""
        log = open(os.path.join(self.work_dir, f"{self.name}.log"), "ab")
        self.proc = subprocess.Popen([self.sluice, "distributed", self.props_file], stderr=log,
                                     stdin=subprocess.DEVNULL)
        if wait:
            wait_for(lambda: self.rest.get("/health")[0] == 200, 60, f"{self.name} to read its topics")

    def log_text(self):
        with open(os.path.join(self.work_dir, f"{self.name}.log"), errors="replace") as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM):
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=60)
        return rc, time.monotonic() - t0


class ControlledDevKafka:
    """sluice dev-kafka with a control FIFO for fault injection ('err APIKEY CODE ...')."""

    def __init__(self, sluice, work_dir, brokers=3, topics=()):
        self.fifo = os.path.join(work_dir, "dev-kafka.control")
        args = [sluice, "dev-kafka", "--brokers", str(brokers), "--control", self.fifo]
        args += sum((["--topic", t] for t in topics), [])
        self.log = open(os.path.join(work_dir, "dev-kafka.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL,
                                     text=True)
        self.bootstrap = self.proc.stdout.readline().strip()
        if not self.bootstrap:
            raise AssertionError("dev-kafka did not start")
        wait_for(lambda: os.path.exists(self.fifo), 10, "the dev-kafka control FIFO")

    def command(self, line):
        with open(self.fifo, "w") as f:
            f.write(line + "\n")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
