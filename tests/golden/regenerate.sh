#!/usr/bin/env bash
# Regenerates the converter golden files in tests/golden/ from Kafka Connect's own Java classes:
#   converters.tsv        what JsonConverter and SimpleHeaderConverter write for each case
#   json_to_connect.tsv   what they read back from a set of JSON and header inputs
# tests/unit/plugins/converters/java_golden_test.cc checks Sluice against both.
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
