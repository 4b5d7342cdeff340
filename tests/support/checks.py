"""What the connector tests share: checks that note a failure and go on (a run reports every
broken expectation, not only the first), the records of a topic as kcat reads them, and the
state of a connector's first task over REST."""
import json
from urllib.parse import quote

from sluice_process import kcat_lines, wait_for

failures = []  # what failed, in order
passed = [0]
print_passes = True  # False: only failures are printed (tests with hundreds of checks)


def check(cond, what):
    """Prints `ok` or `FAIL` with `what`; a failure is kept in `failures`."""
    if cond:
        passed[0] += 1
        if print_passes:
            print("ok   " + what, flush=True)
    else:
        failures.append(what)
        print("FAIL " + what, flush=True)
    return cond


def records(bootstrap, topic, parse=False):
    """(key, value) per record, partition after partition, in offset order; None for a null key
    or value. The texts as Kafka holds them, or with parse=True parsed as JSON."""
    out = []
    for line in kcat_lines(bootstrap, topic, fmt="%K\t%k\t%S\t%s\\n"):
        parts = line.split("\t", 3)
        if len(parts) < 4:
            continue
        klen, key, vlen, value = parts
        key = None if klen == "-1" else key
        value = None if vlen == "-1" else value
        if parse:
            key = None if key is None else json.loads(key)
            value = None if value is None else json.loads(value)
        out.append((key, value))
    return out


def wait_records(bootstrap, topic, n, timeout=60, parse=False):
    """The topic's records once it holds at least n (AssertionError after `timeout` s)."""
    got = []

    def enough():
        got[:] = records(bootstrap, topic, parse)
        return len(got) >= n
    wait_for(enough, timeout, f"{n} records on {topic}")
    return got


def task_state(rest, name):
    """(state, trace) of task 0 of a connector; (None, "") while it has no task."""
    code, _, st = rest.get(f"/connectors/{quote(name)}/status")
    if code != 200 or not st.get("tasks"):
        return None, ""
    return st["tasks"][0]["state"], st["tasks"][0].get("trace", "")
