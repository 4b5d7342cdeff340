#!/usr/bin/env python3
"""REST compatibility, request by request: Kafka Connect's own JVM worker and Sluice.

One real Kafka (one KRaft node, tests/support/kafka_cluster.py). Kafka Connect's standalone
worker (tests/support/connect_worker.py; Kafka's own
org.apache.kafka.connect.tools.VerifiableSourceConnector is on its classpath) and
`sluice standalone` (its verifiable plugin resolves the same class name) run side by side, both
with JsonConverter (schemas enabled) and their REST on free loopback ports. Both get the SAME
sequence of requests (below); status codes, JSON bodies and the Location header are compared.
Each worker writes to its own topics: in bodies the topic names are mapped to placeholders
(TOPIC_V, TOPIC_W) before comparing.

Everything that is NOT compared, and why (notes below the table):

| ignored                                  | where                                | why                                |
|------------------------------------------|--------------------------------------|------------------------------------|
| `worker_id`                              | status bodies                        | each worker's own host:port        |
| `version`, `commit`                      | `GET /`                              | Sluice's own                       |
| `kafka_cluster_id`                       | `GET /`                              | asked to be ignored [1]            |
| the text of `trace`                      | status bodies                        | Java's is a stack trace [2]        |
| host:port of `Location`                  | 201 answers                          | each worker's own address [3]      |
| wording of Jackson/JAX-RS read errors    | bodies Jackson cannot read [4]       | Jackson's text vs Sluice's own     |
| text of a Java NullPointerException      | empty body; POST without `config`    | Java's NPE text; both answer 500   |
| text after "available connectors are:"   | unknown `connector.class`            | each lists its own plugins         |
| topic names                              | every body                           | distinct per worker; placeholders  |
| offset values (`seqno`)                  | GET offsets after records flowed     | record counts differ [5]           |
| plugin list but one entry; its `version` | `GET /connector-plugins`             | different plugin sets [6]          |
| keys only one side declares              | `.../config/validate`                | Java's plugin declares no keys [7] |
| task config key `task.class`             | `GET .../tasks`                      | Java's task class name [8]         |
| Java standalone bug                      | `PUT /connectors/{unknown}/stop`     | Java 500, Sluice 404 [9]           |
| Java standalone bug                      | `POST /connectors/{unknown}/restart` | Java 500 (NPE), Sluice 404 [9]     |
| Java standalone bug                      | `POST .../{unknown}/tasks/0/restart` | Java 500, Sluice 404 [9]           |
| Java standalone bug                      | `POST .../tasks/9/restart`           | Java starts a phantom task [10]    |

[1] Both read it from the same Kafka; a mismatch is printed as a note.
[2] Whether a `trace` is there is compared.
[3] The path is compared, and that the header is there at all.
[4] Not JSON, an array or a string where an object belongs, an unknown field, an object as a
    config value, an unknown `initial_state`, offsets that are not a list: 500 on both sides
    (Connect's exception mapper has no case for Jackson's exceptions); status and `error_code`
    are compared.
[5] The shape and the partitions are compared; after the PATCH the values are the test's own
    and are compared exactly.
[6] `class` and `type` of VerifiableSourceConnector's entry are compared.
[7] Java's VerifiableSourceConnector.config() is an empty ConfigDef, so Java knows nothing of
    `topic`, `throughput`, `max.messages`, `complete.record.data`; Sluice's plugin declares and
    checks them (deliberate: a bad verifiable config is refused up front instead of failing its
    task). Keys on both sides: definition name/type/required and the errors are compared, and
    `error_count` over those keys; the rest is reported, not failed. Documentation, order and
    display name are not compared (Sluice's docs are in its own words).
[8] Java's Worker adds the Java task class to every task config; a Sluice plugin's task has no
    Java class.
[9] Java's standalone herder does not check the name before stop (500 "No connector `nope`
    configured", from its config store), and after raising its NotFoundException for restart
    and task restart it goes on and fails (an NPE; "Failed to start task nope-0 ..."), which is
    what the client gets. Sluice answers 404: "Unknown connector nope" for stop (Java's
    distributed herder's answer), "Connector nope not found" for the restarts (the
    NotFoundException Java's standalone herder meant). These steps check that Java still
    answers so and that Sluice answers exactly this.
[10] Both answer 404 "Task v-9 not found"; Java then starts a task v-9 with no config, which
    shows FAILED in its status. Sluice starts nothing; nothing after this step reads v's status.

Not exercised here, but also deliberately different: Sluice's standalone worker keeps
connectors created over REST across restarts (Java's standalone worker forgets them);
`PATCH .../offsets` on a STOPPED connector with an entry whose `partition` is null or missing:
Java answers 200 and writes an offset under a null partition that nothing reads back, Sluice
answers 400 "Partition objects cannot be null" (while the connector is not STOPPED both answer
the STOPPED message: that is compared).

The sequence: GET /; GET /connectors (empty); POST /connectors (201) and again (409); GET the
connector, its config, its status (once RUNNING on both), tasks, task 0's status;
GET /connectors?expand=status, ?expand=info, both; PUT config of a new connector (201), update
(200), PATCH with a null (200); pause (202) then PAUSED; resume; stop (204) and STOPPED; offsets:
GET, PATCH while running (400), PATCH while stopped (200), GET, DELETE (200), GET; restart (204),
restart?includeTasks=true&onlyFailed=false (202), tasks/0/restart (204);
GET /connector-plugins; validate a bad config; bad requests (non-JSON body, no connector.class,
unknown connector.class, name mismatch, unknown path, wrong method, a null config value, GET
and DELETE of an unknown connector; every other endpoint with an unknown connector; bodies of
the wrong shape; validate and logger errors; a form-encoded body); a connector created STOPPED;
the Java quirks above; tasks/9/restart (404); DELETE (204) then GET status (404).

Prints every step, and for each difference the request, Java's status/body and Sluice's;
exits 1 when a difference remains that the table above does not cover.

usage: rest_compat_test.py SLUICE_BINARY      (KEEP_WORK=1 keeps the files)
"""
import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE.parent / "support"))
from connect_worker import ConnectWorker  # noqa: E402
from kafka_cluster import KafkaCluster  # noqa: E402
from sluice_process import Standalone  # noqa: E402

