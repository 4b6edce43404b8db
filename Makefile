# SecureBase: `make run` starts the whole platform locally, `make test` runs every test.
# Needs only a JDK >= 21 (found automatically) and network access to Maven Central.
SHELL := /usr/bin/env bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := ./mvnw -B -ntp

.PHONY: help build test run stop status bench format clean

help:
	@echo "make run     start Postgres, Kafka and every service; prints the URLs (Ctrl-C or 'make stop' to end)"
	@echo "make test    run every test against a real Postgres and Kafka started by the project"
	@echo "make stop    stop everything 'make run' started"
	@echo "make bench   run the benchmarks and print their figures"
	@echo "make format  apply the enforced Java format"

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

format:
	$(MVN) -q -pl '!kafka/broker' spotless:apply

clean: stop
	$(MVN) -q clean
	rm -rf target
