#!/usr/bin/env python3
"""Benchmark: Sluice next to Kafka Connect's own JVM worker and `kcat -P`, on a real Kafka.

One KRaft Kafka node (tests/support/kafka_cluster.py) on this machine for the whole run; every
measurement writes N records into its own new 1-partition topic:

  sluice   `sluice standalone` with the verifiable source: complete.record.data=true,
           JsonConverter with schemas.enable=false (keys and values), throughput=-1, one task,
           max.messages=N.
  jvm      Kafka Connect 3.9.2's ConnectStandalone (tests/support/connect_worker.py; the heap
           and JVM options of Kafka's bin/connect-standalone.sh, -Xms256M -Xmx2G with G1;
           no plugin.path scan) with Kafka's
           VerifiableSourceConnector, the same connector config but no max.messages (Java's
           has none): stopped once N records are in its topic. Its task prints every record
           to standard output, which goes to /dev/null.
  kcat -P  N equivalent messages (key "0", the same JSON value) from a file, acks=all,
           idempotence on: the librdkafka floor.

For each: records/s over the steady part (first record in Kafka until N are), records/s over
the whole run (exec until N are in Kafka), CPU seconds (user+system, /proc/PID/stat when N are
in, or the exit rusage for kcat; also the part spent after the first record was in Kafka, which
leaves out start-up but not the JVM's continuing JIT compilation and GC), peak RSS (VmHWM from
/proc, sampled; rusage for kcat) and
start-up time: for the JVM, exec until `GET /` answers on its REST port; for Sluice, the same
if its REST answers (`listeners` is set), else exec until its first record is in Kafka; the
output says which. Kafka's end offset is polled with `kcat -Q` every 0.1 s. Kafka shares the
cores with the worker, so figures are relative. Prints medians over RUNS runs (default 3) and
the Sluice/JVM ratios.

usage: jvm_compare.py SLUICE_BINARY [RECORDS]       (RECORDS default 1,000,000; env RUNS)
"""
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker, RestClient  # noqa: E402
from kafka_cluster import KafkaCluster, _die_with_parent, free_ports  # noqa: E402
from sluice_process import end_offset, proc_stats  # noqa: E402

CONVERTERS = {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter.schemas.enable": "false",
}
CONNECTOR = {
    "name": "bench",
    "connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
    "tasks.max": "1",
    "throughput": "-1",
    "complete.record.data": "true",
}
POLL = 0.1
JVM_HEAP = "-Xms256M -Xmx2G"   # bin/connect-standalone.sh's KAFKA_HEAP_OPTS






class Monitor(threading.Thread):
    """Polls the topic's end offset (and the process and its REST port) from t0 until N
    records are in Kafka."""

    def __init__(self, bootstrap, topic, records, t0, pid=lambda: None, rest_url=None,
                 timeout=900):
        super().__init__(daemon=True)
        self.bootstrap, self.topic, self.records, self.t0 = bootstrap, topic, records, t0
        self.pid, self.rest = pid, (RestClient(rest_url, timeout=0.5) if rest_url else None)
        self.deadline = t0 + timeout
        self.first = self.rest_up = self.done = None
        self.stats = None
        self.stats_first = None   # (CPU, RSS) when the first record was seen
        self.error = None
        self.stop_flag = False

    def run(self):
        try:
            while not self.stop_flag:
                now = time.monotonic()
                n = end_offset(self.bootstrap, self.topic)
                t = time.monotonic()
                if self.first is None and n > 0:
                    self.first = t - self.t0
                if self.rest is not None and self.rest_up is None:
                    try:
                        if self.rest.request("GET", "/", timeout=0.5)[0] == 200:
                            self.rest_up = time.monotonic() - self.t0
                    except (OSError, http.client.HTTPException):
                        pass
                pid = self.pid()
                if pid:
                    self.stats = proc_stats(pid) or self.stats
                    if self.first is not None and self.stats_first is None:
                        self.stats_first = self.stats
                if n >= self.records:
                    self.done = t - self.t0
                    if pid:
                        self.stats = proc_stats(pid) or self.stats
                    return
                if t > self.deadline:
                    self.error = f"only {n} of {self.records} records in {self.topic} in time"
                    return
                time.sleep(max(0.0, POLL - (time.monotonic() - now)))
        except Exception as e:  # noqa: BLE001 - reported by the caller
            self.error = repr(e)

    def wait(self, proc_alive):
        while self.is_alive():
            if not proc_alive():
                time.sleep(1)           # the last records may still be on their way
                if self.is_alive():
                    self.stop_flag = True
                    self.join()
                    raise RuntimeError(f"the process exited before {self.records} records "
                                       f"were in {self.topic}")
            self.join(0.2)
        if self.error:
            raise RuntimeError(self.error)


