#!/usr/bin/env python3
"""Distributed mode on the embedded broker (sluice dev-kafka --brokers 3): three workers of one
group, the verifiable source with three tasks.

Checks, in order: a worker whose brokers are unreachable answers REST (503 health, 409 writes)
and logs that it keeps retrying; the work is balanced (each worker runs one task); injected
coordinator errors (REBALANCE_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR) end in
the same work running again; create, update, pause, resume, restart, offsets and delete go
through followers (forwarding) and every worker's REST agrees; SIGKILL of a task-running worker moves its tasks to the others (failover time printed)
and the leader shows them UNASSIGNED meanwhile unless the leader itself died; a fourth worker
joins and takes work without the untouched tasks restarting (cooperative); a rolling SIGTERM
restart of every worker, each stopping well inside 30 s; all workers stopped and started again
bring the connector, its state and its offsets back from the topics. The verifiable source's
sequence in Kafka has no gap at the end (check_seqnos.py). Also: active topics (KIP-558) agree
on every worker, are reset through a follower with a tombstone and forgotten on delete; under
`sessioned` the session-key record has Java's shape and the internal POST /connectors/{n}/tasks
refuses unsigned (400) and forged (403) requests and accepts one signed in Python with the key
read from the config topic; under `compatible` no key is written and nothing is checked.

Short timeouts (session 3 s, heartbeat 500 ms, scheduled.rebalance.max.delay.ms 2 s) and the
leader's 200 ms SyncGroup pause for the embedded broker's group bug.

usage: distributed_test.py SLUICE_BINARY
"""
import base64
import collections
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE))
from sluice_process import end_offset, free_port, kcat_lines, temp_dir, wait_for  # noqa: E402
from distributed_lib import DEV_KAFKA_TIMEOUTS, ControlledDevKafka, Worker  # noqa: E402

TOPIC = "vs"
TASKS = 3


def status_of(w):
    code, _, body = w.rest.get(f"/connectors/{TOPIC}/status")
    return body if code == 200 else None


def running_everywhere(workers, expect_tasks=TASKS, state="RUNNING"):
    """Every worker's REST shows the connector and its tasks in `state`, and they agree."""
    seen = []
    for w in workers:
        s = status_of(w)
        if not s or s["connector"]["state"] != state or len(s["tasks"]) != expect_tasks:
            return False
        if any(t["state"] != state for t in s["tasks"]):
            return False
        seen.append(sorted((t["id"], t["worker_id"]) for t in s["tasks"]))
    return all(x == seen[0] for x in seen)


def retry_409(fn, what, timeout=60):
    """Connect answers 409 while a rebalance is under way; clients retry."""
    deadline = time.monotonic() + timeout
    while True:
        code, headers, body = fn()
        if code != 409 or time.monotonic() > deadline:
            return code, headers, body
        time.sleep(0.2)


def seqnos(lines):
    """(task, seqno) per verifiable record line "<partition> <task> <seqno>"."""
    return [(int(p[1]), int(p[2])) for p in (line.split() for line in lines) if len(p) == 3]


def highest_seqnos(bootstrap):
    high = {}
    for task, seq in seqnos(kcat_lines(bootstrap, TOPIC)):
        high[task] = max(seq, high.get(task, -1))
    return high


def duplicates_after(lines, mark):
    """Seqnos above a task's mark that are in Kafka more than once."""
    count = collections.Counter(r for r in seqnos(lines) if r[1] > mark.get(r[0], -1))
    return sorted(r for r, n in count.items() if n > 1)


def task_owners(w):
    s = status_of(w)
    return {t["id"]: t["worker_id"] for t in s["tasks"]} if s else {}


def topics_everywhere(workers, expected):
    """Every worker's GET /connectors/vs/topics answers `expected` (KIP-558, from the status topic)."""
    return all(w.rest.get(f"/connectors/{TOPIC}/topics")[:3:2] == (200, {TOPIC: {"topics": expected}})
               for w in workers)


def topic_records(kafka):
    """The status topic's status-topic-* records, in order: (key, value or None)."""
    out = []
    for line in kcat_lines(kafka.bootstrap, "connect-status", fmt="%k\t%S\t%s\n"):
        key, size, value = (line.split("\t") + ["", ""])[:3]
        if key.startswith("status-topic-"):
            out.append((key, None if size == "-1" else json.loads(value)))
    return out


