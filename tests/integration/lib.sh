# Helpers for the shell integration tests. Source it; $SLUICE must name the binary.
# Every wait polls a condition against a deadline; nothing sleeps a fixed time to synchronise.

set -euo pipefail

WORK=$(mktemp -d /tmp/sluice-it.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
log() { echo "-- $*" >&2; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}

# start_kafka TOPIC:PARTITIONS...: the embedded dev Kafka, or with SLUICE_KAFKA=real a real
# one-node KRaft Kafka (tests/support/kafka_cluster.py) with the topics made by CreateTopics.
start_kafka() {
  if [ "${SLUICE_KAFKA:-dev}" = real ]; then start_real_kafka "$@"; else start_dev_kafka "$@"; fi
}

start_real_kafka() {
  log "starting a 1-node KRaft Kafka"
  python3 "$REPO/tests/support/kafka_cluster.py" run --work-dir "$WORK/kafka" \
    >"$WORK/kafka.out" 2>"$WORK/kafka.err" </dev/null &
  KAFKA_PID=$!
  # Not in PIDS: it must get SIGTERM (the harness then stops the JVM and removes its files).
  trap 'kill -TERM "$KAFKA_PID" 2>/dev/null; wait "$KAFKA_PID" 2>/dev/null; cleanup' EXIT
  kafka_up_or_gone() { test -s "$WORK/kafka.out" || ! kill -0 "$KAFKA_PID"; }
  wait_for 240 kafka_up_or_gone || fail "Kafka did not start: $(tail -5 "$WORK/kafka.err")"
  test -s "$WORK/kafka.out" || fail "Kafka did not start: $(tail -20 "$WORK/kafka.err")"
  BOOTSTRAP=$(head -n1 "$WORK/kafka.out")
  log "Kafka at $BOOTSTRAP"
  local spec
  for spec in "$@"; do
    java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CACHE/kafka/*" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
      --topic "${spec%%:*}" --partitions "${spec##*:}" --replication-factor 1 >"$WORK/topic.log" 2>&1 \
      || fail "TopicCommand --create ${spec} failed: $(tail -5 "$WORK/topic.log")"
  done
}

# start_dev_kafka TOPIC:PARTITIONS...: sets BOOTSTRAP and KAFKA_PID.
start_dev_kafka() {
  local args=()
  for t in "$@"; do args+=(--topic "$t"); done
  "$SLUICE" dev-kafka "${args[@]}" >"$WORK/bootstrap" 2>"$WORK/dev-kafka.log" </dev/null &
  KAFKA_PID=$!
  PIDS+=("$KAFKA_PID")
  wait_for 20 test -s "$WORK/bootstrap" || fail "dev-kafka did not start: $(cat "$WORK/dev-kafka.log")"
  BOOTSTRAP=$(head -n1 "$WORK/bootstrap")
}

# write_worker FILE: a standalone worker against $BOOTSTRAP with schemaless JSON.
write_worker() {
  cat >"$1" <<PROPS
bootstrap.servers=$BOOTSTRAP
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
offset.storage.file.filename=$WORK/offsets
offset.flush.interval.ms=${FLUSH_MS:-500}
request.timeout.ms=5000
listeners=http://127.0.0.1:0
PROPS
}

# count_records TOPIC: how many records the topic holds now, from the partitions' end
# offsets (`kcat -C -e` may not reach the end of a partition that is being written to).
count_records() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); sys.dont_write_bytecode = True
from topic_diff import count_records; print(count_records(sys.argv[2], sys.argv[3]))' \
    "$REPO/tests/support" "$BOOTSTRAP" "$1"
}

# dump_records TOPIC FILE: "key value" per record, in partition order.
dump_records() {
  kcat -b "$BOOTSTRAP" -C -t "$1" -o beginning -e -q -f '%p %k %s\n' >"$2" 2>/dev/null
}

at_least() { [ "$(count_records "$1")" -ge "$2" ]; }
