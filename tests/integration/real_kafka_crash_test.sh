#!/usr/bin/env bash
# Crash safety against a real Kafka (one KRaft node from tests/support/kafka_cluster.py): as
# crash_test.sh, SIGKILL the worker at random moments (KILLS times, default 10), restarting it
# each time, then stop it gracefully. Every sequence number of both tasks must be in Kafka (a
# gap fails); duplicates can only come from the kills, and are counted.
SLUICE=$1
KILLS=${KILLS:-10}
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}

log "starting a 1-node KRaft Kafka"
python3 "$REPO/tests/support/kafka_cluster.py" run --work-dir "$WORK/kafka" \
  >"$WORK/kafka.out" 2>"$WORK/kafka.err" </dev/null &
KAFKA_PID=$!
PIDS+=("$KAFKA_PID")
stop_kafka() {  # SIGTERM: the harness stops the JVM and removes its files
  if kill -0 "$KAFKA_PID" 2>/dev/null; then
    kill -TERM "$KAFKA_PID"
    wait "$KAFKA_PID" 2>/dev/null || true
  fi
}
trap 'stop_kafka; cleanup' EXIT
kafka_up_or_gone() { test -s "$WORK/kafka.out" || ! kill -0 "$KAFKA_PID"; }
wait_for 240 kafka_up_or_gone || fail "Kafka did not start: $(tail -5 "$WORK/kafka.err")"
test -s "$WORK/kafka.out" || fail "Kafka did not start: $(tail -20 "$WORK/kafka.err")"
BOOTSTRAP=$(head -n1 "$WORK/kafka.out")
log "Kafka at $BOOTSTRAP"

java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CACHE/kafka/*" \
  org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
  --topic verifiable --partitions 4 --replication-factor 1 >"$WORK/topic.log" 2>&1 \
  || fail "TopicCommand --create failed: $(tail -5 "$WORK/topic.log")"

# The record count from the partitions' end offsets: `kcat -C -e` may not reach the end of a
# partition that is being written to.
count_records() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); sys.dont_write_bytecode = True
from topic_diff import count_records; print(count_records(sys.argv[2], sys.argv[3]))' \
    "$REPO/tests/support" "$BOOTSTRAP" "$1"
}

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
  # A random moment between 0.2 and 2.5 s after start: during start-up (the idempotent
  # producer's PID request), between flushes, mid-flush.
  delay=$(python3 -c "import random; print(round(random.uniform(0.2, 2.5), 2))")
  sleep "$delay"
  kill -KILL "$W" 2>/dev/null || fail "worker died before kill $i: $(tail -3 "$WORK/worker.log")"
  wait "$W" 2>/dev/null || true
  log "kill $i/$KILLS after ${delay}s: $(count_records verifiable) records in Kafka"
done

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>>"$WORK/worker.log" &
W=$!; PIDS+=("$W")
before=$(count_records verifiable)
wait_for 120 at_least verifiable $((before + 3000)) || fail "no progress after the last restart"
kill -TERM "$W"
wait "$W" || fail "graceful stop failed with $?: $(tail -5 "$WORK/worker.log")"
dump_records verifiable "$WORK/records.txt"
[ "$(wc -l <"$WORK/records.txt")" -eq "$(count_records verifiable)" ] \
  || fail "read $(wc -l <"$WORK/records.txt") records, the end offsets say $(count_records verifiable)"
python3 "$HERE/check_seqnos.py" "$WORK/records.txt" --tasks 2 --per-task 0 | tee "$WORK/result"
echo "real_kafka_crash_test: ok after $KILLS kills ($(grep -o 'records=[0-9]*' "$WORK/result"),"\
" missing=0, $(grep -o 'duplicates=[0-9]*' "$WORK/result"))"
