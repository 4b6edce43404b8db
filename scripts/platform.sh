#!/usr/bin/env bash
# `make run` / `make stop` / `make status`: the whole platform on this machine, no Docker.
#   run    build, start Postgres + Kafka (topics from the catalog), start every service found
#          under services/*/ (each declares its port in services/<name>/service.env), wait until
#          each is ready, print the URLs, then stay in the foreground; Ctrl-C stops everything.
#   stop   stop the services (by pid file) and the infrastructure.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
RUN_DIR="$PWD/target/securebase-run"
JVM_FLAGS="--add-opens java.base/java.lang=ALL-UNNAMED"
# The local mail catcher and webhook receiver (LocalReceivers): where mail and webhooks go locally.
SMTP_PORT=2525
RECEIVER_PORT=8090

services() {
  for env in services/*/service.env; do
    [[ -f $env ]] && basename "$(dirname "$env")"
  done
}

stop_services() {
  shopt -s nullglob
  for pidfile in "$RUN_DIR"/*.pid; do
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      echo "Stopping $(basename "$pidfile" .pid) (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

stop_all() {
  stop_services
  scripts/infra.sh stop
  echo "Stopped."
}

wait_ready() { # name port
  local url="http://127.0.0.1:$2/q/health/ready"
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && \
       "$JAVA_HOME/bin/java" scripts/HttpStatus.java "$url" 2>/dev/null | grep -q '^200$'; then
      return 0
    fi
    if ! kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; then
      echo "$1 exited; last log lines:" >&2; tail -30 "$RUN_DIR/$1.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "$1 not ready after 120 s; see $RUN_DIR/$1.log" >&2
  return 1
}

run() {
  mkdir -p "$RUN_DIR"
  stop_services
  ./mvnw -B -ntp -q -DskipTests install
  scripts/infra.sh start | tee "$RUN_DIR/infra.env"
  # shellcheck disable=SC1090
  source <(grep -E '^[A-Z_]+=' "$RUN_DIR/infra.env")
  trap 'echo; stop_all; exit 0' INT TERM
  # shellcheck disable=SC1090
  source <(scripts/infra.sh jwt-keys "$RUN_DIR/keys")
  rm -f "$RUN_DIR/demo-api-key" "$RUN_DIR/demo-owner-password" "$RUN_DIR/gateway.url"
  scripts/infra.sh receivers "$SMTP_PORT" "$RECEIVER_PORT" >"$RUN_DIR/receivers.log" 2>&1 &
  echo $! >"$RUN_DIR/receivers.pid"
  local started=()
  for svc in $(services); do
    LOCAL_SETTINGS=()
    # shellcheck disable=SC1090
    source "services/$svc/service.env"   # PORT, and LOCAL_SETTINGS for this local mode only
    local jar="services/$svc/target/quarkus-app/quarkus-run.jar"
    [[ -f $jar ]] || { echo "No $jar: build failed?" >&2; stop_all; exit 1; }
    source <(scripts/infra.sh database securebase "$svc")
    echo "Starting $svc on port $PORT"
    (
      export QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
        QUARKUS_DATASOURCE_REACTIVE_URL=$DB_REACTIVE_URL \
        QUARKUS_DATASOURCE_USERNAME=$DB_APP_USER QUARKUS_DATASOURCE_PASSWORD=$DB_APP_PASSWORD \
        QUARKUS_DATASOURCE_JDBC_URL=$DB_JDBC_URL \
        QUARKUS_FLYWAY_USERNAME=$DB_OWNER_USER QUARKUS_FLYWAY_PASSWORD=$DB_OWNER_PASSWORD \
        KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS \
        MP_JWT_VERIFY_PUBLICKEY_LOCATION=file:$JWT_PUBLIC_KEY \
        SMALLRYE_JWT_SIGN_KEY_LOCATION=file:$JWT_PRIVATE_KEY \
        SECUREBASE_DEMO_SEED=true \
        SECUREBASE_RUN_DIR=$RUN_DIR \
        QUARKUS_MAILER_PORT=$SMTP_PORT
      exec env "${LOCAL_SETTINGS[@]}" "$JAVA_HOME/bin/java" $JVM_FLAGS -Xmx384m -XX:TieredStopAtLevel=1 -jar "$jar"
    ) >"$RUN_DIR/$svc.log" 2>&1 &
    echo $! >"$RUN_DIR/$svc.pid"
    started+=("$svc:$PORT")
  done
  for entry in "${started[@]}"; do
    wait_ready "${entry%%:*}" "${entry##*:}" || { stop_all; exit 1; }
  done
  echo
  echo "SecureBase is running."
  echo "  PostgreSQL   127.0.0.1:$POSTGRES_PORT (database securebase)"
  echo "  Kafka        $KAFKA_BOOTSTRAP_SERVERS"
  echo "  Mail catcher smtp://127.0.0.1:$SMTP_PORT   (what was sent: curl http://127.0.0.1:$RECEIVER_PORT/mail)"
  echo "  Webhooks to  http://127.0.0.1:$RECEIVER_PORT/hooks/<any>  (what arrived: curl http://127.0.0.1:$RECEIVER_PORT/hooks; /hooks/fail answers 503)"
  if ((${#started[@]} == 0)); then
    echo "  (no services under services/ yet)"
  fi
  for entry in "${started[@]}"; do
    printf '  %-12s http://127.0.0.1:%s  (OpenAPI /q/openapi, health /q/health)\n' "${entry%%:*}" "${entry##*:}"
  done
  if [[ -f $RUN_DIR/demo-api-key ]]; then
    echo
    echo "Gateway URL:  http://127.0.0.1:8080"
    echo "Portal:       http://127.0.0.1:8080/   (sign in with the demo owner's email and password, or paste the demo API key)"
    echo "Demo API key: $(cat "$RUN_DIR/demo-api-key")   (tenant 'Demo', owner scope)"
    echo "Demo owner:   owner@demo.example.com / $(cat "$RUN_DIR/demo-owner-password")   (password sign-in)"
    echo "  token: curl -s -H 'Content-Type: application/json' -d '{\"apiKey\":\"'\$(cat $RUN_DIR/demo-api-key)'\"}' http://127.0.0.1:8080/v1/auth/authenticate"
  fi
  echo
  echo "Logs in $RUN_DIR. Ctrl-C (or 'make stop' from another shell) stops everything."
  if [[ -t 0 || -n ${SECUREBASE_FOREGROUND:-} ]]; then
    while true; do sleep 3600 & wait $!; done
  fi
}

case "${1:-run}" in
  run) run ;;
  stop) stop_all ;;
  status) scripts/infra.sh status; for p in "$RUN_DIR"/*.pid; do [[ -f $p ]] && echo "$(basename "$p" .pid): pid $(cat "$p")"; done ;;
  *) echo "usage: $0 run|stop|status" >&2; exit 2 ;;
esac
