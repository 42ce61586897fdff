#!/usr/bin/env bash
# Times the openshell CLI as a user runs it (docs/benchmarks.md, "CLI"): bin/openshell against a
# warm gateway on this host, beside a plain `java -version`. Sandbox commands run against a real
# gateway with the test driver (sandboxes are local processes) started from the CLI's test
# classpath; `gateway start` is timed with the real gateway jar as a daemon, first start (PKI,
# unpacking, AOT cache) apart from warm ones. Everything lives in a temporary HOME, removed at the end.
# Usage: sudo bench/cli-bench.sh [runs]   (root: gateway start checks what the local driver needs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
runs=${1:-20}

./mvnw -B -q -pl openshell-cli -am package -DskipTests
./mvnw -B -q -pl openshell-cli dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=openshell-cli/target/test-classpath.txt >/dev/null

tmp=$(mktemp -d /tmp/openshell-cli-bench.XXXXXX)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME"
gw=""
cleanup() {
  bin/openshell gateway destroy bench-daemon --yes >/dev/null 2>&1 || true
  bin/openshell -g bench sandbox delete bench >/dev/null 2>&1 || true
  [ -n "$gw" ] && { kill "$gw" 2>/dev/null; wait "$gw" 2>/dev/null || true; }
  rm -rf -- "$tmp"
}
trap cleanup EXIT

"$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp \
    "openshell-cli/target/test-classes:openshell-cli/target/classes:$(cat openshell-cli/target/test-classpath.txt)" \
    dev.openshell.cli.support.ProcessDriverGatewayMain "$tmp/gw" >"$tmp/gw.out" 2>"$tmp/gw.err" &
gw=$!
for _ in $(seq 1 240); do
  [ -s "$tmp/gw.out" ] && break
  sleep 0.5
done
url=$(head -1 "$tmp/gw.out")
bundle=$tmp/gw/tls/client
bin/openshell gateway add "$url" --name bench --ca "$bundle/ca.crt" --cert "$bundle/tls.crt" --key "$bundle/tls.key" >/dev/null
bin/openshell sandbox create --name bench --detach -- sleep infinity >/dev/null

# Prints "median p90" in milliseconds of $runs runs of the command (after 3 unmeasured runs).
time_ms() {
  local i start end
  local -a samples=()
  for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    samples+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %d\n", a[int((NR+1)/2)], a[int(NR*0.9+0.5)]}'
}

report() {
  local name=$1
  shift
  printf '%-42s %s\n' "$name" "$(time_ms "$@")"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-42s %s\n' "command" "median_ms p90_ms"
report "java -version" "$JAVA_HOME/bin/java" -version
report "java -Xshare:auto -XX:TieredStopAtLevel=1 -version" "$JAVA_HOME/bin/java" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version
report "openshell --help" bin/openshell --help
report "openshell sandbox list" bin/openshell sandbox list
report "openshell sandbox exec bench -- true" bin/openshell sandbox exec bench -- true
report "openshell --help (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell --help
report "openshell sandbox list (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell sandbox list
report "openshell sandbox exec (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell sandbox exec bench -- true
report "openshell --help (no archive)" env OPENSHELL_AOT=0 OPENSHELL_CDS=0 bin/openshell --help
report "openshell sandbox list (no archive)" env OPENSHELL_AOT=0 OPENSHELL_CDS=0 bin/openshell sandbox list

# gateway start to healthy: the first (PKI, unpacked jar, the gateway's AOT cache) and warm restarts.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
bin/openshell gateway start --name bench-daemon --port "$port" >/dev/null
end=$(date +%s%N)
echo "gateway start, first (PKI + caches)       $(( (end - start) / 1000000 ))"
for i in 1 2 3; do
  bin/openshell gateway stop bench-daemon >/dev/null
  start=$(date +%s%N)
  bin/openshell gateway start --name bench-daemon --port "$port" >/dev/null
  end=$(date +%s%N)
  echo "gateway start, warm $i                       $(( (end - start) / 1000000 ))"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
