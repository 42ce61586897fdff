#!/usr/bin/env bash
# Benchmarks the local driver through a real gateway's REST API (docs/benchmarks.md, "Local driver"):
# builds the gateway, the supervisor and the bench jar, starts the gateway (--driver local) on a fresh
# data directory and a free port, runs LocalDriverBench, then stops the sandbox host and the gateway
# and removes the data directory. Root (real sandboxes). Usage: bench/local-driver-bench.sh [sandboxes] [execs] [policies]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
sandboxes=${1:-20} execs=${2:-200} policies=${3:-100}

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -pl openshell-gateway,openshell-sandbox-proxy,openshell-bench -am package -DskipTests
data=$(mktemp -d /tmp/openshell-local-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" ${GATEWAY_JAVA_OPTS:-} -jar openshell-gateway/target/openshell-gateway-0.1.0-SNAPSHOT.jar \
    --data-dir "$data" --port "$port" --driver local --logging.level.root=WARN \
    --openshell.gateway.local.sandbox-jar="$PWD/openshell-sandbox-proxy/target/openshell-sandbox.jar" >"$data/stdout" 2>&1 &
gw=$!
cleanup() {
  python3 - "$data/local/host.sock" <<'PY' || true
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'{"op":"shutdown"}\n'); s.recv(4096)
PY
  for _ in $(seq 1 100); do [ -e "$data/local/host.pid" ] || break; sleep 0.2; done
  kill $gw 2>/dev/null; wait $gw 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -skf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
"$JAVA_HOME/bin/java" -cp openshell-bench/target/benchmarks.jar dev.openshell.bench.gateway.LocalDriverBench \
    "https://localhost:$port" "$data/tls/client" "$data/local" "$sandboxes" "$execs" "$policies"
echo "gateway RSS: $(ps -o rss= -p $gw) KiB"