def result(mon, records, startup, startup_kind, stats=None):
    nan = float("nan")
    cpu, rss = stats or mon.stats or (nan, nan)
    steady = mon.done - (mon.first or 0)
    cpu_steady = cpu - mon.stats_first[0] if mon.stats_first and not stats else nan
    return {"steady": records / steady if steady > 0 else nan,
            "wall": records / mon.done, "cpu": cpu, "cpu_steady": cpu_steady, "rss": rss,
            "startup": startup, "startup_kind": startup_kind, "first": mon.first}


def run_sluice(sluice, kc, topic, records, work):
    port = free_ports(1)[0]
    worker = work / "sluice-worker.properties"
    worker.write_text("".join(f"{k}={v}\n" for k, v in {
        "bootstrap.servers": kc.bootstrap, **CONVERTERS,
        "offset.storage.file.filename": work / f"{topic}.offsets",
        "listeners": f"http://127.0.0.1:{port}"}.items()))
    conn = work / "sluice-bench.properties"
    conn.write_text("".join(f"{k}={v}\n" for k, v in {
        **CONNECTOR, "topic": topic, "max.messages": records}.items()))
    log = open(work / f"{topic}.log", "wb")
    t0 = time.monotonic()
    p = subprocess.Popen([sluice, "standalone", str(worker), str(conn)], stdout=log,
                         stderr=log, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    log.close()
    mon = Monitor(kc.bootstrap, topic, records, t0, pid=lambda: p.pid,
                  rest_url=f"http://127.0.0.1:{port}")
    mon.start()
    try:
        mon.wait(lambda: p.poll() is None)
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    if mon.rest_up is not None:
        return result(mon, records, mon.rest_up, "exec until GET / answers")
    return result(mon, records, mon.first, "exec until the first record is in Kafka "
                                           "(its REST did not answer)")


def run_jvm(kc, topic, records, work):
    w = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / topic,
                      plugin_path=None, worker_config=CONVERTERS, heap=JVM_HEAP,
                      connectors=[{**CONNECTOR, "topic": topic}], stdout_log=False)
    t0 = time.monotonic()
    mon = Monitor(kc.bootstrap, topic, records, t0, pid=lambda: w.pid)
    mon.start()
    try:
        w.start(timeout=180)
        mon.wait(w.alive)
    finally:
        mon.stop_flag = True
        w.stop()
    return result(mon, records, w.startup_seconds, "exec until GET / answers")


