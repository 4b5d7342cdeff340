#!/usr/bin/env bash
# Fetches Apache Kafka, Kafka Connect and Debezium (the versions pinned in tests/jvm/pom.xml)
# from Maven Central into the test cache, as plain folders of jars:
#
#   ${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}/
#     kafka/      the broker classpath      java -cp "kafka/*" kafka.Kafka server.properties
#     connect/    the Connect worker classpath (Kafka's jars, connect-*, the test plugins)
#     plugins/<connector>/   one Connect plugin.path entry per Debezium connector
#
# Usage: tests/jvm/fetch.sh [--force] [-- EXTRA_MVN_ARGS...]
# Idempotent: when the cache already holds the pinned jars (and the poms have not changed since
# they were fetched) it prints the summary and exits without starting Maven. Maven's local
# repository is the default one (~/.m2). Tools for tests only: nothing in Sluice uses them.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${SLUICE_JVM_CACHE:-$HOME/.cache/sluice-jvm}
FORCE=0
MVN_EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --force) FORCE=1; shift ;;
    --) shift; MVN_EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "fetch.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

prop() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" "$HERE/pom.xml" | head -n1; }
KAFKA=$(prop kafka.version)
SCALA=$(prop scala.binary.version)
TEST_PLUGINS=$(prop connect.test.plugins.version)
DBZ=$(prop debezium.version)
DBZ_MARIADB=$(prop debezium.mariadb.version)
CONNECTORS=(debezium-connector-mysql debezium-connector-mariadb debezium-connector-postgres)

# Jars that must be there (globs allowed) for the cache to count as complete.
EXPECTED=(
  "kafka/kafka_$SCALA-$KAFKA.jar" "kafka/kafka-clients-$KAFKA.jar" "kafka/kafka-tools-$KAFKA.jar"
  "kafka/slf4j-reload4j-*.jar" "kafka/reload4j-*.jar"
  "connect/kafka_$SCALA-$KAFKA.jar" "connect/connect-runtime-$KAFKA.jar"
  "connect/connect-json-$KAFKA.jar" "connect/connect-file-$KAFKA.jar"
  "connect/connect-transforms-$KAFKA.jar" "connect/connect-test-plugins-$TEST_PLUGINS.jar"
  "connect/slf4j-reload4j-*.jar"
  "plugins/debezium-connector-mysql/debezium-connector-mysql-$DBZ.jar"
  "plugins/debezium-connector-mysql/mysql-connector-j-*.jar"
  "plugins/debezium-connector-mariadb/debezium-connector-mariadb-$DBZ_MARIADB.jar"
  "plugins/debezium-connector-mariadb/mariadb-java-client-*.jar"
  "plugins/debezium-connector-postgres/debezium-connector-postgres-$DBZ.jar"
  "plugins/debezium-connector-postgres/postgresql-*.jar"
)

# The poms' digest: a changed pin refetches even when the old jars are all still there.
stamp() { cat "$HERE"/pom.xml "$HERE"/*/pom.xml | sha256sum | cut -d' ' -f1; }

complete() { # complete DIR: every expected jar is in DIR, no Kafka jar in a plugin folder
  local dir=$1 pattern
  for pattern in "${EXPECTED[@]}"; do
    compgen -G "$dir/$pattern" >/dev/null || return 1
  done
  ! compgen -G "$dir/plugins/*/kafka-clients-*.jar" >/dev/null
}

summary() {
  local d
  for d in kafka connect "${CONNECTORS[@]/#/plugins/}"; do
    printf '%-40s %4d jars  %s\n' "$d/" "$(find "$CACHE/$d" -maxdepth 1 -name '*.jar' | wc -l)" \
      "$(du -sh "$CACHE/$d" | cut -f1)"
  done
  echo "cache: $CACHE ($(du -sh "$CACHE" | cut -f1); Kafka $KAFKA, Debezium $DBZ, MariaDB connector $DBZ_MARIADB)"
}

cached() { [ "$FORCE" = 0 ] && complete "$CACHE" && [ "$(cat "$CACHE/.fetched" 2>/dev/null)" = "$(stamp)" ]; }

if cached; then summary; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9                     # another fetch.sh may be filling the cache right now
if cached; then summary; exit 0; fi

command -v mvn >/dev/null || { echo "fetch.sh: mvn (Maven) is not installed" >&2; exit 1; }
command -v java >/dev/null || { echo "fetch.sh: java is not installed" >&2; exit 1; }

STAGE="$CACHE/.staging"
LOG="$CACHE/fetch.log"
rm -rf "$STAGE"
echo "fetch.sh: resolving Kafka $KAFKA, Connect and Debezium $DBZ with Maven (log: $LOG)" >&2
# -U retries artifacts whose download failed before (Maven caches such failures in ~/.m2).
if ! mvn -B -U -ntp -Dstyle.color=never -f "$HERE/pom.xml" -Dsluice.cache="$STAGE" \
     "${MVN_EXTRA[@]}" package >"$LOG" 2>&1; then
  if grep -qE 'UnknownHostException|Connection refused|Network is unreachable|No route to host|timed out|Could not transfer|Failed to transfer|transfer failed' "$LOG"; then
    echo "fetch.sh: Maven Central (https://repo.maven.apache.org/maven2) is not reachable; cannot fetch Kafka, Connect and Debezium (details: $LOG)" >&2
  else
    echo "fetch.sh: mvn failed (details: $LOG):" >&2
    grep -E '^\[ERROR\]' "$LOG" | head -n 5 >&2 || tail -n 20 "$LOG" >&2
  fi
  rm -rf "$STAGE"
  exit 1
fi
complete "$STAGE" || { echo "fetch.sh: Maven succeeded but expected jars are missing in $STAGE" >&2; exit 1; }

# Swap the new folders in; the old ones (other versions) go.
rm -rf "$CACHE/kafka" "$CACHE/connect" "$CACHE/plugins" "$STAGE/.mvn-build"
mv "$STAGE/kafka" "$STAGE/connect" "$STAGE/plugins" "$CACHE/"
rm -rf "$STAGE"
stamp >"$CACHE/.fetched"
summary
