#!/usr/bin/env bash
# Integration test of `sluice dev-kafka`: bootstrap line, pre-created topics, produce/consume
# with kcat, the --port forwarder, the control FIFO, bad arguments and a clean SIGTERM exit.
# Usage: dev_kafka_test.sh /path/to/sluice
set -euo pipefail

SLUICE=${1:?usage: dev_kafka_test.sh /path/to/sluice}
command -v kcat >/dev/null || { echo "kcat is required" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dev_kafka_test.XXXXXX")
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  local f
  for f in "$WORK"/*.err; do
    [[ -f $f ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${secs}s waiting for $what"
    sleep 0.1
  done
}

has_first_line() { [[ -f $1 ]] && (( $(wc -l <"$1") >= 1 )); }

# start_dev_kafka NAME ARGS...: starts dev-kafka in the background (stdin from /dev/null) and
# sets BOOT to the bootstrap line and PID to its process id.
start_dev_kafka() {
  local name=$1
  shift
  "$SLUICE" dev-kafka "$@" </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  wait_for 20 "the bootstrap line of $name" has_first_line "$WORK/$name.out"
  BOOT=$(head -n 1 "$WORK/$name.out")
  [[ $BOOT =~ ^127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+)*$ ]] || fail "bad bootstrap line '$BOOT'"
}

# stop_dev_kafka PID: SIGTERM, then expects exit code 0 within 10 s.
stop_dev_kafka() {
  local pid=$1 rc=0
  kill -0 "$pid" 2>/dev/null || fail "dev-kafka $pid is not running before SIGTERM"
  kill -TERM "$pid"
  wait_for 10 "dev-kafka $pid to exit after SIGTERM" eval "! kill -0 $pid 2>/dev/null"
  wait "$pid" || rc=$?
  local rest=() p
  for p in "${PIDS[@]}"; do
    [[ $p == "$pid" ]] || rest+=("$p")
  done
  PIDS=("${rest[@]}")
  ((rc == 0)) || fail "dev-kafka exited with $rc after SIGTERM, expected 0"
}

# produce_consume BOOT TOPIC COUNT: writes COUNT keyed records, reads the topic back.
produce_consume() {
  local boot=$1 topic=$2 count=$3 got
  seq 1 "$count" | sed 's/^\(.*\)$/key\1:value\1/' >"$WORK/records.txt"
  timeout 60 kcat -b "$boot" -P -t "$topic" -K: <"$WORK/records.txt" 2>>"$WORK/kcat.err" ||
    fail "kcat could not produce to $topic via $boot"
  got=$(timeout 60 kcat -b "$boot" -C -t "$topic" -e -q 2>>"$WORK/kcat.err" | wc -l) ||
    fail "kcat could not consume $topic via $boot"
  ((got == count)) || fail "consumed $got records from $topic, expected $count"
}

ok_count() { grep -cx ok "$1" || true; }

# 1. One broker with a pre-created topic and a control FIFO.
FIFO="$WORK/control.fifo"
start_dev_kafka main --brokers 1 --topic t1:3 --control "$FIFO"
MAIN_PID=$PID
MAIN_BOOT=$BOOT
[[ $MAIN_BOOT != *,* ]] || fail "one broker expected, bootstrap is '$MAIN_BOOT'"
echo "dev-kafka at $MAIN_BOOT"

produce_consume "$MAIN_BOOT" t1 1000
echo "produced and consumed 1000 records"

METADATA=$(timeout 30 kcat -b "$MAIN_BOOT" -L -t t1 2>>"$WORK/kcat.err") || fail "kcat -L failed"
grep -q 'topic "t1" with 3 partitions' <<<"$METADATA" || fail "t1 lacks 3 partitions: $METADATA"
echo "t1 has 3 partitions"

# 2. Fault injection through the control FIFO.
[[ -p $FIFO ]] || fail "$FIFO was not created as a FIFO"
before=$(ok_count "$WORK/main.err")
echo "rtt -1 10" >"$FIFO"
wait_for 20 "'ok' for 'rtt -1 10'" eval '(( $(ok_count "$WORK/main.err") > before ))'
before=$(ok_count "$WORK/main.err")
echo "down 7" >"$FIFO"
wait_for 20 "an error line for 'down 7'" grep -q '^error: no broker 7' "$WORK/main.err"
echo "rtt -1 0" >"$FIFO"
wait_for 20 "'ok' for 'rtt -1 0'" eval '(( $(ok_count "$WORK/main.err") > before ))'
echo "control FIFO answers"

# 3. --port forwards bootstrap connections from a chosen port to the first broker.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
start_dev_kafka fwd --brokers 2 --port "$PORT" --topic p1:2
FWD_PID=$PID
[[ $BOOT == "127.0.0.1:$PORT" ]] || fail "--port $PORT printed '$BOOT'"
produce_consume "$BOOT" p1 200
echo "produced and consumed through --port $PORT"
stop_dev_kafka "$FWD_PID"

# 4. Bad arguments exit 2 with one line on stderr.
rc=0
"$SLUICE" dev-kafka --topic x:abc </dev/null >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
((rc == 2)) || fail "--topic x:abc exited with $rc, expected 2"
[[ $(wc -l <"$WORK/bad.err") -eq 1 ]] || fail "expected one line on stderr for --topic x:abc"
[[ ! -s $WORK/bad.out ]] || fail "--topic x:abc wrote to stdout"
echo "bad --topic exits 2: $(cat "$WORK/bad.err")"

# 5. stdin was /dev/null: the broker must still be up; SIGTERM stops it with exit code 0.
stop_dev_kafka "$MAIN_PID"
[[ ! -e $FIFO ]] || fail "the control FIFO created by dev-kafka was not removed"
echo "PASS"
