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

# One reactor run, so the classpath names the modules' own build output (each module writes its own file).
./mvnw -B -q -pl openshell-cli -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt

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
  grep -q '^gateway-url=' "$tmp/gw.out" && break
  sleep 0.5
done
url=$(sed -n 's/^gateway-url=//p' "$tmp/gw.out")
bundle=$tmp/gw/tls/client
bin/openshell gateway add "$url" --name bench --ca "$bundle/ca.crt" --cert "$bundle/tls.crt" --key "$bundle/tls.key" >/dev/null
bin/openshell sandbox create --name bench --detach -- sleep infinity >/dev/null

# Prints "median p90 cpu" in milliseconds over $runs runs of the command (after 3 unmeasured
# runs): wall-clock median and 90th percentile, and the median CPU time (user + system, children
# included), which other load on the machine disturbs far less than the wall clock.
time_ms() {
  local i
  : >"$tmp/samples"
  for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -a -o "$tmp/samples" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
  done
  grep -E '^[0-9.]+ [0-9.]+ [0-9.]+$' "$tmp/samples" >"$tmp/ok" || true
  awk '{print $1 * 1000}' "$tmp/ok" | sort -n >"$tmp/wall"
  awk '{print ($2 + $3) * 1000}' "$tmp/ok" | sort -n >"$tmp/cpu"
  printf '%d %d %d\n' "$(pick 0.5 "$tmp/wall")" "$(pick 0.9 "$tmp/wall")" "$(pick 0.5 "$tmp/cpu")"
}

# The value at quantile $1 of the sorted numbers in file $2.
pick() {
  awk -v q="$1" '{v[NR] = $1} END {i = int(NR * q + 0.5); if (i < 1) i = 1; print v[i]}' "$2"
}

report() {
  local name=$1
  shift
  printf '%-42s %s\n' "$name" "$(time_ms "$@")"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-42s %s\n' "command" "wall_median_ms wall_p90_ms cpu_median_ms"
report "java -version" "$JAVA_HOME/bin/java" -version
report "java -Xshare:auto -XX:TieredStopAtLevel=1 -version" "$JAVA_HOME/bin/java" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version
report "openshell --help" bin/openshell --help
report "openshell sandbox list" bin/openshell sandbox list
report "openshell sandbox exec bench -- true" bin/openshell sandbox exec bench -- true
report "openshell --help (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell --help
report "openshell sandbox list (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell sandbox list
report "openshell sandbox exec (OPENSHELL_AOT=0)" env OPENSHELL_AOT=0 bin/openshell sandbox exec bench -- true

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
