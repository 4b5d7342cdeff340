#!/usr/bin/env bash
# Regenerates the golden files in tests/golden/ from Kafka Connect's and Debezium's own Java classes:
#   converters.tsv           what JsonConverter and SimpleHeaderConverter write for each case
#   json_to_connect.tsv      what they read back from a set of JSON and header inputs
#   transforms.jsonl         what the SMTs and predicates (Kafka's, Debezium's unwrap and router)
#                            do with a set of records
#   transform_configs.jsonl  their ConfigDefs
#   mysql_binary_json.tsv    the text Debezium's MySQL connector makes of MySQL binary JSON
#                            (mysql-binlog-connector-java's JsonBinary.parseAsString)
# tests/unit/plugins/converters/java_golden_test.cc and tests/unit/plugins/transforms/
# java_golden_test.cc check Sluice against them.
#
# Usage: tests/golden/regenerate.sh
# Needs java (17; Kafka 3.9's own runtime) and the jars tests/jvm/fetch.sh caches (it is run
# first, and is quick when the cache is warm). JAVA picks another java binary. The files record
# the Kafka and Java versions that wrote them; commit them.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}
JAVA=${JAVA:-java}

"$ROOT/tests/jvm/fetch.sh" >/dev/null
"$JAVA" -cp "$CACHE/connect/*" "$HERE/GenConverterGoldens.java" "$HERE"
# SimpleDateFormat uses the JVM's zone; Connect's SMTs set UTC on theirs, the goldens need UTC too.
"$JAVA" -Duser.timezone=UTC -cp "$CACHE/connect/*:$CACHE/plugins/debezium-connector-postgres/*" \
  "$HERE/GenTransformGoldens.java" "$HERE"
"$JAVA" -cp "$CACHE/plugins/debezium-connector-mysql/*" "$HERE/GenBinlogJsonGoldens.java" "$HERE" \
  "$ROOT/../shared/fixtures/mysql-binlog/json.binlog.000001"
