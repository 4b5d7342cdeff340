#!/usr/bin/env bash
# A real Kafka (one KRaft node, tests/support/kafka_cluster.py) + sluice standalone + the
# verifiable source: the topic made with a real CreateTopics (Kafka's TopicCommand), 3000
# records complete and in order, a graceful stop on SIGTERM.
# First run: fetches Kafka from Maven Central into the cache (tests/jvm/fetch.sh).
SLUICE=$1
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
  --topic verifiable --partitions 1 --replication-factor 1 >"$WORK/topic.log" 2>&1 \
  || fail "TopicCommand --create failed: $(tail -5 "$WORK/topic.log")"
one_partition() {
  kcat -b "$BOOTSTRAP" -L -t verifiable -J | python3 -c 'import json, sys
t = json.load(sys.stdin)["topics"][0]
sys.exit(0 if len(t["partitions"]) == 1 and t["partitions"][0]["leader"] >= 0 else 1)'
}
wait_for 30 one_partition || fail "topic verifiable does not have 1 partition with a leader"

write_worker "$WORK/worker.properties"
cat >"$WORK/source.properties" <<PROPS
name=verifiable
connector.class=org.apache.kafka.connect.tools.VerifiableSourceConnector
tasks.max=1
topic=verifiable
throughput=-1
max.messages=3000
PROPS

log "sluice standalone: 1 task x 3000 records"
"$SLUICE" standalone "$WORK/worker.properties" "$WORK/source.properties" 2>"$WORK/worker.log" &
W=$!; PIDS+=("$W")
wait_for 120 at_least verifiable 3000 || fail "only $(count_records verifiable) records arrived: $(tail -5 "$WORK/worker.log")"
kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/worker.log")"
grep -q "task stopped after" "$WORK/worker.log" || fail "no graceful task stop in the log"
dump_records verifiable "$WORK/records.txt"
python3 "$HERE/check_seqnos.py" "$WORK/records.txt" --tasks 1 --per-task 3000 --ordered
echo "real_kafka_smoke_test: ok"
