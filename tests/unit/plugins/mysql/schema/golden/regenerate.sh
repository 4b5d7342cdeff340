#!/usr/bin/env bash
# Regenerates ddl_goldens.tsv from Debezium 2.7's own MySQL DDL parser (GenDdlGoldens.java).
# Needs java 17 and the jars tests/jvm/fetch.sh caches. Commit the result.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../../../../.." && pwd)
CACHE=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}
"$ROOT/tests/jvm/fetch.sh" >/dev/null
${JAVA:-java} -cp "$CACHE/plugins/debezium-connector-mysql/*:$CACHE/connect/*" "$HERE/GenDdlGoldens.java" "$HERE" \
  2> >(grep -v "^log4j" >&2)
${JAVA:-java} -cp "$CACHE/plugins/debezium-connector-mysql/*:$CACHE/connect/*" "$HERE/GenMappingGoldens.java" "$HERE" \
  2> >(grep -v '^log4j' >&2)
