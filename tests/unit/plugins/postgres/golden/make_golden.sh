#!/bin/sh
# Regenerates fixtures/debezium_golden.tsv: each case of cases.py converted by Debezium 2.7.4's
# own PostgresValueConverter (pgoutput text value -> Connect value) and written by Kafka
# Connect's JsonConverter. Needs a JDK and the jars tests/jvm/fetch.sh puts in ~/.cache/sluice-jvm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jvm=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}
pg=$jvm/plugins/debezium-connector-postgres
cp=$(ls "$pg"/*.jar "$jvm"/connect/*.jar | tr '\n' ':')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -nowarn -cp "$cp" -d "$work" "$here/PgGolden.java" 2>/dev/null
python3 "$here/cases.py" | java -cp "$work:$cp" io.debezium.connector.postgresql.PgGolden 2>/dev/null \
  > "$here/../fixtures/debezium_golden.tsv"
wc -l "$here/../fixtures/debezium_golden.tsv"
