#!/usr/bin/env bash
# Installs the Debian bookworm packages Sluice builds and tests with. Idempotent: when
# everything is there it returns at once, without touching apt.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  librdkafka-dev rapidjson-dev libpcre2-dev libboost-dev catch2 libzstd-dev libmariadb-dev
  libpq-dev libssl-dev
  kcat python3 curl
)
# What only the tests need: the reference JVM peers (Kafka, Connect) come from Maven Central.
if [ "${1:-}" = "--tests" ]; then
  packages+=(openjdk-17-jdk-headless maven openssl wrk mariadb-server mariadb-client
             postgresql-15 postgresql-client-15)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
