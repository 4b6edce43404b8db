# SecureBase: `make run` starts the whole platform locally, `make test` runs every test.
# Needs only a JDK >= 21 (found automatically) and network access to Maven Central.
SHELL := /usr/bin/env bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := ./mvnw -B -ntp

.PHONY: help build test run stop status bench format clean helm-template k8s-manifests

help:
	@echo "make run     start Postgres, Kafka and every service; prints the URLs (Ctrl-C or 'make stop' to end)"
	@echo "make test    run every test against a real Postgres and Kafka started by the project"
	@echo "make stop    stop everything 'make run' started"
	@echo "make bench   run the benchmarks and print their figures"
	@echo "make format  apply the enforced Java format"
	@echo "make helm-template  print the Helm chart rendered with its defaults (VALUES=file for more)"
	@echo "make k8s-manifests  regenerate deploy/k8s/securebase.yaml from the chart"

build:
	$(MVN) -DskipTests install

test:
	scripts/test.sh

run:
	scripts/platform.sh run

stop:
	scripts/platform.sh stop

status:
	scripts/platform.sh status

bench:
	scripts/bench.sh

# The chart is rendered by the embedded Helm of helm-java: no helm binary, no cluster.
CHART_RENDER = $(MVN) -q -pl deploy compile dependency:build-classpath -Dspotless.check.skip=true \
	  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime && \
	$(JAVA_HOME)/bin/java --enable-native-access=ALL-UNNAMED \
	  -cp deploy/target/classes:$$(cat deploy/target/classpath.txt) com.securebase.deploy.ChartRender

helm-template:
	@$(CHART_RENDER) $(if $(VALUES),--values $(VALUES))

k8s-manifests:
	@$(CHART_RENDER) --values deploy/k8s/values.yaml --write deploy/k8s/securebase.yaml

format:
	$(MVN) -q -pl '!kafka/broker' spotless:apply

clean: stop
	$(MVN) -q clean
	rm -rf target
