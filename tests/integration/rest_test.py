#!/usr/bin/env python3
"""Kafka Connect's REST API on a real `sluice standalone`, driven over HTTP as curl scripts,
kcctl, Strimzi and Airflow checks drive it. usage: rest_test.py SLUICE_BINARY"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sluice_process import DevKafka, Standalone, kcat_lines, quote, temp_dir, wait_for  # noqa: E402

SLUICE = os.path.abspath(sys.argv[1])
EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")
VERIFIABLE = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
              "tasks.max": "1", "topic": "verifiable", "throughput": "200"}
results = {"passed": 0, "failed": 0}


def check(name):
    def wrap(fn):
        def run(*a):
            try:
                fn(*a)
                results["passed"] += 1
                print(f"ok   {name}")
            except AssertionError as e:
                results["failed"] += 1
                print(f"FAIL {name}: {e}")
        run.check_name = name
        return run
    return wrap


def expect(resp, status, body=None):
    code, _, got = resp
    assert code == status, f"expected {status}, got {code}: {got}"
    if body is not None:
        assert got == body, f"expected body {body!r}, got {got!r}"
    return got


def state_is(rest, name, conn_state, task_state=None):
    code, _, st = rest.get(f"/connectors/{quote(name)}/status")
    if code != 200 or st["connector"]["state"] != conn_state:
        return False
    return task_state is None or (st["tasks"] and all(t["state"] == task_state for t in st["tasks"]))


def main():
    work = temp_dir()
    kafka = DevKafka(SLUICE, ["verifiable:1", "scripted:1"])
    worker = None
    try:
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        rest = worker.rest
        print(f"worker answered GET / {worker.startup_seconds * 1000:.0f} ms after exec")
        run_all(rest, kafka, worker, work)
        # Connectors created over REST survive a restart of the standalone worker.
        worker.stop()
        worker = Standalone(SLUICE, kafka.bootstrap, work)
        survived(worker.rest)
        assert worker.stop() == 0
        worker = None
    finally:
        if worker:
            worker.stop()
        kafka.stop()
        if os.environ.get("KEEP_WORK") != "1":
            shutil.rmtree(work, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


def run_all(rest, kafka, worker, work):
    server_info(rest)
    create_and_conflict(rest)
    status_and_tasks(rest)
    expand(rest)
    put_and_patch(rest)
    pause_resume_stop(rest)
    offsets_roundtrip(rest, kafka)
    restart_only_failed(rest)
    airflow_check(rest, worker)
    names(rest)
    bad_requests(rest)
    plugins_and_validate(rest)
    delete_then_404(rest)


@check("GET / has version, commit and the Kafka cluster id")
def server_info(rest):
    info = expect(rest.get("/"), 200)
    assert set(info) == {"version", "commit", "kafka_cluster_id"}, info
    assert info["kafka_cluster_id"].startswith("mockCluster"), info
    expect(rest.get("/connectors"), 200, [])
    health = expect(rest.get("/health"), 200)
    assert health["status"] == "healthy", health


@check("POST /connectors: 201 with Location; again: 409")
def create_and_conflict(rest):
    code, headers, body = rest.request("POST", "/connectors", {"name": "v", "config": VERIFIABLE})
    assert code == 201, (code, body)
    assert headers.get("Location", "").endswith("/connectors/v"), headers
    assert body["name"] == "v" and body["config"]["name"] == "v" and body["type"] == "source", body
    expect(rest.request("POST", "/connectors", {"name": "v", "config": VERIFIABLE}), 409,
           {"error_code": 409, "message": "Connector v already exists"})


@check("status RUNNING with worker_id; tasks and tasks-config")
def status_and_tasks(rest):
    wait_for(lambda: state_is(rest, "v", "RUNNING", "RUNNING"), 20, "v RUNNING")
    st = expect(rest.get("/connectors/v/status"), 200)
    assert st["type"] == "source" and st["tasks"][0]["id"] == 0, st
    assert st["connector"]["worker_id"] == f"127.0.0.1:{rest.port}", st
    assert "trace" not in st["tasks"][0], st
    tasks = expect(rest.get("/connectors/v/tasks"), 200)
    assert tasks[0]["id"] == {"connector": "v", "task": 0} and tasks[0]["config"]["id"] == "0", tasks
    tc = expect(rest.get("/connectors/v/tasks-config"), 200)
    assert list(tc) == ["v-0"], tc
    ts = expect(rest.get("/connectors/v/tasks/0/status"), 200)
    assert ts["state"] == "RUNNING" and ts["id"] == 0, ts
    expect(rest.get("/connectors/v/tasks/7/status"), 404)
    topics = expect(rest.get("/connectors/v/topics"), 200)
    assert topics == {"v": {"topics": ["verifiable"]}}, topics


@check("GET /connectors?expand=status&expand=info")
def expand(rest):
    both = expect(rest.get("/connectors?expand=status&expand=info"), 200)
    assert set(both["v"]) == {"status", "info"}, both
    only = expect(rest.get("/connectors?expand=status"), 200)
    assert set(only["v"]) == {"status"}, only


@check("PUT config: 201 new, 200 update; PATCH merges and removes nulls")
def put_and_patch(rest):
    cfg = dict(VERIFIABLE, topic="verifiable2", throughput="50")
    code, headers, body = rest.request("PUT", "/connectors/w/config", cfg)
    assert code == 201 and "Location" in headers, (code, body)
    expect(rest.request("PUT", "/connectors/w/config", dict(cfg, throughput="60")), 200)
    got = expect(rest.request("PATCH", "/connectors/w/config", {"throughput": "70", "extra.key": "x"}), 200)
    assert got["config"]["throughput"] == "70" and got["config"]["extra.key"] == "x", got
    got = expect(rest.request("PATCH", "/connectors/w/config", {"extra.key": None}), 200)
    assert "extra.key" not in got["config"] and got["config"]["topic"] == "verifiable2", got
    # Removing a required key makes the config invalid: 400, and the stored config stays.
    code, _, body = rest.request("PATCH", "/connectors/w/config", {"topic": None})
    assert code == 400 and '"topic"' in body["message"], (code, body)
    assert expect(rest.get("/connectors/w/config"), 200)["topic"] == "verifiable2"
    expect(rest.request("PATCH", "/connectors/nope/config", {"a": "b"}), 404)
    expect(rest.request("DELETE", "/connectors/w"), 204)


@check("pause 202 -> PAUSED; resume 202 -> RUNNING; stop 204 -> STOPPED with no tasks")
def pause_resume_stop(rest):
    expect(rest.request("PUT", "/connectors/v/pause"), 202)
    wait_for(lambda: state_is(rest, "v", "PAUSED", "PAUSED"), 20, "v PAUSED")
    expect(rest.request("PUT", "/connectors/v/resume"), 202)
    wait_for(lambda: state_is(rest, "v", "RUNNING", "RUNNING"), 20, "v RUNNING again")
    expect(rest.request("PUT", "/connectors/v/stop"), 204)
    st = expect(rest.get("/connectors/v/status"), 200)
    assert st["connector"]["state"] == "STOPPED" and st["tasks"] == [], st
    expect(rest.request("PUT", "/connectors/nope/pause"), 404)


@check("offsets: GET; PATCH refused unless STOPPED; stop, PATCH, resume continues from it")
def offsets_roundtrip(rest, kafka):
    offs = expect(rest.get("/connectors/v/offsets"), 200)
    assert offs["offsets"] and offs["offsets"][0]["partition"] == {"id": 0}, offs
    assert "seqno" in offs["offsets"][0]["offset"], offs
    expect(rest.request("PUT", "/connectors/v/resume"), 202)
    wait_for(lambda: state_is(rest, "v", "RUNNING", "RUNNING"), 20, "v RUNNING")
    code, _, body = rest.request("PATCH", "/connectors/v/offsets",
                                 {"offsets": [{"partition": {"id": 0}, "offset": {"seqno": 999999}}]})
    assert code == 400 and "STOPPED" in body["message"], (code, body)
    expect(rest.request("PUT", "/connectors/v/stop"), 204)
    code, _, body = rest.request("PATCH", "/connectors/v/offsets",
                                 {"offsets": [{"partition": {"id": 0}, "offset": {"seqno": 999999}}]})
    assert code == 200 and "altered successfully" in body["message"], (code, body)
    expect(rest.get("/connectors/v/offsets"), 200,
           {"offsets": [{"partition": {"id": 0}, "offset": {"seqno": 999999}}]})
    expect(rest.request("PUT", "/connectors/v/resume"), 202)
    wait_for(lambda: any(line.split()[2] == "1000000" for line in kcat_lines(kafka.bootstrap, "verifiable")),
             20, "seqno 1000000 in Kafka after the offset change")
    expect(rest.request("PUT", "/connectors/v/stop"), 204)
    body = expect(rest.request("DELETE", "/connectors/v/offsets"), 200)
    assert "reset successfully" in body["message"], body
    expect(rest.get("/connectors/v/offsets"), 200, {"offsets": []})
    expect(rest.request("PUT", "/connectors/v/resume"), 202)


@check("restart?includeTasks&onlyFailed restarts only the failed task (202); plain restart 204")
def restart_only_failed(rest):
    cfg = {"connector.class": "sluice.test.ScriptedSourceConnector", "tasks.max": "2",
           "topic": "scripted", "throw.after": "50", "fail.task": "1"}
    expect(rest.request("POST", "/connectors", {"name": "s", "config": cfg}), 201)
    def one_failed():
        code, _, st = rest.get("/connectors/s/status")
        return code == 200 and [t["state"] for t in st["tasks"]] == ["RUNNING", "FAILED"]
    wait_for(one_failed, 20, "task 1 FAILED, task 0 RUNNING")
    st = expect(rest.get("/connectors/s/status"), 200)
    assert "scripted failure in poll()" in st["tasks"][1]["trace"], st
    plan = expect(rest.request("POST", "/connectors/s/restart?includeTasks=true&onlyFailed=true"), 202)
    assert plan["connector"]["state"] == "RUNNING", plan
    assert [t["state"] for t in plan["tasks"]] == ["RUNNING", "RESTARTING"], plan
    expect(rest.request("POST", "/connectors/s/restart"), 204)
    expect(rest.request("POST", "/connectors/s/tasks/0/restart"), 204)
    expect(rest.request("POST", "/connectors/s/tasks/9/restart"), 404)
    expect(rest.request("POST", "/connectors/nope/restart"), 404)


@check("the Airflow check exits 0 RUNNING, 2 PAUSED, 1 FAILED, 3 unknown")
def airflow_check(rest, worker):
    script = os.path.join(EXAMPLES, "airflow", "check_connector.py")
    url = f"http://127.0.0.1:{rest.port}"
    def rc(name):
        return subprocess.run([sys.executable, script, url, name], capture_output=True).returncode
    wait_for(lambda: state_is(rest, "v", "RUNNING", "RUNNING"), 20, "v RUNNING")
    assert rc("v") == 0
    expect(rest.request("PUT", "/connectors/v/pause"), 202)
    wait_for(lambda: state_is(rest, "v", "PAUSED", "PAUSED"), 20, "v PAUSED")
    assert rc("v") == 2
    expect(rest.request("PUT", "/connectors/v/resume"), 202)
    wait_for(lambda: rc("s") == 1, 20, "the check to see s FAILED")
    assert rc("no-such-connector") == 3


@check("names with spaces, slashes and unicode")
def names(rest):
    for name in ["with space", "a/b", "café-ü"]:
        code, headers, body = rest.request("POST", "/connectors", {"name": name, "config": VERIFIABLE})
        assert code == 201, (name, code, body)
        assert headers["Location"].endswith("/connectors/" + quote(name)), headers
        got = expect(rest.get(f"/connectors/{quote(name)}"), 200)
        assert got["name"] == name, got
        expect(rest.request("DELETE", f"/connectors/{quote(name)}"), 204)


@check("bad requests get Connect's status codes and say what is wrong")
def bad_requests(rest):
    code, _, body = rest.request("POST", "/connectors", raw="{not json")
    assert code in (400, 500) and body["error_code"] == code, (code, body)
    code, _, body = rest.request("PUT", "/connectors/x/config", {"connector.class": None})
    assert code == 400, (code, body)
    code, _, body = rest.request("PUT", "/connectors/x/config", {"tasks.max": "1"})
    assert code == 400 and "contains no connector type" in body["message"], (code, body)
    code, _, body = rest.request("PUT", "/connectors/x/config", {"connector.class": "io.example.Nope"})
    assert code == 500 and "io.example.Nope" in body["message"], (code, body)
    code, _, body = rest.request("PUT", "/connectors/x/config", {"connector.class": "VerifiableSource", "name": "y"})
    assert code == 400 and "doesn't match" in body["message"], (code, body)
    code, _, body = rest.request("PUT", "/connectors/x/config", {"connector.class": "VerifiableSource", "tasks.max": 1})
    assert code == 400 and "topic" in body["message"], (code, body)  # numbers accepted, topic missing
    expect(rest.get("/no/such/path"), 404)
    code, _, _ = rest.request("DELETE", "/connector-plugins")
    assert code == 405, code
    code, _, body = rest.get("/connectors/nope")
    assert code == 404 and body == {"error_code": 404, "message": "Connector nope not found"}, body


@check("connector-plugins, their config, and validate")
def plugins_and_validate(rest):
    plugins = expect(rest.get("/connector-plugins"), 200)
    classes = {p["class"] for p in plugins}
    assert "org.apache.kafka.connect.tools.VerifiableSourceConnector" in classes, plugins
    assert all(p["type"] == "source" for p in plugins), plugins
    everything = expect(rest.get("/connector-plugins?connectorsOnly=false"), 200)
    assert {"converter", "header_converter"} <= {p["type"] for p in everything}, everything
    keys = expect(rest.get("/connector-plugins/VerifiableSource/config"), 200)
    assert {"topic", "throughput", "tasks.max"} <= {k["name"] for k in keys}, keys
    expect(rest.get("/connector-plugins/io.example.Nope/config"), 404)
    infos = expect(rest.request("PUT", "/connector-plugins/VerifiableSource/config/validate",
                                {"connector.class": "VerifiableSource", "tasks.max": "0"}), 200)
    assert infos["error_count"] >= 2, infos  # tasks.max < 1, topic missing, throughput missing
    errors = {c["value"]["name"]: c["value"]["errors"] for c in infos["configs"]}
    assert errors["topic"] and errors["tasks.max"], errors


@check("DELETE 204, then status 404")
def delete_then_404(rest):
    expect(rest.request("DELETE", "/connectors/s"), 204)
    expect(rest.get("/connectors/s/status"), 404,
           {"error_code": 404, "message": "No status found for connector s"})
    expect(rest.request("DELETE", "/connectors/s"), 404)


@check("connectors created over REST are back after a restart, in their state")
def survived(rest):
    names = expect(rest.get("/connectors"), 200)
    assert names == ["v"], names
    wait_for(lambda: state_is(rest, "v", "RUNNING", "RUNNING"), 20, "v RUNNING after restart")


if __name__ == "__main__":
    sys.exit(main())
