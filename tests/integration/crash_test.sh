#!/usr/bin/env bash
# Crash safety: SIGKILL the worker at random moments, restart it each time, then stop it
# gracefully. Every sequence number must be in Kafka (a gap fails); duplicates can only come
# from the kills, and are counted. KILLS sets how many (default 3; the slow tier uses 12).
SLUICE=$1
KILLS=${KILLS:-3}
source "$(dirname "$0")/lib.sh"

start_kafka verifiable:4
FLUSH_MS=300 write_worker "$WORK/worker.properties"
cat >"$WORK/source.properties" <<PROPS
name=verifiable
connector.class=org.apache.kafka.connect.tools.VerifiableSourceConnector
tasks.max=2
topic=verifiable
throughput=3000
PROPS

for i in $(seq 1 "$KILLS"); do
  "$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>>"$WORK/worker.log" &
  W=$!; PIDS+=("$W")
  # A random moment between 0.2 and 2 s after start: during start-up, between flushes, mid-flush.
  delay=$(python3 -c "import random; print(round(random.uniform(0.2, 2.0), 2))")
  sleep "$delay"
  kill -KILL "$W" 2>/dev/null || fail "worker died before kill $i: $(tail -3 "$WORK/worker.log")"
  wait "$W" 2>/dev/null || true
  log "kill $i/$KILLS after ${delay}s: $(count_records verifiable) records in Kafka"
done

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>>"$WORK/worker.log" &
W=$!; PIDS+=("$W")
before=$(count_records verifiable)
wait_for 60 at_least verifiable $((before + 3000)) || fail "no progress after the last restart"
kill -TERM "$W"
wait "$W" || fail "graceful stop failed with $?"
dump_records verifiable "$WORK/records.txt"
python3 "$(dirname "$0")/check_seqnos.py" "$WORK/records.txt" --tasks 2 --per-task 0 | tee "$WORK/result"
echo "crash_test: ok after $KILLS kills ($(grep -o 'duplicates=[0-9]*' "$WORK/result"))"
