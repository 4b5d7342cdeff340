#!/usr/bin/env bash
# Connect's error handling on a standalone worker against dev-kafka, with the scripted source
# emitting byte values and, at chosen seqnos, a Struct that ByteArrayConverter refuses:
#   errors.tolerance=none: the task FAILS at the first bad record; its trace names the stage
#                          (VALUE_CONVERTER) and the class; the records before it are in Kafka
#                          and their offsets committed, nothing after it is;
#   errors.tolerance=all:  the bad records are skipped and logged (errors.log.enable,
#                          errors.log.include.messages), every other record lands, the task stays
#                          RUNNING and the offsets reach the last record; the skip count is logged;
#   a transformation failure with tolerance none fails the task in stage TRANSFORMATION;
#   a task that cannot even start (a producer setting Sluice refuses) shows FAILED with the
#   reason, and a corrected config (PUT) starts it.
SLUICE=$1
source "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$SLUICE")/.." && pwd)
[ -f "$BUILD/test-plugins/good/sluice-test-scripted.so" ] || fail "build sluice-test-scripted first"

start_kafka
write_worker "$WORK/worker.properties"
echo "plugin.path=$BUILD/plugins-out,$BUILD/test-plugins/good" >>"$WORK/worker.properties"

scripted() { # scripted NAME TOPIC EXTRA...: a scripted source writing bytes, 30 records
  local name=$1 topic=$2; shift 2
  cat <<PROPS
name=$name
connector.class=sluice.test.ScriptedSourceConnector
tasks.max=1
topic=$topic
records=30
value.bytes=true
value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
PROPS
  for kv in "$@"; do echo "$kv"; done
}
scripted strict strict bad.at=5 >"$WORK/strict.properties"
scripted lenient lenient bad.at=5,17 errors.tolerance=all errors.log.enable=true \
  errors.log.include.messages=true >"$WORK/lenient.properties"
scripted xform xform transforms=pick transforms.pick.type=org.apache.kafka.connect.transforms.ExtractField\$Value \
  transforms.pick.field=seqno >"$WORK/xform.properties"
scripted unstartable unstartable producer.override.no.such.setting=1 >"$WORK/unstartable.properties"

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/strict.properties" "$WORK/lenient.properties" \
  "$WORK/xform.properties" "$WORK/unstartable.properties" 2>"$WORK/run.log" &
W=$!; PIDS+=("$W")
wait_for 20 grep -q 'REST API at' "$WORK/run.log" || fail "no REST API: $(tail -5 "$WORK/run.log")"
URL=$(grep -o 'REST API at http://[^ ]*' "$WORK/run.log" | head -1 | sed 's|REST API at ||; s|/$||')

task_state() { curl -sf "$URL/connectors/$1/status" | python3 -c 'import json,sys; t=json.load(sys.stdin)["tasks"]; print(t[0]["state"] if t else "NONE")'; }
task_trace() { curl -sf "$URL/connectors/$1/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tasks"][0].get("trace",""))'; }
is_state() { [ "$(task_state "$1")" = "$2" ]; }

log "tolerance none: the first bad record fails the task"
wait_for 30 is_state strict FAILED || fail "strict is $(task_state strict): $(tail -5 "$WORK/run.log")"
TRACE=$(task_trace strict)
echo "$TRACE" | grep -q "VALUE_CONVERTER" || fail "trace does not name the stage: $TRACE"
echo "$TRACE" | grep -q "org.apache.kafka.connect.converters.ByteArrayConverter" || fail "trace does not name the class: $TRACE"
echo "$TRACE" | grep -q "Tolerance exceeded in error handler" || fail "trace is not Connect's: $TRACE"
[ "$(count_records strict)" = 5 ] || fail "strict: $(count_records strict) records in Kafka, expected the 5 before the bad one"

log "tolerance all: bad records skipped, logged and counted"
wait_for 30 at_least lenient 28 || fail "lenient: only $(count_records lenient) records"
is_state lenient RUNNING || fail "lenient is $(task_state lenient)"
grep -q "Error encountered in task lenient-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.converters.ByteArrayConverter', where source record is = SourceRecord{" "$WORK/run.log" \
  || fail "no Connect-style error log line for the skipped record"
[ "$(grep -c "Error encountered in task lenient-0" "$WORK/run.log")" = 2 ] || fail "expected 2 logged errors"

log "a transformation failure fails the task in stage TRANSFORMATION"
wait_for 30 is_state xform FAILED || fail "xform is $(task_state xform)"
task_trace xform | grep -q "TRANSFORMATION" || fail "xform trace: $(task_trace xform)"
task_trace xform | grep -q "ExtractField\$Value" || fail "xform trace does not name the class: $(task_trace xform)"

log "a task that cannot start is FAILED with the reason; a corrected config starts it"
wait_for 30 is_state unstartable FAILED || fail "unstartable is $(task_state unstartable)"
task_trace unstartable | grep -q "no.such.setting is not a Kafka client setting" || fail "unstartable trace: $(task_trace unstartable)"
scripted unstartable unstartable | python3 -c 'import json, sys
print(json.dumps(dict(l.strip().split("=", 1) for l in sys.stdin if "=" in l)))' >"$WORK/fixed.json"
curl -sf -X PUT -H 'Content-Type: application/json' --data @"$WORK/fixed.json" "$URL/connectors/unstartable/config" >/dev/null \
  || fail "PUT of the corrected config failed"
wait_for 30 at_least unstartable 30 || fail "corrected unstartable wrote $(count_records unstartable) records, is $(task_state unstartable)"

kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/run.log")"
grep -q "lenient-0.*task stopped after 28 records delivered, 2 skipped" "$WORK/run.log" || fail "no skip count at stop: $(grep lenient-0 "$WORK/run.log" | tail -3)"
[ "$(count_records lenient)" = 28 ] || fail "lenient: $(count_records lenient) records, expected 28"
kcat -b "$BOOTSTRAP" -C -t lenient -o beginning -e -q -f '%k\n' >"$WORK/lenient.keys" 2>/dev/null
python3 - "$WORK/lenient.keys" <<'PY' || fail "lenient's records are not 0..29 without 5 and 17"
import sys
keys = [int(l.strip().strip('"')) for l in open(sys.argv[1]) if l.strip()]
assert sorted(keys) == [k for k in range(30) if k not in (5, 17)], keys
PY
# Offsets: lenient's reached 29 (skipped records count as done); strict's stopped at 4.
python3 - "$WORK/offsets" <<'PY' || fail "committed offsets are wrong"
import re, sys
data = open(sys.argv[1], "rb").read().decode("latin-1")
def last(name):
    found = re.findall(r'\["%s",\{[^}]*\}\].{0,16}?\{"position":(\d+)\}' % name, data, re.S)
    return int(found[-1]) if found else None
assert last("lenient") == 29, last("lenient")
assert last("strict") == 4, last("strict")
PY
echo "error_handling_test: ok"
