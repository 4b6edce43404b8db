#!/usr/bin/env bash
# The local Postgres + Kafka launcher (libs/local-infra) as a command:
#   scripts/infra.sh start|stop|status|database <db> <service>
# Builds the launcher and the broker jars first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
cp_file=libs/local-infra/target/launcher.classpath
if [[ ! -f $cp_file || libs/local-infra/pom.xml -nt $cp_file || ! -d kafka/broker/target/lib || ! -d libs/local-infra/target/classes ]]; then
  ./mvnw -B -ntp -q -DskipTests -Dspotless.check.skip=true -pl kafka/broker,libs/local-infra -am install >&2
  ./mvnw -B -ntp -q -pl libs/local-infra dependency:build-classpath -Dmdep.outputFile=target/launcher.classpath >&2
fi
exec "$JAVA_HOME/bin/java" -cp "libs/local-infra/target/classes:$(cat "$cp_file")" \
  -Dsecurebase.infra.dir="$PWD/target/securebase-infra" \
  -Dsecurebase.kafka.home="$PWD/kafka/broker/target" \
  com.securebase.infra.LocalInfraCli "$@"
