#!/usr/bin/env bash
# The files under examples/ work as shipped: the example worker.properties (pointed at a
# dev-kafka) with the example connector, in both its .properties and .json forms.
SLUICE=$1
EXAMPLES=$(cd "$(dirname "$0")/../../examples" && pwd)
source "$(dirname "$0")/lib.sh"

start_dev_kafka verifiable:1
sed -e "s|^bootstrap.servers=.*|bootstrap.servers=$BOOTSTRAP|" \
    -e "s|^offset.storage.file.filename=.*|offset.storage.file.filename=$WORK/offsets|" \
    "$EXAMPLES/standalone/worker.properties" >"$WORK/worker.properties"
echo "listeners=http://127.0.0.1:0" >>"$WORK/worker.properties"  # tests may run side by side

for form in properties json; do
  before=$(count_records verifiable)
  "$SLUICE" standalone "$WORK/worker.properties" "$EXAMPLES/standalone/verifiable-source.$form" 2>"$WORK/$form.log" &
  W=$!; PIDS+=("$W")
  wait_for 30 at_least verifiable $((before + 500)) || fail "$form: no records: $(tail -3 "$WORK/$form.log")"
  kill -INT "$W"
  wait "$W" || fail "$form: exit $? after SIGINT"
  log "$form: $(( $(count_records verifiable) - before )) records"
done
# complete.record.data=true: the value is the struct, written as schemaless JSON.
kcat -b "$BOOTSTRAP" -C -t verifiable -o beginning -c 1 -q -f '%s\n' | grep -q '^{"name":"verifiable-source","task":0,"topic":"verifiable","time_ms":[0-9]*,"seqno":0}$' \
  || fail "unexpected record value: $(kcat -b "$BOOTSTRAP" -C -t verifiable -o beginning -c 1 -q)"
# The second run continued the first: one task's seqnos with no gap and no repeat.
kcat -b "$BOOTSTRAP" -C -t verifiable -o beginning -e -q -f '%p %k %s\n' |
  python3 -c 'import sys,json; [print(l.split(" ",2)[0], l.split(" ",2)[1], json.loads(l.split(" ",2)[2])["seqno"]) for l in sys.stdin]' >"$WORK/records.txt"
python3 "$(dirname "$0")/check_seqnos.py" "$WORK/records.txt" --tasks 1 --per-task 0 --ordered
echo "examples_test: ok"
