#!/usr/bin/env bash
# Caller identity figures for docs/benchmarks.md ("Caller identity"). Build first:
#   ./mvnw -B -q -pl openshell-sandbox-proxy,openshell-bench -am package -DskipTests
# CallerIdentityBench (churn and steady resolves), then ResolveCostBench (one full resolve, 200 processes).
# Usage: openshell-sandbox-proxy/bench/caller-identity-bench.sh [WARM-UP] [MEASURED] [STEADY CALLS]
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd -P)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp="$root/openshell-sandbox-proxy/target/openshell-sandbox.jar:$root/openshell-bench/target/classes"

"$java" -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
  -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -Dslf4j.internal.verbosity=WARN \
  -cp "$cp" dev.openshell.bench.identity.CallerIdentityBench "${1:-10000}" "${2:-10000}" "${3:-20000}"
"$java" --enable-native-access=ALL-UNNAMED \
  -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -Dslf4j.internal.verbosity=WARN \
  -cp "$cp" dev.openshell.bench.identity.ResolveCostBench 200 500
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
