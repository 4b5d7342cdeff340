#!/usr/bin/env bash
# dev-kafka + sluice standalone + two verifiable sources with a transformation chain:
#   RegexRouter   verifiable-(.*) -> routed-$1
#   InsertField   origin=sluice, t=<topic after routing>
#   Filter        with predicates: connector b's records are dropped (TopicNameMatches
#                 routed-b), connector a's with negate on a pattern that never matches are kept
# Exactly connector a's records land, in routed-a, each with the inserted fields; nothing lands in
# verifiable-* or routed-b; connector b's offsets still advance (filtered records are committed).
# Then: validation reports a bad regex and an unknown predicate alias on their keys.
SLUICE=$1
source "$(dirname "$0")/lib.sh"

N=2000
start_kafka
write_worker "$WORK/worker.properties"
chain() { # chain NAME TOPIC: a connector config with the chain
  cat <<PROPS
name=$1
connector.class=org.apache.kafka.connect.tools.VerifiableSourceConnector
tasks.max=1
topic=$2
throughput=-1
complete.record.data=true
max.messages=$N
transforms=route,stamp,dropB,dropNotA
transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
transforms.route.regex=verifiable-(.*)
transforms.route.replacement=routed-\$1
transforms.stamp.type=org.apache.kafka.connect.transforms.InsertField\$Value
transforms.stamp.static.field=origin
transforms.stamp.static.value=sluice
transforms.stamp.topic.field=t
transforms.dropB.type=org.apache.kafka.connect.transforms.Filter
transforms.dropB.predicate=isB
transforms.dropNotA.type=org.apache.kafka.connect.transforms.Filter
transforms.dropNotA.predicate=isA
transforms.dropNotA.negate=true
predicates=isB,isA
predicates.isB.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
predicates.isB.pattern=routed-b
predicates.isA.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
predicates.isA.pattern=routed-a|routed-c
PROPS
}
chain a verifiable-a >"$WORK/a.properties"
chain b verifiable-b >"$WORK/b.properties"

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/a.properties" "$WORK/b.properties" 2>"$WORK/run.log" &
W=$!; PIDS+=("$W")
wait_for 60 at_least routed-a $N || fail "only $(count_records routed-a) records in routed-a: $(tail -5 "$WORK/run.log")"
# b's offsets reach the end although none of its records went anywhere.
offset_of_b() { grep -q '"b",{"id":0}' "$WORK/offsets" 2>/dev/null && python3 - "$WORK/offsets" $N <<'PY'
import sys
data = open(sys.argv[1], "rb").read().decode("latin-1")
sys.exit(0 if ('"seqno":%d' % (int(sys.argv[2]) - 1)) in data else 1)
PY
}
wait_for 30 offset_of_b || fail "connector b's offsets did not advance to seqno $((N - 1))"

PORT=$(grep -o 'REST API at http://[^ ]*' "$WORK/run.log" | head -1 | sed 's|.*http://||; s|/$||')
[ -n "$PORT" ] || fail "no REST address in the log"
# Validation: a bad regex, an unknown predicate alias, an unknown class, each on its key.
python3 - "$PORT" <<'PY' || fail "validation did not report the chain's errors"
import json, sys, urllib.request
cfg = {"connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector", "name": "v", "topic": "t",
       "throughput": "1", "transforms": "route,bad,nope", "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
       "transforms.route.regex": "(", "transforms.route.replacement": "x",
       "transforms.bad.type": "org.apache.kafka.connect.transforms.Filter", "transforms.bad.predicate": "missing",
       "transforms.nope.type": "com.example.NoSuchTransform"}
req = urllib.request.Request(f"http://{sys.argv[1]}/connector-plugins/VerifiableSourceConnector/config/validate",
                             data=json.dumps(cfg).encode(), method="PUT", headers={"Content-Type": "application/json"})
body = json.load(urllib.request.urlopen(req))
errors = {c["value"]["name"]: c["value"]["errors"] for c in body["configs"] if c["value"]["errors"]}
print(json.dumps(errors, indent=1), file=sys.stderr)
assert body["error_count"] == 3, body["error_count"]
assert any("Invalid regex" in e for e in errors["transforms.route.regex"])
assert errors["transforms.bad.predicate"], errors
assert any("could not be found" in e for e in errors["transforms.nope.type"])
# The transformations are listed with their ConfigDefs.
plugins = json.load(urllib.request.urlopen(f"http://{sys.argv[1]}/connector-plugins?connectorsOnly=false"))
classes = {p["class"] for p in plugins}
assert "io.debezium.transforms.ExtractNewRecordState" in classes and \
       "org.apache.kafka.connect.transforms.predicates.TopicNameMatches" in classes, classes
keys = json.load(urllib.request.urlopen(f"http://{sys.argv[1]}/connector-plugins/org.apache.kafka.connect.transforms.RegexRouter/config"))
assert [k["name"] for k in keys] == ["regex", "replacement"], keys
PY

kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/run.log")"

kcat -b "$BOOTSTRAP" -L -J >"$WORK/meta.json" 2>/dev/null
python3 - "$WORK/meta.json" <<'PY' || fail "unexpected topics"
import json, sys
topics = {t["topic"] for t in json.load(open(sys.argv[1]))["topics"]}
bad = {t for t in topics if t.startswith("verifiable-") or t == "routed-b"}
assert not bad, f"records landed in {bad}"
assert "routed-a" in topics, topics
PY
[ "$(count_records routed-a)" = "$N" ] || fail "routed-a holds $(count_records routed-a) records, expected $N"
kcat -b "$BOOTSTRAP" -C -t routed-a -o beginning -e -q -f '%s\n' >"$WORK/a.txt" 2>/dev/null
python3 - "$WORK/a.txt" $N <<'PY' || fail "routed-a's records are not the transformed ones"
import json, sys
values = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
assert [v["seqno"] for v in values] == list(range(n)), "seqnos out of order or missing"
for v in values:
    assert v["origin"] == "sluice" and v["t"] == "routed-a" and v["topic"] == "verifiable-a", v
PY
echo "transforms_test: ok"
