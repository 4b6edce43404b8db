#!/usr/bin/env bash
# `make bench`: builds what the benchmarks need, then runs each one and prints its figures.
# Uses its own Postgres and Kafka in target/securebase-bench-infra (started if needed, stopped again
# if started here), so the tens of thousands of events it leaves never reach the tests' broker.
# Every benchmark adds its headline figures (each beside its same-run baseline) to one table, printed
# at the end and written to target/bench/results.md and results.json, so runs can be compared.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
./mvnw -B -ntp -q -DskipTests install
./mvnw -B -ntp -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
mkdir -p target/bench
figures="$PWD/target/bench/figures.jsonl"
: >"$figures"
run() { "$JAVA_HOME/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED -Xmx1g -Dsecurebase.bench.figures="$figures" \
  -Dsecurebase.infra.dir="$PWD/target/securebase-bench-infra" -Dsecurebase.kafka.home="$PWD/kafka/broker/target" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" "$@"; }
echo "== Outbox relay =="
run com.securebase.bench.OutboxBenchmark "${OUTBOX_BACKLOG:-50000}" "${OUTBOX_RATE:-500}" "${OUTBOX_SECONDS:-20}"
echo
echo "== Gateway =="
run com.securebase.bench.GatewayBenchmark "${GATEWAY_KEYS:-1000}" "${GATEWAY_SEQUENTIAL:-5000}" "${GATEWAY_CONCURRENT:-10000}" "${GATEWAY_CONCURRENCY:-32}" \
  "${GATEWAY_WARM_UP:-15000}"
echo
echo "== Support =="
run com.securebase.bench.SupportBenchmark "${SUPPORT_CREATES:-5000}" "${SUPPORT_CONCURRENCY:-16}" "${SUPPORT_TICKETS:-100000}" "${SUPPORT_QUERIES:-300}"
echo
echo "== Billing =="
run com.securebase.bench.BillingBenchmark "${BILLING_BATCHES:-200}" "${BILLING_CONCURRENCY:-4}" "${BILLING_TENANTS:-10000}" "${BILLING_RECORDS:-10000000}"
echo
echo "== Notifications =="
run com.securebase.bench.NotificationsBenchmark "${NOTIFICATIONS_CLIENTS:-1000}" "${NOTIFICATIONS_RATE:-20}" "${NOTIFICATIONS_SECONDS:-30}"
echo "-- the same at five times that rate"
run com.securebase.bench.NotificationsBenchmark "${NOTIFICATIONS_CLIENTS:-1000}" "${NOTIFICATIONS_HIGH_RATE:-250}" "${NOTIFICATIONS_SECONDS:-30}"
echo
echo "== Forecasting =="
run com.securebase.bench.ForecastBenchmark "${FORECAST_SERIES:-10000}" "${FORECAST_RUNS:-5}"
echo
echo "== Analytics =="
run com.securebase.bench.AnalyticsBenchmark "${ANALYTICS_POINTS:-10000000}" "${ANALYTICS_QUERIES:-30}"
echo
echo "== Webhook delivery =="
run com.securebase.bench.WebhookBenchmark "${WEBHOOK_ENDPOINTS:-10}" "${WEBHOOK_BURST:-2000}" "${WEBHOOK_RATE:-100}" "${WEBHOOK_SECONDS:-20}"
echo
echo "== Customer portal =="
run com.securebase.bench.PortalBenchmark "${PORTAL_RUNS:-10}"
echo
echo "== Start-up and idle memory =="
run com.securebase.bench.StartupBenchmark "${STARTUP_RUNS:-3}" "${STARTUP_IDLE_SECONDS:-5}"
echo
echo "== All figures =="
run com.securebase.bench.BenchTable "$figures" target/bench "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
