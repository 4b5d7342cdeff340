#!/usr/bin/env bash
# The quickstart: installs what is missing, builds Sluice, starts the embedded development
# Kafka and a standalone worker running the verifiable source, and shows records arriving.
# Ctrl-C stops the worker gracefully (final offset flush) and prints what landed in Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF >/dev/null
cmake --build build/release
sluice=build/release/bin/sluice

work=$(mktemp -d /tmp/sluice-quickstart.XXXXXX)
kafka_pid=""
cleanup() {
  [ -n "$kafka_pid" ] && kill "$kafka_pid" 2>/dev/null && wait "$kafka_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting the embedded development Kafka (in memory; gone when this stops)"
# Its own session, so Ctrl-C reaches only the worker and the broker outlives its final flush.
setsid "$sluice" dev-kafka --topic verifiable:1 >"$work/bootstrap" 2>"$work/dev-kafka.log" </dev/null &
kafka_pid=$!
for _ in $(seq 1 100); do [ -s "$work/bootstrap" ] && break; sleep 0.1; done
bootstrap=$(head -n1 "$work/bootstrap")
[ -n "$bootstrap" ] || { echo "dev-kafka did not start:"; cat "$work/dev-kafka.log"; exit 1; }
echo "   bootstrap.servers=$bootstrap"

sed -e "s|^bootstrap.servers=.*|bootstrap.servers=$bootstrap|" \
    -e "s|^offset.storage.file.filename=.*|offset.storage.file.filename=$work/offsets|" \
    examples/standalone/worker.properties >"$work/worker.properties"

echo "== a sample of what lands in topic 'verifiable', in a few seconds:"
( sleep 3; kcat -b "$bootstrap" -C -t verifiable -o beginning -c 3 -q -f '   key=%k value=%s\n' 2>/dev/null || true ) &

echo "== running: sluice standalone worker.properties examples/standalone/verifiable-source.properties"
echo "   (progress every 10 s; press Ctrl-C to stop)"
echo "   from another terminal: curl -s localhost:8083/connectors/verifiable-source/status"
# The worker handles SIGINT itself: a graceful stop with a final offset flush.
trap ':' INT
"$sluice" standalone "$work/worker.properties" examples/standalone/verifiable-source.properties || true
trap - INT

# The end offset counts every record written; dev-kafka keeps only the newest ~5 MiB of them.
count=$(kcat -b "$bootstrap" -Q -t verifiable:0:-1 2>/dev/null | awk '{print $NF}')
echo "== stopped cleanly; $count records went to topic 'verifiable'"
