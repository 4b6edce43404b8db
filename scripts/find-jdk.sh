#!/usr/bin/env bash
# Prints a JAVA_HOME whose JDK is 21 or newer: $JAVA_HOME if it qualifies, else the
# java on PATH, else the newest JDK under /usr/lib/jvm (Debian) or /usr/local/*jdk*.
set -euo pipefail

major() { # major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1 || echo 0
}
home_of() { dirname "$(dirname "$(readlink -f "$1")")"; }

candidates=()
[[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]] && candidates+=("$JAVA_HOME/bin/java")
command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
for j in /usr/lib/jvm/*/bin/java /usr/local/*jdk*/bin/java /opt/*jdk*/bin/java; do
  [[ -x $j ]] && candidates+=("$j")
done

best="" best_major=0
for j in "${candidates[@]}"; do
  m=$(major "$j")
  [[ $m =~ ^[0-9]+$ ]] || continue
  # An explicit JAVA_HOME that qualifies wins; otherwise take the newest.
  if ((m >= 21)) && [[ -n ${JAVA_HOME:-} && $j == "$JAVA_HOME/bin/java" ]]; then best=$j; break; fi
  if ((m > best_major)); then best=$j best_major=$m; fi
done

if [[ -z $best ]] || (( $(major "$best") < 21 )); then
  echo "No JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+." >&2
  exit 1
fi
home_of "$best"
