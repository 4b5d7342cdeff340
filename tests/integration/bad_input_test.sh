#!/usr/bin/env bash
# Bad input: each case exits non-zero (never by a signal: no crash, no hang) with one line
# on stderr that says what is wrong.
SLUICE=$1
source "$(dirname "$0")/lib.sh"

# expect_error NAME PATTERN COMMAND...: runs with a deadline and checks exit and message.
expect_error() {
  local name=$1 pattern=$2; shift 2
  set +e
  timeout 60 "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
  local rc=$?
  set -e
  [ "$rc" -eq 124 ] && fail "$name: hung"
  [ "$rc" -ge 128 ] && fail "$name: killed by signal $((rc - 128)): $(cat "$WORK/err")"
  [ "$rc" -ne 0 ] || fail "$name: exited 0"
  grep -q -- "$pattern" "$WORK/err" || fail "$name: stderr lacks '$pattern': $(cat "$WORK/err")"
  log "$name: exit $rc: $(grep -- "$pattern" "$WORK/err" | head -1)"
}

BOOTSTRAP=127.0.0.1:9   # unused by the cases that fail before connecting
write_worker "$WORK/good.properties"
cat >"$WORK/verifiable.properties" <<PROPS
name=v
connector.class=VerifiableSource
topic=t
throughput=10
PROPS

expect_error "missing worker file" "no-such.properties" "$SLUICE" standalone "$WORK/no-such.properties"
printf 'bootstrap.servers=x\nbad.escape=\\u12G4\n' >"$WORK/malformed.properties"
expect_error "malformed properties" "line 2" "$SLUICE" standalone "$WORK/malformed.properties"
grep -v '^key.converter=' "$WORK/good.properties" >"$WORK/noconv.properties"
expect_error "missing key.converter" '"key.converter"' "$SLUICE" standalone "$WORK/noconv.properties"
expect_error "missing connector file" "no-such.json" "$SLUICE" standalone "$WORK/good.properties" "$WORK/no-such.json"
echo '{"name": "x", "config": {' >"$WORK/broken.json"
expect_error "malformed connector JSON" "not valid JSON" "$SLUICE" standalone "$WORK/good.properties" "$WORK/broken.json"
expect_error "unknown command" "unknown command" "$SLUICE" frobnicate

log "an unreachable bootstrap server fails fast, naming bootstrap.servers"
BOOTSTRAP=127.0.0.1:1 write_worker "$WORK/unreachable.properties"
sed -i 's/^request.timeout.ms=.*/request.timeout.ms=2000/' "$WORK/unreachable.properties"
expect_error "unreachable bootstrap" "bootstrap.servers=127.0.0.1:1" \
  "$SLUICE" standalone "$WORK/unreachable.properties" "$WORK/verifiable.properties"

start_dev_kafka t:1
write_worker "$WORK/live.properties"
cat >"$WORK/unknown.properties" <<PROPS
name=u
connector.class=io.example.NoSuchConnector
PROPS
expect_error "unknown connector.class" "io.example.NoSuchConnector" "$SLUICE" standalone "$WORK/live.properties" "$WORK/unknown.properties"
cat >"$WORK/badconv.properties" <<PROPS
name=u
connector.class=VerifiableSource
topic=t
throughput=10
value.converter=io.confluent.connect.avro.AvroConverter
PROPS
expect_error "unknown converter" "io.confluent.connect.avro.AvroConverter" "$SLUICE" standalone "$WORK/live.properties" "$WORK/badconv.properties"

log "a plugin directory full of garbage: every file skipped with a reason, the worker still runs"
mkdir -p "$WORK/garbage/sub"
head -c 4096 /dev/urandom >"$WORK/garbage/random.so"
echo "not a plugin" >"$WORK/garbage/sub/text.so"
cp /bin/true "$WORK/garbage/executable.so"
printf 'x' >"$WORK/garbage/notes.txt"
timeout 30 "$SLUICE" plugins --plugin-path "$WORK/garbage" >"$WORK/plugins.out" 2>&1 || fail "sluice plugins failed on garbage"
[ "$(grep -c '^skipped' "$WORK/plugins.out")" -eq 3 ] || fail "expected 3 skipped files: $(cat "$WORK/plugins.out")"
grep -q "org.apache.kafka.connect.json.JsonConverter" "$WORK/plugins.out" || fail "built-ins missing"
echo "plugin.path=$WORK/garbage" >>"$WORK/live.properties"
expect_error "connector missing from a garbage plugin.path" "VerifiableSource" \
  "$SLUICE" standalone "$WORK/live.properties" "$WORK/verifiable.properties"
echo "bad_input_test: ok"
