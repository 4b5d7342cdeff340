#!/usr/bin/env python3
"""Compares two Kafka topics record by record (e.g. what the JVM worker and Sluice wrote).

Each topic is read from the beginning to its current end with `kcat -C -e -J` (from one
bootstrap list, or one per topic). A record is compared as:

    partition   the partition it is in (pairing is per partition, so a record in another
                partition shows up as missing on one side and extra on the other)
    key         decoded as JSON when it parses (JsonConverter output), else the raw text;
                with --raw-keys the raw text always (byte for byte: what the partitioner
                hashes)
    value       likewise ("value" is kcat's "payload")
    headers     the list of [name, value] pairs, values decoded like the value
    timestamp   only with --timestamps (two runs never share wall-clock times)

Records are paired by partition and position (the i-th record of partition p in A with the
i-th of partition p in B), or with --by-key by position after a stable sort on the key within
each partition. --max-records N compares only the first N records of each partition (two
workers stopped by count never stop at the same record).

Fields allowed to differ: --ignore PATH (repeatable) and --preset NAME. A field's location is
written `value.payload.after.id`, `key.payload`, `headers.NAME`, `timestamp` (list items are
numbered: `value.schema.fields.3.field`); `*` matches one whole segment. A PATH matches a
location when the location equals, or lies under, any of: PATH, value.PATH, key.PATH,
value.payload.PATH, key.payload.PATH, and, when PATH starts with `payload.`, the same forms
without that word (so `payload.ts_ms` also covers schemaless JSON, and `time_ms` covers both).

Presets (PRESETS below):
    verifiable  time_ms: the wall-clock time VerifiableSourceTask read when it made the record.
    debezium    when the change was captured and processed, not what it was:
                payload.ts_ms/ts_us/ts_ns (the connector's processing time),
                payload.source.ts_ms/ts_us/ts_ns (the database's commit time, which differs
                when the two workers see different runs of the same changes) and
                payload.source.version (the connector's version string).

Topic names: a string equal to topic A's name in an A record matches topic B's name in the
paired B record (VerifiableSourceTask writes its topic into each value); --no-topic-names turns
this off.

Output: a unified-diff style report of the first --show N differing records (default 10), then
a summary (records compared, equal, differing, only in A or B, per partition; the differing
field locations with counts). Exit status 0 when the topics are equal (under the rules above),
1 when they differ, 2 on errors.

As a module (standard library only):

    from topic_diff import diff_topics, read_topic
    result = diff_topics(bootstrap, "jvm", "sluice", preset="verifiable", max_records=5000)
    result.equal; print(result.report(show=10))

CLI:

    topic_diff.py -b BOOTSTRAP [--bootstrap-b BOOTSTRAP2] TOPIC_A TOPIC_B
                  [--ignore PATH ...] [--preset verifiable|debezium] [--by-key]
                  [--max-records N] [--show N] [--timestamps] [--raw-keys] [--no-topic-names]
                  [-X KCAT_PROPERTY=VALUE ...]
"""
import argparse
import collections
import difflib
import fnmatch
import json
import subprocess
import sys

PRESETS = {
    "verifiable": [
        "time_ms",                  # System.currentTimeMillis() at poll
    ],
    "debezium": [
        "payload.ts_ms",            # when the connector processed the event
        "payload.ts_us",
        "payload.ts_ns",
        "payload.source.ts_ms",     # when the change was made in the database
        "payload.source.ts_us",
        "payload.source.ts_ns",
        "payload.source.version",   # the connector's version string
    ],
}

_MISSING = object()
_IGNORED = "<ignored>"


class DiffError(RuntimeError):
    pass


# ---- reading