VERIFIABLE = "org.apache.kafka.connect.tools.VerifiableSourceConnector"
CONVERTERS = {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter.schemas.enable": "true",
}
IGNORED = "<ignored>"


def log(msg=""):
    print(msg, flush=True)


# ---- the two workers -------------------------------------------------------------------------

class Peer:
    """One worker's REST address and the strings that are its own (topic names)."""

    def __init__(self, label, host, port, topics):
        self.label, self.host, self.port = label, host, port
        self.topics = topics  # placeholder -> this worker's topic

    def request(self, method, path, body=None, raw=None, content_type="application/json"):
        """-> (status, {header: value}, body parsed as JSON, or text, or None when empty)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Accept": "application/json"}
        data = None
        if raw is not None:
            data = raw.encode()
        elif body is not None:
            data = json.dumps(self.fill(body)).encode()
        if data is not None:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", errors="replace")
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            status = resp.status
        finally:
            conn.close()
        if not text.strip():
            return status, hdrs, None
        try:
            return status, hdrs, json.loads(text)
        except ValueError:
            return status, hdrs, text

    def fill(self, x):
        """Placeholders in a request body -> this worker's own strings."""
        if isinstance(x, dict):
            return {k: self.fill(v) for k, v in x.items()}
        if isinstance(x, list):
            return [self.fill(v) for v in x]
        if isinstance(x, str):
            for ph, real in self.topics.items():
                x = x.replace(ph, real)
        return x

    def unfill(self, x):
        """This worker's own strings in an answer -> placeholders."""
        if isinstance(x, dict):
            return {self.unfill(k): self.unfill(v) for k, v in x.items()}
        if isinstance(x, list):
            return [self.unfill(v) for v in x]
        if isinstance(x, str):
            for ph, real in self.topics.items():
                x = x.replace(real, ph)
        return x

    def state(self, name):
        code, _, st = self.request("GET", f"/connectors/{name}/status")
        if code != 200 or not isinstance(st, dict):
            return None, []
        return st["connector"]["state"], [t["state"] for t in st.get("tasks", [])]


# ---- comparing -------------------------------------------------------------------------------

