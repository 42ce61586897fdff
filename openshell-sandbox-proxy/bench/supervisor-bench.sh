#!/usr/bin/env bash
# Supervisor figures for docs/benchmarks.md (root). Build first:
#   ./mvnw -B -q -pl openshell-cli,openshell-bench -am package -DskipTests   (openshell-sandbox.jar, openshell.jar, the benchmark)
# Usage: openshell-sandbox-proxy/bench/supervisor-bench.sh [SANDBOXES] [EXECS]
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd -P)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
module="$root/openshell-sandbox-proxy"
cp="$module/target/openshell-sandbox.jar:$root/openshell-bench/target/classes"

echo "== one JVM hosting ${1:-20} sandboxes (SupervisorBenchmark, default JVM flags)"
"$java" --enable-native-access=ALL-UNNAMED -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider \
  -Dslf4j.internal.verbosity=WARN -cp "$cp" dev.openshell.bench.supervisor.SupervisorBenchmark "${1:-20}" "${2:-50}"

echo "== openshell run (a JVM per sandbox, bin/openshell flags): wall time of 'run -- true', 5 runs"
"$root/bin/openshell" run -- true >/dev/null 2>&1 || true   # first run writes the class-data archive
for i in 1 2 3 4 5; do
  s=$(date +%s%N); "$root/bin/openshell" run -- true; e=$(date +%s%N)
  echo "run $i: $(( (e - s) / 1000000 )) ms"
done

echo "== openshell run: time to the agent's first instruction and the JVM's RSS while it runs"
for i in 1 2 3; do
  s=$(date +%s%N)
  "$root/bin/openshell" run -- sh -c 'date +%s%N; exec sleep 4' > /tmp/osh-bench-first.$$ &
  launcher=$!
  sleep 3
  pid=$(pgrep -n -f 'openshell.jar run -- sh -c date' || true)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo "?")
  wait "$launcher" || true
  first=$(head -1 /tmp/osh-bench-first.$$)
  echo "run $i: first instruction after $(( (first - s) / 1000000 )) ms; JVM RSS ${rss} MB"
done
rm -f /tmp/osh-bench-first.$$