def check_active_topics(kafka, workers):
    """Active topics: recorded once by the workers whose tasks produce, the same on every worker,
    reset through a follower with tombstones, recorded again when the tasks restart."""
    wait_for(lambda: topics_everywhere(workers, [TOPIC]), 30, "every worker to list the active topic")
    key = f"status-topic-{TOPIC}:connector-{TOPIC}"
    recs = topic_records(kafka)
    assert recs and all(k == key for k, _ in recs), recs
    value = recs[0][1]
    assert list(value) == ["topic"] and list(value["topic"]) == ["name", "connector", "task", "discoverTimestamp"], value
    assert value["topic"]["name"] == TOPIC and value["topic"]["connector"] == TOPIC, value
    assert value["topic"]["task"] in range(TASKS), value
    assert abs(value["topic"]["discoverTimestamp"] / 1000 - time.time()) < 300, value
    time.sleep(2)  # every task has met the topic: nothing records it again until tasks restart
    code, _, _ = workers[2].rest.request("PUT", f"/connectors/{TOPIC}/topics/reset")
    assert code == 202, code
    wait_for(lambda: topics_everywhere(workers, []), 30, "the reset on every worker")
    assert topic_records(kafka)[-1] == (key, None), topic_records(kafka)[-3:]
    code, _, body = workers[0].rest.get("/connectors/nosuch/topics")
    assert code == 200 and body == {"nosuch": {"topics": []}}, (code, body)
    print("active topics: the same on every worker, reset with a tombstone")


def check_request_signing(kafka, workers):
    """connect.protocol=sessioned (the default): the leader wrote a session-key record in Java's
    format; the internal POST /connectors/{n}/tasks needs Java's InternalRequestSignature."""
    keys = [line for line in kcat_lines(kafka.bootstrap, "connect-configs", fmt="%k\t%s\n")
            if line.startswith("session-key\t")]
    assert keys, "no session-key record in the config topic"
    record = json.loads(keys[-1].split("\t", 1)[1])
    assert list(record) == ["key", "algorithm", "creation-timestamp"], record
    assert record["algorithm"] == "HmacSHA256" and abs(record["creation-timestamp"] / 1000 - time.time()) < 600
    key = base64.b64decode(record["key"], validate=True)
    assert len(key) == 32, len(key)
    code, _, tasks = workers[0].rest.get(f"/connectors/{TOPIC}/tasks")
    assert code == 200, code
    body = json.dumps([t["config"] for t in tasks]).encode()
    path = f"/connectors/{TOPIC}/tasks"

    def post(sig, alg="HmacSHA256", w=workers[1]):
        headers = {"X-Connect-Authorization": sig, "X-Connect-Request-Signature-Algorithm": alg}
        return w.rest.request("POST", path, raw=body, headers=headers if sig is not None else {})

    code, _, resp = post(None)
    assert code == 400 and resp["message"] == "Internal request missing required signature", (code, resp)
    forged = base64.b64encode(hmac.new(b"not the key", body, hashlib.sha256).digest()).decode()
    for w in workers:
        code, _, resp = post(forged, w=w)
        assert code == 403 and resp["message"] == "Internal request contained invalid signature.", (code, resp)
    code, _, resp = post(forged, alg="HmacSHA512")
    assert code == 400 and "does not support the 'HmacSHA512' key signing algorithm" in resp["message"], (code, resp)
    good = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
    code, _, resp = retry_409(lambda: post(good), "signed task configs")
    assert code == 204, (code, resp)
    print("request signing: session key in Java's format, forged and unsigned requests refused, signed accepted")