def masked(x):
    """worker_id and the text of trace masked, wherever they are."""
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if k == "worker_id" or (k == "trace" and isinstance(v, str)):
                out[k] = IGNORED
            else:
                out[k] = masked(v)
        return out
    if isinstance(x, list):
        return [masked(v) for v in x]
    return x


def differences(a, b, path="$"):
    """Paths where two JSON values differ (dict key order does not count)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append(f"{path}.{k}: only Java has it ({short(a[k])})")
            elif k not in a:
                out.append(f"{path}.{k}: only Sluice has it ({short(b[k])})")
            else:
                out += differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items in Java's, {len(b)} in Sluice's"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    if a != b:
        return [f"{path}: Java {short(a)}, Sluice {short(b)}"]
    return []


def short(x, n=300):
    s = json.dumps(x)
    return s if len(s) <= n else s[:n] + "..."


class Compat:
    def __init__(self, java, sluice):
        self.java, self.sluice = java, sluice
        self.steps = 0
        self.failed = []   # (label, request, [problems], java answer, sluice answer)
        self.notes = []    # ignored differences worth knowing

    def both(self, method, path, body=None, raw=None, **kw):
        j = self.java.request(method, path, body, raw, **kw)
        s = self.sluice.request(method, path, body, raw, **kw)
        return ((j[0], j[1], self.java.unfill(j[2])), (s[0], s[1], self.sluice.unfill(s[2])))

    @staticmethod
    def describe(method, path, body, raw):
        return f"{method} {path}" + (f" {raw!r}" if raw is not None else
                                     f" {json.dumps(body)}" if body is not None else "")

    def step(self, label, method, path, body=None, raw=None, compare=None, status=None, **kw):
        """Sends the request to both; compares. `compare(java_body, sluice_body)` -> problems
        (default: the masked bodies equal). `status`: what both must answer."""
        self.steps += 1
        request = self.describe(method, path, body, raw)
        (jc, jh, jb), (sc, sh, sb) = self.both(method, path, body, raw, **kw)
        problems = []
        if jc != sc:
            problems.append(f"status: Java {jc}, Sluice {sc}")
        if status is not None and jc != status:
            problems.append(f"Java answered {jc}, not the {status} this test expects "
                            "(the test's expectation is wrong, or Java changed)")
        jl, sl = jh.get("location"), sh.get("location")
        if (jl is None) != (sl is None):
            problems.append(f"Location: Java {jl!r}, Sluice {sl!r}")
        elif jl is not None:
            jp, sp = urllib.parse.urlsplit(jl).path, urllib.parse.urlsplit(sl).path
            if not urllib.parse.urlsplit(jl).netloc:
                jp = jl
            if jp != sp:
                problems.append(f"Location path: Java {jp!r}, Sluice {sp!r}")
        problems += (compare or default_compare)(jb, sb)
        mark = "ok  " if not problems else "DIFF"
        log(f"{mark} {label}: {request} -> Java {jc}, Sluice {sc}")
        if problems:
            self.failed.append((label, request, problems, (jc, jb), (sc, sb)))
        return jb, sb

    def quirk(self, label, method, path, java_status, java_text, sluice_status, sluice_message):
        """A request Java's standalone herder gets wrong (documented in the table): Java must
        still answer as recorded (else the entry must be revisited), Sluice as documented."""
        self.steps += 1
        request = self.describe(method, path, None, None)
        (jc, _, jb), (sc, _, sb) = self.both(method, path)
        problems = []
        jm = jb.get("message", "") if isinstance(jb, dict) else str(jb)
        if jc != java_status or java_text not in (jm or ""):
            problems.append(f"Java no longer answers {java_status} with ...{java_text}...: "
                            "revisit this entry of the table")
        want = {"error_code": sluice_status, "message": sluice_message}
        if sc != sluice_status or sb != want:
            problems.append(f"Sluice should answer {sluice_status} {json.dumps(want)}")
        log(f"{'ok  ' if not problems else 'DIFF'} {label} (a documented Java quirk): {request} "
            f"-> Java {jc}, Sluice {sc}")
        if problems:
            self.failed.append((label, request, problems, (jc, jb), (sc, sb)))
        else:
            self.note(f"{label}: Java {jc} {short(jm, 120)}; Sluice {sc} {sluice_message!r}")

    def note(self, text):
        self.notes.append(text)
        log(f"     note: {text}")

    def report(self):
        log()
        log(f"==== {self.steps} requests compared; {len(self.failed)} with differences ====")
        for label, request, problems, (jc, jb), (sc, sb) in self.failed:
            log(f"\n--- {label}\n    request: {request}")
            for p in problems:
                log(f"    * {p}")
            log(f"    Java   {jc}: {short(jb, 1500)}")
            log(f"    Sluice {sc}: {short(sb, 1500)}")
        if self.notes:
            log("\n==== ignored differences (see the table in this file) ====")
            for n in self.notes:
                log(f"  - {n}")
        return not self.failed


def default_compare(jb, sb):
    return differences(masked(jb), masked(sb))


def message_compare(jb, sb, prefix_until=None):
    """Error bodies; with prefix_until, the message only up to that text."""
    if not (isinstance(jb, dict) and isinstance(sb, dict)) or "message" not in jb:
        return default_compare(jb, sb)
    jm, sm = jb.get("message"), sb.get("message")
    if prefix_until and isinstance(jm, str) and isinstance(sm, str):
        jm, sm = jm.split(prefix_until)[0], sm.split(prefix_until)[0]
    return differences({**jb, "message": jm}, {**sb, "message": sm})


def status_only(jb, sb):
    """For JSON parse errors: error_code compared, the message's wording not."""
    if isinstance(jb, dict) and isinstance(sb, dict):
        return differences({k: v for k, v in jb.items() if k != "message"},
                           {k: v for k, v in sb.items() if k != "message"}) + \
            ([] if isinstance(sb.get("message"), str) and sb["message"] else
             ["Sluice's message is empty"])
    return default_compare(jb, sb)


