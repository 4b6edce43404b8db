#!/usr/bin/env bash
# `make test`: every module's tests, against one real Postgres and one real Kafka broker
# that this script starts (or reuses) and stops afterwards if it started them.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
echo "Using JDK at $JAVA_HOME"

status=$(scripts/infra.sh status)
started=false
if ! grep -q 'KAFKA_RUNNING=true' <<<"$status" || ! grep -q 'POSTGRES_RUNNING=true' <<<"$status"; then
  started=true
fi
scripts/infra.sh start
if $started; then
  trap 'scripts/infra.sh stop' EXIT
fi
./mvnw -B -ntp verify "$@"