def main():
    sluice = sys.argv[1]
    work = temp_dir()
    kafka = ControlledDevKafka(sluice, work, topics=["connect-configs:1", "connect-offsets:5", "connect-status:3",
                                                     f"{TOPIC}:1", "compat-configs:1", "compat-offsets:1",
                                                     "compat-status:1"])
    workers = []
    ok = False
    try:
        # Brokers unreachable at start: REST answers at once, the log says why, it keeps trying.
        dead = Worker(sluice, f"127.0.0.1:{free_port()}", work, "unreachable", wait=False,
                      extra=dict(DEV_KAFKA_TIMEOUTS, **{"request.timeout.ms": "2000"}))
        wait_for(lambda: dead.rest.get("/")[0] == 200, 10, "REST of a worker without Kafka")
        assert dead.rest.get("/health")[0] == 503
        assert dead.rest.get("/connectors")[2] == []
        code, _, body = dead.rest.request("POST", "/connectors", {"name": "x", "config": {"connector.class": "x"}})
        assert code == 409 and "no known leader URL" in body["message"], (code, body)
        wait_for(lambda: dead.log_text().count("cannot reach Kafka at bootstrap.servers=") >= 2, 30,
                 "the worker to log that it cannot reach Kafka, twice")
        assert dead.stop()[0] == 0
        print("unreachable brokers: REST answers, 503 health, 409 writes, retries logged")

        # A config topic with several partitions: the worker refuses to start, saying why.
        bad = Worker(sluice, kafka.bootstrap, work, "multi", topics=("connect-offsets", "connect-offsets",
                                                                      "connect-status"), wait=False)
        assert bad.proc.wait(timeout=60) == 1
        assert "required to have a single partition" in bad.log_text()
        print("a multi-partition config topic: the worker exits with the reason")

        # connect.protocol=compatible: no session key, internal requests are not checked (Java).
        compat = Worker(sluice, kafka.bootstrap, work, "compat", group="compat",
                        topics=("compat-configs", "compat-offsets", "compat-status"),
                        extra=dict(DEV_KAFKA_TIMEOUTS, **{"connect.protocol": "compatible"}))
        wait_for(lambda: compat.rest.get("/connectors")[0] == 200, 30, "the compatible worker to lead")
        time.sleep(2)
        forged = base64.b64encode(b"x" * 32).decode()
        code, _, body = compat.rest.request("POST", "/connectors/nosuch/tasks", raw="[]", headers={
            "X-Connect-Authorization": forged, "X-Connect-Request-Signature-Algorithm": "HmacSHA256"})
        assert code not in (400, 403, 503), (code, body)
        assert not [k for k in kcat_lines(kafka.bootstrap, "compat-configs", fmt="%k\n") if k == "session-key"]
        assert compat.stop()[0] == 0
        print(f"compatible protocol: no session key, a forged signature not checked ({code})")

        workers = [Worker(sluice, kafka.bootstrap, work, f"w{i}") for i in range(3)]
        config = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
                  "tasks.max": str(TASKS), "topic": TOPIC, "throughput": "100"}

        # Create through the third worker (a follower unless it happens to lead).
        code, _, body = retry_409(lambda: workers[2].rest.request("POST", "/connectors",
                                                                  {"name": TOPIC, "config": config}), "create")
        assert code == 201, (code, body)
        code, _, body = workers[1].rest.request("POST", "/connectors", {"name": TOPIC, "config": config})
        assert code == 409 and "already exists" in body["message"], (code, body)
        wait_for(lambda: running_everywhere(workers), 60, "the connector and 3 tasks RUNNING on every worker's REST")
        owners = task_owners(workers[0])
        assert sorted(owners.values()) == sorted(w.id for w in workers), f"unbalanced: {owners}"
        print("balanced:", owners)

        check_active_topics(kafka, workers)
        check_request_signing(kafka, workers)

        for w in workers:
            code, _, body = retry_409(lambda: w.rest.get(f"/connectors/{TOPIC}/config"), "config")
            assert code == 200 and body["tasks.max"] == str(TASKS), (code, body)
            code, _, body = retry_409(lambda: w.rest.get(f"/connectors/{TOPIC}/tasks"), "tasks")
            assert code == 200 and len(body) == TASKS, (code, body)

        # Coordinator errors injected: Heartbeat REBALANCE_IN_PROGRESS, then JoinGroup
        # COORDINATOR_NOT_AVAILABLE and SyncGroup NOT_COORDINATOR on the rejoin. The group
        # re-forms and the same work runs again.
        kafka.command("err 11 15 15")
        kafka.command("err 14 16")
        kafka.command("err 12 27 27 27")
        for error in ("COORDINATOR_NOT_AVAILABLE", "NOT_COORDINATOR"):
            wait_for(lambda: any(error in w.log_text() for w in workers), 30, f"a worker to meet the injected {error}")
        wait_for(lambda: running_everywhere(workers), 60, "RUNNING again after the injected coordinator errors")
        print("coordinator errors: the group re-formed")

        # Pause / resume / restart / update through followers.
        assert workers[1].rest.request("PUT", f"/connectors/{TOPIC}/pause")[0] == 202
        wait_for(lambda: running_everywhere(workers, state="PAUSED"), 30, "PAUSED everywhere")
        assert workers[2].rest.request("PUT", f"/connectors/{TOPIC}/resume")[0] == 202
        wait_for(lambda: running_everywhere(workers), 30, "RUNNING again after resume")
        code, _, body = retry_409(lambda: workers[1].rest.request(
            "POST", f"/connectors/{TOPIC}/restart?includeTasks=true"), "restart")
        assert code == 202 and body["connector"]["state"] == "RESTARTING", (code, body)
        wait_for(lambda: running_everywhere(workers), 30, "RUNNING after restart")
        code, _, body = retry_409(lambda: workers[2].rest.request(
            "POST", f"/connectors/{TOPIC}/tasks/1/restart"), "task restart")
        assert code == 204, (code, body)
        config["throughput"] = "150"
        code, _, body = retry_409(lambda: workers[1].rest.request("PUT", f"/connectors/{TOPIC}/config", config),
                                  "update")
        assert code == 200, (code, body)
        wait_for(lambda: all(w.rest.get(f"/connectors/{TOPIC}/config")[2].get("throughput") == "150"
                             for w in workers), 30, "the update on every worker")
        wait_for(lambda: running_everywhere(workers), 30, "RUNNING after update")
        code, _, body = workers[2].rest.get(f"/connectors/{TOPIC}/offsets")
        assert code == 200 and len(body["offsets"]) == TASKS, (code, body)

        # SIGKILL a task-running worker that is not w0 (w0 stays to watch).
        owners = task_owners(workers[0])
        victim = next(w for w in workers[1:] if w.id in owners.values())
        killed_tasks = [t for t, o in owners.items() if o == victim.id]
        t0 = time.monotonic()
        victim.stop(signal.SIGKILL)
        survivors = [w for w in workers if w is not victim]
        wait_for(lambda: running_everywhere(survivors) and victim.id not in task_owners(workers[0]).values(),
                 60, "the killed worker's tasks RUNNING elsewhere")
        print(f"failover: tasks {killed_tasks} RUNNING elsewhere {time.monotonic() - t0:.1f} s after SIGKILL")
        # The SIGKILL may duplicate what the dead worker had not committed; every handover after
        # it (join, rolling restart, full restart) is graceful and must duplicate nothing.
        mark = highest_seqnos(kafka.bootstrap)

        # A fourth worker joins; the tasks it does not take keep running where they were.
        before = task_owners(workers[0])
        newcomer = Worker(sluice, kafka.bootstrap, work, "w3")
        survivors.append(newcomer)
        wait_for(lambda: running_everywhere(survivors) and newcomer.id in task_owners(workers[0]).values(),
                 60, "the new worker to run a task")
        after = task_owners(workers[0])
        moved = [t for t in after if after[t] != before.get(t)]
        assert len(moved) == 1, f"cooperative rebalance moved more than one task: {before} -> {after}"
        print("join: task", moved, "moved to the new worker")

        # Rolling restart: SIGTERM each worker in turn and start it again.
        for w in survivors:
            rc, took = w.stop()
            assert rc == 0 and took < 30, (w.name, rc, took)
            print(f"{w.name} stopped in {took:.1f} s")
            w.start()
            wait_for(lambda: running_everywhere(survivors), 60, f"RUNNING after {w.name} restarted")

        # Everything down, everything up: state and offsets come back from the topics.
        for w in survivors:
            assert w.stop()[0] == 0
        high = end_offset(kafka.bootstrap, TOPIC)
        for w in survivors:
            w.start()
        wait_for(lambda: running_everywhere(survivors), 60, "RUNNING after a full restart")
        wait_for(lambda: end_offset(kafka.bootstrap, TOPIC) > high + 150, 30, "records after the full restart")
        wait_for(lambda: topics_everywhere(survivors, [TOPIC]), 30, "the topic recorded again by restarted tasks")
        assert survivors[1].rest.request("PUT", f"/connectors/{TOPIC}/pause")[0] == 202
        wait_for(lambda: running_everywhere(survivors, state="PAUSED"), 30, "PAUSED before the check")

        lines = kcat_lines(kafka.bootstrap, TOPIC)
        records = os.path.join(work, "records.txt")
        with open(records, "w") as f:
            f.write("\n".join(lines) + "\n")
        check = subprocess.run([sys.executable, str(HERE / "check_seqnos.py"), records, "--tasks", str(TASKS),
                                "--per-task", "0"], capture_output=True, text=True)
        print(check.stdout.strip())
        assert check.returncode == 0, "the verifiable sequence has a gap"
        dups = duplicates_after(lines, mark)
        assert not dups, f"graceful handovers duplicated records (task, seqno): {dups[:10]}"
        print("no duplicate after the SIGKILL phase (join, rolling restart, full restart)")

        code, _, _ = retry_409(lambda: survivors[2].rest.request("DELETE", f"/connectors/{TOPIC}"), "delete")
        assert code == 204, code
        wait_for(lambda: all(w.rest.get("/connectors")[2] == [] for w in survivors), 30, "the delete everywhere")
        # The restarts recorded the topic again; the delete forgets it (Java's onDeletion).
        wait_for(lambda: topics_everywhere(survivors, []), 30, "the deleted connector's topics forgotten")
        assert topic_records(kafka)[-1][1] is None, topic_records(kafka)[-3:]
        for w in survivors:
            w.stop()
        ok = True
        print("distributed_test: ok", f"(logs in {work})" if os.environ.get("SLUICE_KEEP_LOGS") else "")
    finally:
        for w in workers + ([newcomer] if "newcomer" in locals() else []):
            if w.proc and w.proc.poll() is None:
                w.proc.kill()
                w.proc.wait()
        kafka.stop()
        if ok and not os.environ.get("SLUICE_KEEP_LOGS"):
            shutil.rmtree(work, ignore_errors=True)
        elif not ok:
            print("logs kept in", work)
            for log in sorted(Path(work).glob("*.log")):
                print(f"--- {log.name} (tail)")
                print("\n".join(log.read_text(errors="replace").splitlines()[-25:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
