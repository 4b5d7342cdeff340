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

# count_records TOPIC: how many records the topic holds now.
count_records() {
  kcat -b "$BOOTSTRAP" -C -t "$1" -o beginning -e -q -f '%o\n' 2>/dev/null | wc -l
}

# dump_records TOPIC FILE: "key value" per record, in partition order.
dump_records() {
  kcat -b "$BOOTSTRAP" -C -t "$1" -o beginning -e -q -f '%p %k %s\n' >"$2" 2>/dev/null
}

at_least() { [ "$(count_records "$1")" -ge "$2" ]; }