def _decode(text):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def read_topic(bootstrap, topic, kcat_args=(), timeout=600):
    """Every record of `topic` now, as {partition: [record dict]} in offset order; a record
    dict has partition, offset, key, value, headers (list of [name, value]) and timestamp."""
    cmd = ["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q",
           *kcat_args]
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DiffError(f"kcat did not finish reading {topic} within {timeout}s")
    if r.returncode != 0:
        raise DiffError(f"kcat -C {topic} exited with {r.returncode}: "
                        f"{r.stderr.decode(errors='replace').strip()[-1000:]}")
    parts = collections.defaultdict(list)
    for line in r.stdout.decode("utf-8", errors="surrogateescape").splitlines():
        if not line.startswith("{"):
            continue
        m = json.loads(line)
        hdrs = m.get("headers") or []
        rec = {
            "partition": m["partition"],
            "offset": m["offset"],
            "key": _decode(m.get("key")),
            "key_raw": m.get("key"),
            "value": _decode(m.get("payload")),
            "headers": [[hdrs[i], _decode(hdrs[i + 1])] for i in range(0, len(hdrs) - 1, 2)],
            "timestamp": m.get("ts"),
        }
        parts[rec["partition"]].append(rec)
    for recs in parts.values():
        recs.sort(key=lambda x: x["offset"])
    return dict(parts)


