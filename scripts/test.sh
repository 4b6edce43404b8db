#!/usr/bin/env bash
# `make test`: every module's tests, against one real Postgres and one real Kafka broker
# that this script starts (or reuses) and stops afterwards if it started them.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
echo "Using JDK at $JAVA_HOME"

# The portal's browser tests drive Debian's Chromium (never a browser a test tool downloads).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "Installing Debian's chromium for the portal's browser tests"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo -n)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

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