def shape(x):
    if isinstance(x, dict):
        return {k: shape(v) for k, v in x.items()}
    if isinstance(x, list):
        return [shape(v) for v in x]
    return type(x).__name__


# ---- the sequence ----------------------------------------------------------------------------

def wait_states(peers, name, conn_state, task_state=None, tasks=None, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        got = {p.label: p.state(name) for p in peers}
        if all(c == conn_state and (task_state is None or (t and all(x == task_state for x in t)))
               and (tasks is None or len(t) == tasks) for c, t in got.values()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} not {conn_state}/{task_state} in {timeout}s: {got}")
        time.sleep(0.2)


def run(c):
    java, sluice = c.java, c.sluice
    peers = (java, sluice)
    v_cfg = {"connector.class": VERIFIABLE, "tasks.max": "1", "topic": "TOPIC_V",
             "throughput": "20"}

    def root_compare(jb, sb):
        probs = []
        if not isinstance(sb, dict) or set(sb) != set(jb):
            return [f"fields: Java {sorted(jb)}, Sluice {sb}"]
        if jb.get("kafka_cluster_id") != sb.get("kafka_cluster_id"):
            c.note(f"kafka_cluster_id: Java {jb.get('kafka_cluster_id')}, "
                   f"Sluice {sb.get('kafka_cluster_id')}")
        for k in ("version", "commit"):
            if jb.get(k) != sb.get(k):
                c.note(f"GET / {k}: Java {jb.get(k)!r}, Sluice {sb.get(k)!r}")
        return probs

    c.step("server info", "GET", "/", compare=root_compare, status=200)
    c.step("no connectors yet", "GET", "/connectors", status=200)
    c.step("create", "POST", "/connectors", {"name": "v", "config": v_cfg}, status=201)
    c.step("create again", "POST", "/connectors", {"name": "v", "config": v_cfg}, status=409)
    c.step("connector info", "GET", "/connectors/v", status=200)
    c.step("connector config", "GET", "/connectors/v/config", status=200)
    wait_states(peers, "v", "RUNNING", "RUNNING", tasks=1)
    c.step("status", "GET", "/connectors/v/status", status=200)

    def tasks_compare(jb, sb):
        if isinstance(jb, list):
            for t in jb:
                if isinstance(t, dict) and "task.class" in t.get("config", {}):
                    cls = t["config"].pop("task.class")
                    if not (isinstance(sb, list) and any("task.class" in (u.get("config") or {})
                                                         for u in sb)):
                        c.note(f"GET tasks: Java's task config has task.class={cls}; Sluice's none")
        return default_compare(jb, sb)

    c.step("tasks", "GET", "/connectors/v/tasks", compare=tasks_compare, status=200)
    c.step("task 0 status", "GET", "/connectors/v/tasks/0/status", status=200)
    c.step("expand=status", "GET", "/connectors?expand=status", status=200)
    c.step("expand=info", "GET", "/connectors?expand=info", status=200)
    c.step("expand both", "GET", "/connectors?expand=status&expand=info", status=200)

    w_cfg = {"connector.class": VERIFIABLE, "tasks.max": "1", "topic": "TOPIC_W",
             "throughput": "10"}
    c.step("PUT config, new", "PUT", "/connectors/w/config", w_cfg, status=201)
    c.step("PUT config, update", "PUT", "/connectors/w/config",
           {**w_cfg, "throughput": "11", "extra.key": "x"}, status=200)
    c.step("PATCH config, a null removes a key", "PATCH", "/connectors/w/config",
           {"extra.key": None, "throughput": "12"}, status=200)
    c.step("config after PATCH", "GET", "/connectors/w/config", status=200)
    c.step("DELETE w", "DELETE", "/connectors/w", status=204)

    c.step("pause", "PUT", "/connectors/v/pause", status=202)
    wait_states(peers, "v", "PAUSED", "PAUSED")
    c.step("status PAUSED", "GET", "/connectors/v/status", status=200)
    c.step("resume", "PUT", "/connectors/v/resume", status=202)
    wait_states(peers, "v", "RUNNING", "RUNNING")
    c.step("stop", "PUT", "/connectors/v/stop", status=204)
    wait_states(peers, "v", "STOPPED", tasks=0)
    c.step("status STOPPED", "GET", "/connectors/v/status", status=200)
    c.step("tasks when STOPPED", "GET", "/connectors/v/tasks", status=200)

    def offsets_shape(jb, sb):
        if shape(jb) != shape(sb):
            return [f"shape: Java {json.dumps(shape(jb))}, Sluice {json.dumps(shape(sb))}"]
        jp = [o.get("partition") for o in jb.get("offsets", [])]
        sp = [o.get("partition") for o in sb.get("offsets", [])]
        if jp != sp:
            return [f"partitions: Java {jp}, Sluice {sp}"]
        if jb != sb:
            c.note(f"offset values (ignored): Java {short(jb)}, Sluice {short(sb)}")
        return []

    c.step("offsets", "GET", "/connectors/v/offsets", compare=offsets_shape, status=200)
    c.step("resume before PATCH offsets", "PUT", "/connectors/v/resume", status=202)
    wait_states(peers, "v", "RUNNING", "RUNNING")
    new_offsets = {"offsets": [{"partition": {"id": 0}, "offset": {"seqno": 1000}}]}
    c.step("PATCH offsets while RUNNING", "PATCH", "/connectors/v/offsets", new_offsets,
           status=400)
    c.step("stop again", "PUT", "/connectors/v/stop", status=204)
    wait_states(peers, "v", "STOPPED", tasks=0)
    c.step("PATCH offsets while STOPPED", "PATCH", "/connectors/v/offsets", new_offsets,
           status=200)
    c.step("offsets after PATCH", "GET", "/connectors/v/offsets", status=200)
    c.step("DELETE offsets", "DELETE", "/connectors/v/offsets", status=200)
    c.step("offsets after DELETE", "GET", "/connectors/v/offsets", status=200)
    c.step("resume after the offsets", "PUT", "/connectors/v/resume", status=202)
    wait_states(peers, "v", "RUNNING", "RUNNING")

    c.step("restart", "POST", "/connectors/v/restart", status=204)
    wait_states(peers, "v", "RUNNING", "RUNNING")
    c.step("restart with tasks", "POST", "/connectors/v/restart?includeTasks=true&onlyFailed=false",
           status=202)
    wait_states(peers, "v", "RUNNING", "RUNNING")
    c.step("restart task 0", "POST", "/connectors/v/tasks/0/restart", status=204)
    wait_states(peers, "v", "RUNNING", "RUNNING")

    def plugins_compare(jb, sb):
        def entry(body):
            if not isinstance(body, list):
                return None
            for p in body:
                if isinstance(p, dict) and p.get("class") == VERIFIABLE:
                    return {"class": p["class"], "type": p.get("type")}
            return None
        je, se = entry(jb), entry(sb)
        if je is None:
            return [f"Java lists no {VERIFIABLE}"]
        return differences(je, se) if se is not None else [f"Sluice lists no {VERIFIABLE}"]

    c.step("plugins", "GET", "/connector-plugins", compare=plugins_compare, status=200)

    def validate_compare(jb, sb):
        if not (isinstance(jb, dict) and isinstance(sb, dict) and "configs" in sb):
            return default_compare(jb, sb)
        jk = {e["value"]["name"]: e for e in jb["configs"]}
        sk = {e["value"]["name"]: e for e in sb["configs"]}
        common = sorted(set(jk) & set(sk))
        probs = []
        if jb.get("name") != sb.get("name"):
            probs.append(f"name: Java {jb.get('name')!r}, Sluice {sb.get('name')!r}")
        for k in common:
            jd, sd = jk[k]["definition"], sk[k]["definition"]
            for f in ("name", "type", "required"):
                if (jd or {}).get(f) != (sd or {}).get(f):
                    probs.append(f"{k}: definition.{f}: Java {(jd or {}).get(f)!r}, "
                                 f"Sluice {(sd or {}).get(f)!r}")
            if jk[k]["value"]["errors"] != sk[k]["value"]["errors"]:
                probs.append(f"{k}: errors: Java {jk[k]['value']['errors']}, "
                             f"Sluice {sk[k]['value']['errors']}")
        for k in ("topic", "tasks.max", "throughput"):
            if k not in common:
                c.note(f"validate: {k!r} declared by "
                       f"{'Java only' if k in jk else 'Sluice only' if k in sk else 'neither'}"
                       f"; errors: Java {jk.get(k, {}).get('value', {}).get('errors')}, "
                       f"Sluice {sk.get(k, {}).get('value', {}).get('errors')}")
        def errors_on(keys, by_key):
            return sum(len(by_key[k]["value"]["errors"]) for k in keys)
        java_only = {k: jk[k]["value"]["errors"] for k in set(jk) - set(sk)
                     if jk[k]["value"]["errors"]}
        if java_only:
            probs.append(f"errors on keys Sluice does not declare: {java_only}")
        s_elsewhere = errors_on(set(sk) - set(jk), sk)
        if jb["error_count"] != sb["error_count"] - s_elsewhere:
            probs.append(f"error_count over the common keys: Java {jb['error_count']}, Sluice "
                         f"{sb['error_count'] - s_elsewhere} ({sb['error_count']} in all, "
                         f"{s_elsewhere} on keys Java does not declare)")
        if errors_on(common, sk) != sb["error_count"] - s_elsewhere:
            probs.append(f"Sluice's error_count {sb['error_count']} is not the number of its "
                         "errors")
        c.note(f"validate: {len(common)} keys on both sides; only Sluice: "
               f"{sorted(set(sk) - set(jk))}; only Java: {sorted(set(jk) - set(sk))}; "
               f"error_count Java {jb['error_count']}, Sluice {sb['error_count']}")
        return probs

    c.step("validate a bad config", "PUT",
           "/connector-plugins/VerifiableSourceConnector/config/validate",
           {"connector.class": VERIFIABLE, "tasks.max": "0", "throughput": "abc"},
           compare=validate_compare, status=200)

    # ---- bad requests
    c.step("non-JSON body", "POST", "/connectors", raw="{not json", compare=status_only, status=500)
    c.step("no connector.class", "POST", "/connectors",
           {"name": "x", "config": {"tasks.max": "1"}}, compare=message_compare, status=400)
    c.step("unknown connector.class", "POST", "/connectors",
           {"name": "x", "config": {"connector.class": "io.example.NopeConnector",
                                    "tasks.max": "1"}},
           compare=lambda j, s: message_compare(j, s, "available connectors are:"), status=500)
    c.step("name mismatch", "PUT", "/connectors/x/config", {**v_cfg, "name": "y"},
           compare=message_compare, status=400)
    c.step("unknown path", "GET", "/no/such/path", status=404)
    c.step("wrong method", "DELETE", "/connector-plugins", status=405)
    c.step("null config value", "PUT", "/connectors/x/config",
           {**v_cfg, "throughput": None}, compare=message_compare, status=400)
    c.step("GET unknown connector", "GET", "/connectors/nope", status=404)
    c.step("DELETE unknown connector", "DELETE", "/connectors/nope", status=404)

    # More of the same kind: every endpoint with an unknown connector ...
    for method, sub, body, code in (
            ("GET", "config", None, 404), ("PATCH", "config", {"a": "b"}, 404),
            ("GET", "status", None, 404), ("GET", "tasks", None, 404),
            ("GET", "tasks-config", None, 404), ("GET", "tasks/0/status", None, 404),
            ("GET", "offsets", None, 404), ("PATCH", "offsets", new_offsets, 404),
            ("DELETE", "offsets", None, 404), ("GET", "topics", None, 200),
            ("PUT", "pause", None, 404), ("PUT", "resume", None, 404),
            ("POST", "restart?includeTasks=true&onlyFailed=false", None, 404)):
        c.step(f"{method} {sub} of an unknown connector", method, f"/connectors/nope/{sub}", body,
               status=code)
    c.step("status of an unknown task", "GET", "/connectors/v/tasks/7/status", status=404)
    # ... and bodies that are not what the endpoint reads. Where Jackson (or a Java
    # NullPointerException) writes the message, only the status and error_code are compared.
    full = '"connector.class":"VerifiableSource","topic":"t","throughput":"1"'
    for label, method, path, raw, code, cmp in (
            ("empty body", "POST", "/connectors", "", 500, status_only),
            ("body is an array", "POST", "/connectors", "[]", 500, status_only),
            ("body is a string", "PUT", "/connectors/x/config", '"x"', 500, status_only),
            ("unknown field", "POST", "/connectors",
             '{"name":"x","config":{%s},"bogus":1}' % full, 500, status_only),
            ("object as a config value", "POST", "/connectors",
             '{"name":"x","config":{%s,"a":{"b":1}}}' % full, 500, status_only),
            ("no config", "POST", "/connectors", '{"name":"x"}', 500, status_only),
            ("no name", "POST", "/connectors", '{"config":{%s}}' % full, 400, message_compare),
            ("empty name", "POST", "/connectors", '{"name":"","config":{%s}}' % full, 400,
             message_compare),
            ("bad initial_state", "POST", "/connectors",
             '{"name":"x","config":{%s},"initial_state":"BOGUS"}' % full, 500, status_only),
            ("offsets not a list", "PATCH", "/connectors/v/offsets", '{"offsets":{}}', 500,
             status_only),
            ("no offsets", "PATCH", "/connectors/v/offsets", '{}', 400, message_compare),
            ("empty offsets", "PATCH", "/connectors/v/offsets", '{"offsets":[]}', 400,
             message_compare),
            ("an offset without its partition", "PATCH", "/connectors/v/offsets",
             '{"offsets":[{"offset":{"seqno":1}}]}', 400, message_compare),
            ("offsets with an unknown field", "PATCH", "/connectors/v/offsets",
             '{"offsets":[{"partition":{"id":0},"offset":null,"x":1}]}', 500, status_only),
            ("validate without connector.class", "PUT",
             "/connector-plugins/VerifiableSourceConnector/config/validate", '{"tasks.max":"1"}',
             500, message_compare),
            ("validate with a class of another type", "PUT",
             "/connector-plugins/FileStreamSource/config/validate",
             '{"connector.class":"%s"}' % VERIFIABLE, 400, message_compare),
            ("validate an unknown class", "PUT", "/connector-plugins/NopeConnector/config/validate",
             '{"connector.class":"io.example.NopeConnector"}', 500,
             lambda j, s: message_compare(j, s, "available connectors are:")),
            ("validate a non-JSON body", "PUT",
             "/connector-plugins/VerifiableSourceConnector/config/validate", "{", 500,
             status_only),
            ("config of an unknown plugin", "GET", "/connector-plugins/io.example.Nope/config",
             None, 404, message_compare),
            ("logger level missing", "PUT", "/admin/loggers/org.apache.kafka", "{}", 400,
             message_compare),
            ("logger level invalid", "PUT", "/admin/loggers/org.apache.kafka", '{"level":"LOUD"}',
             404, message_compare),
            ("logger body not JSON", "PUT", "/admin/loggers/org.apache.kafka", "{", 500,
             status_only),
            ("unknown logger", "GET", "/admin/loggers/io.example.nope", None, 404,
             message_compare)):
        c.step(label, method, path, raw=raw, compare=cmp, status=code)
    c.step("a body that is not JSON by its Content-Type", "POST", "/connectors",
           raw="name=x", content_type="application/x-www-form-urlencoded", status=415)
    c.step("nothing was created by the bad requests", "GET", "/connectors", status=200)

    # initial_state, as Java's enum reads it (any case).
    c.step("create STOPPED (lower case)", "POST", "/connectors",
           {"name": "x", "config": w_cfg, "initial_state": "stopped"})
    if java.request("GET", "/connectors/x")[0] == 200:
        wait_states(peers, "x", "STOPPED", tasks=0)
        c.step("status of a connector created STOPPED", "GET", "/connectors/x/status", status=200)
        c.step("DELETE x", "DELETE", "/connectors/x", status=204)

    # Java's standalone herder fails on these (see the table); Sluice answers 404.
    c.quirk("PUT stop of an unknown connector", "PUT", "/connectors/nope/stop",
            500, "No connector `nope` configured", 404, "Unknown connector nope")
    c.quirk("POST restart of an unknown connector", "POST", "/connectors/nope/restart",
            500, "is null", 404, "Connector nope not found")
    c.quirk("restart a task of an unknown connector", "POST", "/connectors/nope/tasks/0/restart",
            500, "Failed to start task nope-0", 404, "Connector nope not found")
    # The answers agree; Java then starts a task v-9 that fails (a FAILED task 9 in its
    # status), so this comes last before the DELETE.
    c.step("restart task 9", "POST", "/connectors/v/tasks/9/restart", status=404)

    c.step("DELETE", "DELETE", "/connectors/v", status=204)
    c.step("status after DELETE", "GET", "/connectors/v/status", status=404)
    c.step("no connectors left", "GET", "/connectors", status=200)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sluice_bin = os.path.abspath(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="sluice-rest-compat."))
    t0 = time.monotonic()
    jvm = sl = None
    ok = False
    try:
        with KafkaCluster(work_dir=work / "kafka") as kc:
            log(f"-- Kafka at {kc.bootstrap}")
            topics = {w: {"TOPIC_V": f"rc-{w}-v", "TOPIC_W": f"rc-{w}-w"}
                      for w in ("java", "sluice")}
            for t in topics.values():
                for name in t.values():
                    kc.create_topic(name, partitions=1, replication_factor=1)
            jvm = ConnectWorker("standalone", bootstrap=kc.bootstrap, work_dir=work / "jvm",
                                plugin_path=None, worker_config=CONVERTERS, stdout_log=False)
            jvm.start(timeout=180)
            log(f"-- JVM worker at {jvm.url}, REST up in {jvm.startup_seconds:.1f}s")
            (work / "sluice").mkdir()
            sl = Standalone(sluice_bin, kc.bootstrap, str(work / "sluice"),
                            extra={**CONVERTERS, "rest.advertised.host.name": "127.0.0.1"})
            log(f"-- Sluice at http://127.0.0.1:{sl.port}, REST up in {sl.startup_seconds:.1f}s")
            c = Compat(Peer("java", "127.0.0.1", jvm.port, topics["java"]),
                       Peer("sluice", "127.0.0.1", sl.port, topics["sluice"]))
            try:
                run(c)
            except AssertionError as e:
                log(f"FAIL: {e}")
                c.report()
                return 1
            ok = c.report()
            rc = sl.stop()
            sl = None
            if rc != 0:
                log(f"FAIL: sluice exited with {rc} after SIGTERM")
                ok = False
    finally:
        if sl is not None:
            sl.stop()
        if jvm is not None:
            jvm.stop()
        if os.environ.get("KEEP_WORK") == "1":
            log(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"rest_compat_test: {'ok' if ok else 'FAILED'} ({time.monotonic() - t0:.0f}s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
