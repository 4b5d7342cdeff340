#!/usr/bin/env python3
"""Checks the real-Kafka harness (tests/support/kafka_cluster.py) itself; the slow tier.

1. Three KRaft nodes: a replicated topic made with TopicCommand, records produced (acks=all)
   and consumed with kcat; one node SIGKILLed (the leader of partition 0), more records
   produced while it is down, the node restarted: it is back in the metadata and in every
   partition's ISR, and every record is there exactly once.
2. One node with SASL_SSL: kcat lists metadata with SCRAM-SHA-512 (every user), SCRAM-SHA-256
   and PLAIN, a wrong password fails, records go through SASL_SSL, and a Java client
   (TopicCommand) connects with the properties the harness hands out.
3. The command line: the bootstrap servers on the first line, SIGINT stops the cluster and
   removes its folder.

Prints what it checked; exits non-zero at the first failure.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(HERE.parent / "support"))
from kafka_cluster import KafkaCluster  # noqa: E402

CLI = HERE.parent / "support" / "kafka_cluster.py"


class Failed(Exception):
    pass


def ok(what):
    print(f"ok: {what}", flush=True)


def check(cond, what):
    if not cond:
        raise Failed(what)
    ok(what)


def wait_until(seconds, cond, what):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() >= deadline:
            raise Failed(f"timed out after {seconds}s: {what}")
        time.sleep(0.25)
    ok(what)


def kcat(*args, data=None, timeout=120):
    r = subprocess.run(["kcat", *args], input=data, capture_output=True, text=True,
                       timeout=timeout)
    return r


def produce(boot_args, topic, values):
    r = kcat(*boot_args, "-P", "-t", topic, "-X", "acks=all",
             data="".join(v + "\n" for v in values))
    if r.returncode != 0:
        raise Failed(f"kcat -P {topic} exited {r.returncode}: {r.stderr[-500:]}")


def consume(boot_args, topic):
    """Every record of the topic as (partition, offset, value)."""
    r = kcat(*boot_args, "-C", "-t", topic, "-o", "beginning", "-e", "-q",
             "-f", "%p %o %s\n")
    if r.returncode != 0:
        raise Failed(f"kcat -C {topic} exited {r.returncode}: {r.stderr[-500:]}")
    return [tuple(line.split(" ", 2)) for line in r.stdout.splitlines()]


def check_exactly(records, expected, what):
    values = [v for _, _, v in records]
    missing = set(expected) - set(values)
    dups = len(values) - len(set(values))
    check(not missing and dups == 0 and len(values) == len(expected),
          f"{what}: {len(values)} records, {len(missing)} missing, {dups} duplicated")


def partitions(kc, topic, node=None):
    md = kc.metadata(topic=topic, node=node)
    if not md or not md.get("topics"):
        return []
    return md["topics"][0].get("partitions", [])


def three_nodes():
    print("== 3 nodes: produce, SIGKILL a node, restart it", flush=True)
    t0 = time.monotonic()
    with KafkaCluster(nodes=3) as kc:
        ok(f"3 nodes up in {time.monotonic() - t0:.1f}s at {kc.bootstrap}")
        check(kc.broker_ids() == [0, 1, 2], f"brokers in the metadata: {kc.broker_ids()}")
        kc.create_topic("replicated", partitions=3, replication_factor=3,
                        config={"min.insync.replicas": 2})
        parts = partitions(kc, "replicated")
        check(len(parts) == 3 and all(len(p["replicas"]) == 3 for p in parts),
              "topic 'replicated' made by TopicCommand: 3 partitions x 3 replicas")
        boot = ["-b", kc.bootstrap]
        batch1 = [f"a-{i}" for i in range(300)]
        produce(boot, "replicated", batch1)
        check_exactly(consume(boot, "replicated"), batch1, "before the kill")

        victim = next(p["leader"] for p in parts if p["partition"] == 0)
        pid = kc.pid(victim)
        t = time.monotonic()
        kc.kill(victim)
        check(not kc.alive(victim), f"node {victim} (leader of partition 0, pid {pid}) SIGKILLed")
        wait_until(60, lambda: victim not in kc.broker_ids(),
                   f"node {victim} dropped from the metadata (broker session timeout)")
        wait_until(60, lambda: all(p["leader"] != victim and p["leader"] >= 0
                                   for p in partitions(kc, "replicated")),
                   f"new leaders elected, {time.monotonic() - t:.1f}s after the kill")
        batch2 = [f"b-{i}" for i in range(300)]
        produce(boot, "replicated", batch2)
        check_exactly(consume(boot, "replicated"), batch1 + batch2, "with a node down")

        t = time.monotonic()
        kc.restart(victim)
        ok(f"node {victim} restarted and serving in {time.monotonic() - t:.1f}s")
        wait_until(30, lambda: kc.broker_ids(node=victim) == [0, 1, 2],
                   f"node {victim} itself lists brokers [0, 1, 2]")

        def in_every_isr():
            ps = partitions(kc, "replicated")
            return len(ps) == 3 and all(victim in {r["id"] for r in p["isrs"]} for p in ps)
        wait_until(90, in_every_isr, f"node {victim} back in the ISR of every partition")
        batch3 = [f"c-{i}" for i in range(300)]
        produce(["-b", kc.nodes[victim].address], "replicated", batch3)
        check_exactly(consume(["-b", kc.nodes[victim].address], "replicated"),
                      batch1 + batch2 + batch3, f"after the restart, read through node {victim}")
        work = kc.work_dir
        pids = [kc.pid(i) for i in range(3)]
        t = time.monotonic()
    ok(f"stopped in {time.monotonic() - t:.1f}s")
    if os.environ.get("KEEP_WORK") != "1":
        check(not work.exists(), f"work dir removed ({work})")
    check(not any(p and Path(f"/proc/{p}").exists() for p in pids), "no JVM left running")


def sasl_node():
    print("== 1 node with SASL_SSL", flush=True)
    t0 = time.monotonic()
    with KafkaCluster(nodes=1, sasl=True) as kc:
        ok(f"1 SASL node up in {time.monotonic() - t0:.1f}s: {kc.sasl_bootstrap}, "
           f"CA {kc.ca_pem_path}, users {sorted(kc.users)}")
        for user in kc.users:
            r = kcat(*kc.kcat_sasl_args(user, "SCRAM-SHA-512"), "-L", "-m", "10")
            check(r.returncode == 0 and "broker 0 at" in r.stdout,
                  f"kcat -L with SASL_SSL SCRAM-SHA-512 as {user}")
        for mech in ("SCRAM-SHA-256", "PLAIN"):
            r = kcat(*kc.kcat_sasl_args(None, mech), "-L", "-m", "10")
            check(r.returncode == 0, f"kcat -L with SASL_SSL {mech}")
        bad = kc.kcat_sasl_args(None, "SCRAM-SHA-512")
        bad[bad.index(next(a for a in bad if a.startswith("sasl.password=")))] = \
            "sasl.password=wrong"
        r = kcat(*bad, "-L", "-m", "5")
        check(r.returncode != 0 and "invalid credentials" in r.stderr,
              "a wrong password is refused (Authentication failed)")
        values = [f"s-{i}" for i in range(100)]
        produce(kc.kcat_sasl_args(), "secure", values)
        check_exactly(consume(kc.kcat_sasl_args(), "secure"), values, "records over SASL_SSL")
        props = Path(kc.work_dir) / "client.properties"
        props.write_text("".join(f"{k}={v}\n" for k, v in kc.sasl_client_config().items()
                                 if k != "bootstrap.servers"))
        r = kc.tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
                    kc.sasl_bootstrap, "--command-config", str(props), "--list")
        check("secure" in r.stdout.split(), "a Java client (TopicCommand --list) over SASL_SSL "
              "with sasl_client_config() (PEM truststore)")


def command_line():
    print("== the command line", flush=True)
    work = Path(tempfile.mkdtemp(prefix="sluice-kc-cli.")) / "kafka"
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, str(CLI), "run", "--work-dir", str(work)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = p.stdout.readline().strip()
        check(first.startswith("127.0.0.1:"), f"first line is the bootstrap: {first!r} "
                                              f"(after {time.monotonic() - t0:.1f}s)")
        r = kcat("-b", first, "-L", "-m", "10")
        check(r.returncode == 0, "the cluster answers")
        p.send_signal(signal.SIGINT)
        rc = p.wait(60)
        check(rc == 0, f"SIGINT: exit status {rc}")
        if os.environ.get("KEEP_WORK") != "1":
            check(not any(work.glob("node-*")), "its files are removed")
        err = p.stderr.read()
        check("Exception" not in err and "INFO" not in err, "no Java output on the terminal")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        if os.environ.get("KEEP_WORK") != "1":
            subprocess.run(["rm", "-rf", str(work.parent)])


def main():
    t0 = time.monotonic()
    try:
        three_nodes()
        sasl_node()
        command_line()
    except Exception as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    print(f"real_kafka_cluster_test: ok ({time.monotonic() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