def end_offsets(bootstrap, topic, kcat_args=(), timeout=30):
    """{partition: end offset} now (`kcat -Q`). While records keep arriving, `kcat -C -e`
    may never see the end of a partition; the end offsets are the quick way to count (on a
    topic written without transactions and never truncated, the sum is the record count)."""
    md = subprocess.run(["kcat", "-b", bootstrap, "-L", "-J", "-t", topic, *kcat_args],
                        capture_output=True, text=True, timeout=timeout,
                        stdin=subprocess.DEVNULL)
    try:
        parts = [p["partition"] for p in json.loads(md.stdout)["topics"][0]["partitions"]]
    except (ValueError, KeyError, IndexError):
        return {}
    if not parts:
        return {}
    q = ["kcat", "-b", bootstrap, "-Q", *kcat_args]
    for p in parts:
        q += ["-t", f"{topic}:{p}:-1"]
    r = subprocess.run(q, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    out = {}
    for line in r.stdout.splitlines():      # "topic [p] offset N"
        w = line.split()
        if len(w) >= 4 and w[-2] == "offset" and w[-3].startswith("["):
            out[int(w[-3].strip("[]"))] = int(w[-1])
    return out


def count_records(bootstrap, topic, kcat_args=()):
    """The sum of the end offsets (see end_offsets)."""
    return sum(end_offsets(bootstrap, topic, kcat_args).values())


# ---- ignore rules

class IgnoreRules:
    def __init__(self, paths=(), presets=()):
        self.paths = []
        for name in presets:
            if name not in PRESETS:
                raise DiffError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
            self.paths += PRESETS[name]
        self.paths += list(paths)
        self._forms = []          # (path, segments)
        for p in self.paths:
            bases = [p]
            if p.startswith("payload."):
                bases.append(p[len("payload."):])
            for b in bases:
                for prefix in ("", "value.", "key.", "value.payload.", "key.payload."):
                    self._forms.append((p, (prefix + b).split(".")))
        self.used = collections.Counter()

    def match(self, location):
        """The ignore path that covers `location` (a list of segments), or None."""
        for path, form in self._forms:
            if len(form) <= len(location) and all(
                    fnmatch.fnmatchcase(seg, pat) for seg, pat in zip(location, form)):
                return path
        return None


# ---- comparing

def _walk_diff(a, b, loc, rules, subst, out):
    """Appends the differing locations (lists of segments) between a and b to out."""
    ignored = rules.match(loc) if loc else None
    if ignored:
        rules.used[ignored] += 1
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            _walk_diff(a.get(k, _MISSING), b.get(k, _MISSING), loc + [str(k)], rules, subst, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            _walk_diff(a[i] if i < len(a) else _MISSING, b[i] if i < len(b) else _MISSING,
                       loc + [str(i)], rules, subst, out)
        return
    if isinstance(a, str) and a in subst:
        a = subst[a]
    same = type(a) is type(b) and a == b     # 1, 1.0 and true all differ, as in JSON text
    if not same:
        out.append(loc)


def _record_view(rec, compare_ts, raw_keys=False):
    v = {"partition": rec["partition"], "key": rec.get("key_raw") if raw_keys else rec["key"],
         "value": rec["value"],
         "headers": {h[0]: h[1] for h in rec["headers"]}}
    if len(v["headers"]) != len(rec["headers"]):      # repeated names: keep them all
        v["headers"] = rec["headers"]
    if compare_ts:
        v["timestamp"] = rec["timestamp"]
    return v


def _masked(view, rules, subst, loc=()):
    """A copy of `view` with every ignored field replaced by "<ignored>" (and the topic name
    substituted, so that it does not show as a difference)."""
    if loc and rules.match(list(loc)):
        return _IGNORED
    if isinstance(view, dict):
        return {k: _masked(v, rules, subst, loc + (str(k),)) for k, v in view.items()}
    if isinstance(view, list):
        return [_masked(v, rules, subst, loc + (str(i),)) for i, v in enumerate(view)]
    if isinstance(view, str):
        return subst.get(view, view)
    return view


class Difference:
    def __init__(self, partition, index, a, b, locations):
        self.partition = partition
        self.index = index
        self.a = a            # record dict or None (only in B)
        self.b = b
        self.locations = locations


class DiffResult:
    def __init__(self, name_a, name_b, rules, compare_ts, subst, raw_keys=False):
        self.raw_keys = raw_keys
        self.subst = subst        # A's strings shown as B's (the topic names)
        self.name_a = name_a
        self.name_b = name_b
        self.rules = rules
        self.compare_ts = compare_ts
        self.differences = []
        self.per_partition = {}   # p -> dict(compared, equal, differing, only_a, only_b)
        self.location_counts = collections.Counter()

    @property
    def equal(self):
        return not self.differences

    def summary(self):
        t = collections.Counter()
        for c in self.per_partition.values():
            t.update(c)
        lines = [f"summary: {t['compared']} pairs compared, {t['equal']} equal, "
                 f"{t['differing']} differing, {t['only_a']} only in {self.name_a}, "
                 f"{t['only_b']} only in {self.name_b}"]
        for p in sorted(self.per_partition):
            c = self.per_partition[p]
            lines.append(f"  partition {p}: {self.name_a} {c['len_a']} records, {self.name_b} "
                         f"{c['len_b']}; {c['equal']} equal, {c['differing']} differing, "
                         f"{c['only_a']} only in {self.name_a}, {c['only_b']} only in "
                         f"{self.name_b}")
        if self.location_counts:
            lines.append("  differing fields (records):")
            for loc, n in self.location_counts.most_common(20):
                lines.append(f"    {loc}: {n}")
        if self.rules.paths:
            used = ", ".join(f"{p} ({self.rules.used[p]})" for p in self.rules.paths)
            lines.append(f"  ignored: {used}")
        lines.append("  result: " + ("EQUAL" if self.equal else "DIFFERENT"))
        return "\n".join(lines)

    def report(self, show=10):
        out = [f"--- {self.name_a}", f"+++ {self.name_b}"]
        for d in self.differences[:show]:
            oa = d.a["offset"] if d.a else "-"
            ob = d.b["offset"] if d.b else "-"
            out.append(f"@@ partition {d.partition}, record #{d.index} (offset {oa} / {ob}) @@")
            if d.locations:
                out.append("# differs: " + ", ".join(d.locations[:8])
                           + (" ..." if len(d.locations) > 8 else ""))
            ta = _pretty(d.a, self.rules, self.compare_ts, self.subst, self.raw_keys)
            tb = _pretty(d.b, self.rules, self.compare_ts, {}, self.raw_keys)
            body = list(difflib.unified_diff(ta, tb, lineterm="", n=2))[2:]
            out += [ln for ln in body if not ln.startswith("@@")] or ["  (identical text)"]
        if len(self.differences) > show:
            out.append(f"... {len(self.differences) - show} more differing records")
        out.append(self.summary())
        return "\n".join(out)


def _pretty(rec, rules, compare_ts, subst, raw_keys):
    if rec is None:
        return []
    view = _masked(_record_view(rec, compare_ts, raw_keys), rules, subst)
    return json.dumps(view, indent=1, sort_keys=False, ensure_ascii=False).splitlines()


def compare(parts_a, parts_b, name_a="A", name_b="B", ignore=(), preset=None, by_key=False,
            max_records=None, compare_timestamps=False, topic_names=None, raw_keys=False):
    """Compares two {partition: [record]} maps (read_topic's form); -> DiffResult.
    topic_names: (name in A, name in B) to treat as equal strings, or None.
    raw_keys: compare keys as they are in Kafka (the text, byte for byte), not decoded."""
    presets = [preset] if isinstance(preset, str) else list(preset or [])
    rules = IgnoreRules(ignore, presets)
    subst = {topic_names[0]: topic_names[1]} if topic_names else {}
    res = DiffResult(name_a, name_b, rules, compare_timestamps, subst, raw_keys)
    for p in sorted(set(parts_a) | set(parts_b)):
        ra = list(parts_a.get(p, []))
        rb = list(parts_b.get(p, []))
        if by_key:
            ra.sort(key=lambda r: json.dumps(r["key"], sort_keys=True))
            rb.sort(key=lambda r: json.dumps(r["key"], sort_keys=True))
        if max_records is not None:
            ra, rb = ra[:max_records], rb[:max_records]
        c = collections.Counter(len_a=len(ra), len_b=len(rb))
        for i in range(max(len(ra), len(rb))):
            a = ra[i] if i < len(ra) else None
            b = rb[i] if i < len(rb) else None
            if a is None or b is None:
                c["only_a" if b is None else "only_b"] += 1
                res.differences.append(Difference(p, i, a, b, []))
                continue
            c["compared"] += 1
            locs = []
            _walk_diff(_record_view(a, compare_timestamps, raw_keys),
                       _record_view(b, compare_timestamps, raw_keys), [], rules, subst, locs)
            if locs:
                c["differing"] += 1
                names = [".".join(x) for x in locs]
                res.location_counts.update(set(names))
                res.differences.append(Difference(p, i, a, b, names))
            else:
                c["equal"] += 1
        res.per_partition[p] = c
    return res


def diff_topics(bootstrap, topic_a, topic_b, bootstrap_b=None, kcat_args=(), **kw):
    """Reads both topics and compares them (keyword arguments as compare()); -> DiffResult."""
    kw.setdefault("topic_names", (topic_a, topic_b))
    pa = read_topic(bootstrap, topic_a, kcat_args)
    pb = read_topic(bootstrap_b or bootstrap, topic_b, kcat_args)
    return compare(pa, pb, name_a=topic_a, name_b=topic_b, **kw)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Compare two topics record by record (see the module docstring).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="presets:\n" + "\n".join(f"  {k}: {', '.join(v)}" for k, v in PRESETS.items()))
    ap.add_argument("topic_a")
    ap.add_argument("topic_b")
    ap.add_argument("-b", "--bootstrap", required=True, help="bootstrap servers (topic A's)")
    ap.add_argument("--bootstrap-b", help="topic B's bootstrap servers (default: the same)")
    ap.add_argument("--ignore", action="append", default=[], metavar="PATH",
                    help="a field allowed to differ (dotted path; repeatable)")
    ap.add_argument("--preset", action="append", default=[], choices=sorted(PRESETS))
    ap.add_argument("--by-key", action="store_true",
                    help="pair records by key order within each partition")
    ap.add_argument("--max-records", type=int, help="compare the first N of each partition")
    ap.add_argument("--show", type=int, default=10, help="differing records to print")
    ap.add_argument("--timestamps", action="store_true", help="compare record timestamps too")
    ap.add_argument("--raw-keys", action="store_true",
                    help="compare keys byte for byte instead of as decoded JSON")
    ap.add_argument("--no-topic-names", action="store_true",
                    help="do not treat the two topic names as equal strings")
    ap.add_argument("-X", action="append", default=[], metavar="PROP=VALUE",
                    help="a librdkafka property for kcat (repeatable)")
    args = ap.parse_args(argv)
    kcat_args = sum((["-X", x] for x in args.X), [])
    try:
        res = diff_topics(args.bootstrap, args.topic_a, args.topic_b,
                          bootstrap_b=args.bootstrap_b, kcat_args=kcat_args,
                          ignore=args.ignore, preset=args.preset, by_key=args.by_key,
                          max_records=args.max_records, compare_timestamps=args.timestamps,
                          raw_keys=args.raw_keys,
                          topic_names=None if args.no_topic_names else
                          (args.topic_a, args.topic_b))
    except DiffError as e:
        print(f"topic_diff: {e}", file=sys.stderr)
        return 2
    print(res.report(show=args.show))
    return 0 if res.equal else 1


if __name__ == "__main__":
    sys.exit(main())
