#!/usr/bin/env python3
"""Benchmark: the REST API under load, and start-up time.

1. wrk against GET /connectors/{name}/status of a standalone worker running the verifiable
   source with one task (dev-kafka): requests/s and p99 latency, medians over RUNS runs.
2. Start-up: exec of `sluice standalone` until GET / answers, median of 10 starts.

usage: rest_bench.py SLUICE_BINARY
"""
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sluice_process import DevKafka, Standalone, temp_dir, wait_for  # noqa: E402


def wrk(url, seconds):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


def main():
    sluice = os.path.abspath(sys.argv[1])
    runs = int(os.environ.get("RUNS", "3"))
    kafka = DevKafka(sluice, ["verifiable:1"])
    work = temp_dir()
    try:
        starts = []
        for _ in range(10):
            w = Standalone(sluice, kafka.bootstrap, work)
            starts.append(w.startup_seconds * 1000)
            w.stop()
        w = Standalone(sluice, kafka.bootstrap, work)
        w.rest.request("PUT", "/connectors/bench/config", {
            "connector.class": "VerifiableSource", "tasks.max": "1", "topic": "verifiable",
            "throughput": "1000"})
        wait_for(lambda: w.rest.get("/connectors/bench/status")[2]["tasks"][0]["state"] == "RUNNING",
                 20, "the task running")
        url = f"http://127.0.0.1:{w.port}/connectors/bench/status"
        rows = [wrk(url, 10) for _ in range(runs)]
        w.stop()
    finally:
        kafka.stop()
    print(f"GET /connectors/bench/status, wrk -t2 -c32, 10 s x {runs} runs (medians):")
    print(f"  requests/s {statistics.median(r[0] for r in rows):,.0f}   p99 {statistics.median(r[1] for r in rows):.2f} ms"
          f"   non-2xx {sum(r[2] for r in rows)}")
    print(f"start-up, exec to GET / answering, 10 starts: median {statistics.median(starts):.0f} ms, "
          f"max {max(starts):.0f} ms")


if __name__ == "__main__":
    main()
