#!/usr/bin/env bash
# Benchmarks a real gateway through its REST API (docs/benchmarks.md, "Gateway"; records only: --driver
# none, so the seeded sandboxes run nowhere and end in Error): builds the gateway
# and the bench jar, starts the gateway on a fresh data directory and a free port, seeds 1,000
# sandbox records, times list and get, then holds 500 req/s of get/list for 30 s. Stops the gateway
# and removes the data directory at the end. Usage: bench/gateway-bench.sh [records] [rate] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
records=${1:-1000} rate=${2:-500} seconds=${3:-30}

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -pl openshell-gateway,openshell-bench -am package -DskipTests
data=$(mktemp -d /tmp/openshell-gateway-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" ${GATEWAY_JAVA_OPTS:-} -jar openshell-gateway/target/openshell-gateway-0.1.0-SNAPSHOT.jar \
    --data-dir "$data" --port "$port" --driver none --logging.level.root=WARN >"$data/stdout" 2>&1 &
gw=$!
trap 'kill $gw 2>/dev/null; wait $gw 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -skf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
"$JAVA_HOME/bin/java" -cp openshell-bench/target/benchmarks.jar dev.openshell.bench.gateway.GatewayRestBench \
    "https://localhost:$port" "$data/tls/client" "$records" "$rate" "$seconds" "$gw"
echo "gateway RSS: $(ps -o rss= -p $gw) KiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
