#!/usr/bin/env bash
# dev-kafka + sluice standalone + the verifiable source: records complete and in order per
# task; a graceful stop commits offsets; a restart continues exactly where it stopped.
SLUICE=$1
source "$(dirname "$0")/lib.sh"

start_kafka verifiable:1
write_worker "$WORK/worker.properties"
cat >"$WORK/source.properties" <<PROPS
name=verifiable
connector.class=org.apache.kafka.connect.tools.VerifiableSourceConnector
tasks.max=2
topic=verifiable
throughput=-1
max.messages=5000
PROPS

log "first run: 2 tasks x 5000 records"
"$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>"$WORK/run1.log" &
W=$!; PIDS+=("$W")
wait_for 60 at_least verifiable 10000 || fail "only $(count_records verifiable) records arrived"
kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/run1.log")"
grep -q "task stopped after" "$WORK/run1.log" || fail "no graceful task stop in the log"
dump_records verifiable "$WORK/run1.txt"
python3 "$(dirname "$0")/check_seqnos.py" "$WORK/run1.txt" --tasks 2 --per-task 5000 --ordered

log "second run resumes from the committed offsets: 5000 more per task, nothing repeated"
"$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>"$WORK/run2.log" &
W=$!; PIDS+=("$W")
wait_for 60 at_least verifiable 20000 || fail "only $(count_records verifiable) records after restart"
kill -INT "$W"
wait "$W" || fail "worker exited with $? after SIGINT"
dump_records verifiable "$WORK/run2.txt"
python3 "$(dirname "$0")/check_seqnos.py" "$WORK/run2.txt" --tasks 2 --per-task 10000 --ordered
echo "standalone_test: ok"