def run_kcat(kc, topic, records, work):
    path = work / "messages"
    now = int(time.time() * 1000)
    with open(path, "w") as f:
        for i in range(records):
            f.write(f'0\t{{"name":"bench","task":0,"topic":"{topic}","time_ms":{now},'
                    f'"seqno":{i}}}\n')
    t0 = time.monotonic()
    p = subprocess.Popen(["kcat", "-b", kc.bootstrap, "-P", "-t", topic, "-K", "\t",
                          "-l", str(path), "-X", "acks=all", "-X", "enable.idempotence=true"],
                         stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    mon = Monitor(kc.bootstrap, topic, records, t0)
    mon.start()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = status  # reaped by wait4: keep Popen from waiting again
    mon.join(60)
    if status != 0 or mon.done is None:
        raise RuntimeError(f"kcat -P exited with status {status}; {mon.error or ''}")
    return result(mon, records, mon.first, "exec until the first record is in Kafka",
                  stats=(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))


def num(x, spec):
    """x formatted with spec, or n/a (right-aligned to spec's width) when it is NaN."""
    if x != x:
        width = "".join(c for c in spec.split(".")[0] if c.isdigit())
        return f"{'n/a':>{width}}" if width else "n/a"
    return format(x, spec)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sluice = os.path.abspath(sys.argv[1])
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    runs = int(os.environ.get("RUNS", "3"))
    names = ["sluice", "jvm", "kcat -P"]
    results = {n: [] for n in names}
    with tempfile.TemporaryDirectory(prefix="sluice-jvmbench.") as tmp:
        work = Path(tmp)
        with KafkaCluster(work_dir=work / "kafka") as kc:
            print(f"Kafka at {kc.bootstrap}; {records} records per measurement, {runs} run(s)",
                  file=sys.stderr, flush=True)
            for r in range(runs):
                for name, fn in (("sluice", lambda t: run_sluice(sluice, kc, t, records, work)),
                                 ("jvm", lambda t: run_jvm(kc, t, records, work)),
                                 ("kcat -P", lambda t: run_kcat(kc, t, records, work))):
                    topic = f"bench-{name.split()[0]}-{r}"
                    kc.create_topic(topic, partitions=1, replication_factor=1)
                    res = fn(topic)
                    results[name].append(res)
                    print(f"run {r + 1}/{runs} {name}: {num(res['steady'], ',.0f')} "
                          "records/s steady, "
                          f"{res['wall']:,.0f} overall, CPU {res['cpu']:.2f} s "
                          f"({num(res['cpu_steady'], '.2f')} steady), peak RSS "
                          f"{res['rss']:.1f} MB, start-up {res['startup']:.2f} s",
                          file=sys.stderr, flush=True)

    cols = ["steady", "wall", "cpu", "cpu_steady", "rss", "startup"]
    med = {n: {c: statistics.median(x[c] for x in results[n]) for c in cols} for n in names}
    print(f"\n{records:,} records, {runs} run(s), medians; real Kafka (1 KRaft node, same "
          f"machine, {os.cpu_count()} cores)")
    print(f"{'':11} {'records/s':>11} {'records/s':>11} {'CPU s':>8} {'CPU s':>9} "
          f"{'peak RSS':>9} {'start-up':>9}")
    print(f"{'':11} {'(steady)':>11} {'(overall)':>11} {'(all)':>8} {'(steady)':>9} "
          f"{'MB':>9} {'s':>9}")
    for n in names:
        m = med[n]
        print(f"{n:11} {num(m['steady'], '11,.0f')} {m['wall']:11,.0f} {m['cpu']:8.2f} "
              f"{num(m['cpu_steady'], '9.2f')} {m['rss']:9.1f} {m['startup']:9.2f}")
    ratio = {c: med["sluice"][c] / med["jvm"][c] if med["jvm"][c] else float("nan")
             for c in cols}
    print(f"{'sluice/jvm':11} {num(ratio['steady'], '11.2f')} {ratio['wall']:11.2f} "
          f"{ratio['cpu']:8.2f} {num(ratio['cpu_steady'], '9.2f')} {ratio['rss']:9.2f} "
          f"{ratio['startup']:9.2f}")
    print(f"{'sluice/kcat':11} {num(med['sluice']['steady'] / med['kcat -P']['steady'], '11.2f')} "
          f"{med['sluice']['wall'] / med['kcat -P']['wall']:11.2f}")
    print("CPU s (steady): from the first record in Kafka until N are (n/a for kcat: its "
          "figures are the exit rusage)")
    print("start-up: " + "; ".join(
        f"{n}: {' / '.join(sorted(set(x['startup_kind'] for x in results[n])))}"
        for n in names))
    print("first record in Kafka (s after exec, median): " + ", ".join(
        f"{n} {statistics.median(x['first'] for x in results[n]):.2f}" for n in names))


if __name__ == "__main__":
    main()
