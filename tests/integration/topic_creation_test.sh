#!/usr/bin/env bash
# Topic creation for source connectors (topic.creation.*), against a real Kafka (SLUICE_KAFKA=real)
# or the embedded dev broker (the default):
#   real: the default group creates tc-orders with 2 partitions; a group with include/exclude
#         creates tc-compacted with 3 partitions and cleanup.policy=compact; a replication factor
#         the one-node cluster cannot have fails that connector's task with Connect's message
#         and the broker's reason in its trace;
#   dev:  the dev broker has no CreateTopics: one warning, the topics are auto-created and every
#         record lands.
SLUICE=$1
source "$(dirname "$0")/lib.sh"

start_kafka
write_worker "$WORK/worker.properties"
source_with() { # source_with NAME TOPIC EXTRA...
  local name=$1 topic=$2; shift 2
  printf '%s\n' "name=$name" "connector.class=org.apache.kafka.connect.tools.VerifiableSourceConnector" "tasks.max=1" \
    "topic=$topic" "throughput=-1" "max.messages=500" "topic.creation.default.replication.factor=1" \
    "topic.creation.default.partitions=2" "$@"
}
source_with orders tc-orders topic.creation.groups=compacted 'topic.creation.compacted.include=tc-comp.*' \
  topic.creation.compacted.exclude=tc-orders >"$WORK/orders.properties"
source_with compacted tc-compacted topic.creation.groups=compacted 'topic.creation.compacted.include=tc-comp.*' \
  topic.creation.compacted.partitions=3 topic.creation.compacted.cleanup.policy=compact >"$WORK/compacted.properties"
source_with bad tc-bad topic.creation.default.replication.factor=3 >"$WORK/bad.properties"

"$SLUICE" standalone "$WORK/worker.properties" "$WORK/orders.properties" "$WORK/compacted.properties" \
  "$WORK/bad.properties" 2>"$WORK/run.log" &
W=$!; PIDS+=("$W")
wait_for 90 at_least tc-orders 500 || fail "tc-orders: $(count_records tc-orders) records: $(tail -5 "$WORK/run.log")"
wait_for 60 at_least tc-compacted 500 || fail "tc-compacted: $(count_records tc-compacted) records"
URL=$(grep -o 'REST API at http://[^ ]*' "$WORK/run.log" | head -1 | sed 's|REST API at ||; s|/$||')
partitions() { kcat -b "$BOOTSTRAP" -L -t "$1" -J 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["topics"][0]["partitions"]))'; }

if [ "${SLUICE_KAFKA:-dev}" = real ]; then
  [ "$(partitions tc-orders)" = 2 ] || fail "tc-orders has $(partitions tc-orders) partitions, expected 2 (default group)"
  [ "$(partitions tc-compacted)" = 3 ] || fail "tc-compacted has $(partitions tc-compacted) partitions, expected 3"
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CACHE/kafka/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --describe --topic tc-compacted >"$WORK/describe.txt" 2>&1
  grep -q "cleanup.policy=compact" "$WORK/describe.txt" || fail "tc-compacted is not compacted: $(cat "$WORK/describe.txt")"
  grep -q "Created topic NewTopic(name=tc-orders, numPartitions=2, replicationFactor=1" "$WORK/run.log" \
    || fail "no 'Created topic' log line"
  bad_failed() {
    curl -sf "$URL/connectors/bad/status" | python3 -c '
import json, sys
t = json.load(sys.stdin)["tasks"][0]
sys.exit(0 if t["state"] == "FAILED" else 1)'
  }
  wait_for 60 bad_failed || fail "bad's task did not fail: $(curl -s "$URL/connectors/bad/status")"
  TRACE=$(curl -sf "$URL/connectors/bad/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tasks"][0]["trace"])')
  echo "$TRACE" | grep -q "Task failed to create new topic NewTopic(name=tc-bad" || fail "trace: $TRACE"
  echo "$TRACE" | grep -q "INVALID_REPLICATION_FACTOR" || fail "trace lacks the broker's reason: $TRACE"
else
  [ "$(grep -c "do not support CreateTopics" "$WORK/run.log")" = 1 ] || fail "expected exactly one fallback warning"
  wait_for 60 at_least tc-bad 500 || fail "tc-bad: $(count_records tc-bad) records (auto-created on the dev broker)"
fi
kill -TERM "$W"
wait "$W" || fail "worker exited with $? after SIGTERM: $(tail -5 "$WORK/run.log")"
echo "topic_creation_test: ok (${SLUICE_KAFKA:-dev})"
