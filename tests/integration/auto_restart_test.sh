#!/usr/bin/env bash
# Sluice's opt-in task auto-restart (sluice.task.auto.restart.*) on a standalone worker against
# dev-kafka, with the scripted source failing on its first poll a set number of times across
# restarts (the count is kept in a file):
#   flaky:  fails twice, then recovers: two restarts with backoff 200 then 400 ms, each in the
#           log; the task ends RUNNING and every record lands exactly once;
#   broken: always fails: restarted max.attempts=3 times, then left FAILED with each attempt and
#           the giving up in its status trace.
SLUICE=$1
source "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$SLUICE")/.." && pwd)
[ -f "$BUILD/test-plugins/good/sluice-test-scripted.so" ] || fail "build sluice-test-scripted first"

start_kafka
write_worker "$WORK/worker.properties"
cat >>"$WORK/worker.properties" <<PROPS
plugin.path=$BUILD/plugins-out,$BUILD/test-plugins/good
sluice.task.auto.restart.enable=true
sluice.task.auto.restart.backoff.initial.ms=200
sluice.task.auto.restart.backoff.max.ms=1000
sluice.task.auto.restart.max.attempts=3
PROPS
scripted() { # scripted NAME TIMES
  printf '%s\n' "name=$1" "connector.class=sluice.test.ScriptedSourceConnector" "tasks.max=1" "topic=$1" \
    "records=50" "fail.times=$2" "fail.times.file=$WORK/$1.failures"
}
scripted flaky 2 >"$WORK/flaky.properties"
scripted broken 1000 >"$WORK/broken.properties"

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/flaky.properties" "$WORK/broken.properties" 2>"$WORK/run.log" &
W=$!; PIDS+=("$W")
wait_for 20 grep -q 'REST API at' "$WORK/run.log" || fail "no REST API: $(tail -5 "$WORK/run.log")"
URL=$(grep -o 'REST API at http://[^ ]*' "$WORK/run.log" | head -1 | sed 's|REST API at ||; s|/$||')
task_field() { curl -sf "$URL/connectors/$1/status" | python3 -c "import json,sys; print(json.load(sys.stdin)['tasks'][0].get('$2',''))"; }
is_state() { [ "$(task_field "$1" state)" = "$2" ]; }

log "flaky: fails twice, restarted twice, then runs"
wait_for 30 at_least flaky 50 || fail "flaky: $(count_records flaky) records: $(grep flaky "$WORK/run.log" | tail -5)"
is_state flaky RUNNING || fail "flaky is $(task_field flaky state)"
[ "$(cat "$WORK/flaky.failures")" = 2 ] || fail "flaky failed $(cat "$WORK/flaky.failures") times, expected 2"
grep -q "flaky-0\] \[sluice.task.auto.restart\] task FAILED (.*scripted failure 1 of 2.*); restart 1 of 3 in 200 ms" "$WORK/run.log" \
  || fail "no log line for the first failure"
grep -q "flaky-0\] \[sluice.task.auto.restart\] task FAILED (.*scripted failure 2 of 2.*); restart 2 of 3 in 400 ms" "$WORK/run.log" \
  || fail "no log line for the second failure (backoff doubled)"
[ "$(grep -c "flaky-0\] \[sluice.task.auto.restart\] restarting the task" "$WORK/run.log")" = 2 ] || fail "expected 2 restarts"

log "broken: restarted 3 times, then left FAILED"
gave_up() { task_field broken trace | grep -q "gave up after 3 restarts"; }
wait_for 30 gave_up || fail "broken did not give up: $(task_field broken trace)"
TRACE=$(task_field broken trace)
for n in 1 2 3; do
  echo "$TRACE" | grep -q "\[sluice.task.auto.restart\] restart $n after: .*scripted failure $n of 1000" \
    || fail "the trace does not record restart $n: $TRACE"
done
is_state broken FAILED || fail "broken is $(task_field broken state)"
[ "$(cat "$WORK/broken.failures")" = 4 ] || fail "broken failed $(cat "$WORK/broken.failures") times, expected 4"
grep -q "broken-0\] \[sluice.task.auto.restart\] task FAILED again; gave up after 3 restarts" "$WORK/run.log" \
  || fail "no log line for giving up"

log "a manual restart starts counting afresh"
curl -sf -X POST "$URL/connectors/broken/tasks/0/restart" || fail "restart request failed"
two_more() { [ "$(cat "$WORK/broken.failures")" -ge 6 ]; }
wait_for 30 two_more || fail "no auto-restart after the manual restart: $(cat "$WORK/broken.failures") failures"

kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/run.log")"
dump_records flaky "$WORK/flaky.txt"
python3 - "$WORK/flaky.txt" <<'PY' || fail "flaky's records are not 0..49 exactly once"
import sys
keys = sorted(int(l.split()[1].strip('"')) for l in open(sys.argv[1]) if l.strip())
assert keys == list(range(50)), keys
PY
echo "auto_restart_test: ok"
