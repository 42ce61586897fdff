#!/usr/bin/env bash
# Egress proxy benchmark (issue 3): our proxy, Squid, tinyproxy and a direct baseline, side by
# side in one run of the harness in bench/harness (proxy-bench.py), then the L7 client
# (bench/l7-bench.py). Needs root (adds 10.99.0.1/32 to lo: the proxy never connects to loopback).
#
#   bench/proxy-bench.sh [extra proxy-bench.py arguments, e.g. --rounds 3]
#
# Env: PROXY_BENCH_OUT (default target/proxy-bench), PROXY_BENCH_DIR (the harness;
#      default bench/harness of this checkout), SKIP_BUILD=1 (reuse the last build), SKIP_L7=1,
#      SKIP_HARNESS=1, JAVA_HOME (Java 25), PROXY_JAVA_OPTS (JVM flags for the proxy; default none),
#      IO_THREADS (proxy event loops; default the proxy's own default, 1), PROXY_PORT (default 13129),
#      WARMUP_SECONDS (default 60; 0 skips), L7_ARGS (extra bench/l7-bench.py arguments),
#      TW_REUSE (net.ipv4.tcp_tw_reuse during the run, restored after; default 1; "keep" leaves it),
#      FLOOR (default 1: also measure bench/floor-proxy.c, a CONNECT relay that checks nothing, as
#      this machine's floor for what any proxy adds; 0 leaves it out; needs cc).
# Why TW_REUSE=1: the upstream is 10.99.0.1 (the proxy never connects to loopback), and the kernel's
# default (2) lets connect() reuse TIME_WAIT ports only for loopback addresses. The rate test leaves
# tens of thousands of TIME_WAIT sockets towards the one upstream port, so without it every target's
# connect() searches the port range and the rate swings ~10x between rounds (session 2). With 1, the
# 10.99.0.1 leg behaves as the 127.0.0.1 upstream the harness's reference figures came from;
# it applies to every target (Squid, tinyproxy, direct, ours) alike.
# The proxy runs as in a sandbox: caller identity scoped to the client's process tree, every decision
# written to a JSON-lines decision log. Before the measured run the proxy JVM is warmed up for
# WARMUP_SECONDS with the harness's own tests against it alone (the JIT compiles the hot paths: a
# supervisor JVM serving sandboxes is long-running), then the TIME_WAIT sockets of the warm-up are
# left to expire (60 s) so they do not tax the first measured target.
# Writes PROXY_BENCH_OUT/harness.json, harness.txt, l7.json, l7.txt, proxy.log, uptime.txt.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)
out=${PROXY_BENCH_OUT:-$root/target/proxy-bench}
extra=("$@")

# The side-by-side harness ships with the repository (bench/harness); PROXY_BENCH_DIR picks another.
harness=${PROXY_BENCH_DIR:-$root/bench/harness}
[ -f "$harness/proxy-bench.py" ] || harness=""
[ -n "$harness" ] || { echo "proxy-bench.sh: harness not found in bench/harness; set PROXY_BENCH_DIR" >&2; exit 2; }

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "proxy-bench.sh: needs root (ip addr add on lo)" >&2; exit 2; }
upstream_ip=10.99.0.1
proxy_port=${PROXY_PORT:-13129}
mkdir -p "$out"
rm -f "$out"/decisions.jsonl*
run=$(mktemp -d "${TMPDIR:-/tmp}/openshell-proxy-bench.XXXXXX")

for bin in squid tinyproxy; do
  command -v "$bin" >/dev/null || { echo "installing squid tinyproxy" >&2; { apt-get update -qq && apt-get install -y squid tinyproxy; } >/dev/null; break; }
done

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -B -q -pl openshell-sandbox-proxy -am -DskipTests package dependency:build-classpath \
     -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt)
fi
classpath="$root/openshell-sandbox-proxy/target/classes:$(cat "$root/openshell-sandbox-proxy/target/runtime-classpath.txt")"

proxy_pid="" floor_pid="" added_ip=0 anchors=0 tw_before=""
cleanup() {
  [ -n "$floor_pid" ] && kill "$floor_pid" 2>/dev/null && wait "$floor_pid" 2>/dev/null || true
  [ -n "$tw_before" ] && sysctl -qw "net.ipv4.tcp_tw_reuse=$tw_before" || true
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null || true
  [ "$anchors" = 1 ] && "$harness/run-anchors.sh" stop >/dev/null || true
  [ "$added_ip" = 1 ] && ip addr del "$upstream_ip/32" dev lo 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

tw_reuse=${TW_REUSE:-1}
if [ "$tw_reuse" != keep ]; then
  tw_before=$(cat /proc/sys/net/ipv4/tcp_tw_reuse)
  sysctl -qw "net.ipv4.tcp_tw_reuse=$tw_reuse"
fi
if ! ip -o addr show dev lo | grep -q " $upstream_ip/32"; then
  ip addr add "$upstream_ip/32" dev lo
  added_ip=1
fi
"$harness/run-anchors.sh" start >&2
anchors=1

# The upstream ports are ephemeral (the harness picks them), and a policy lists ports one by one:
# allow the whole local port range, for the harness's python and nothing else.
# (the real binary: python3 on PATH may be a wrapper script, e.g. pyenv's shim)
python=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$run/l7-upstream.key" \
  -out "$run/l7-upstream.pem" -days 2 -subj "/CN=$upstream_ip" -addext "subjectAltName=IP:$upstream_ip" \
  >/dev/null 2>&1
{
  echo "version: 1"
  echo "network_policies:"
  echo "  bench_l4:"
  echo "    endpoints:"
  echo "      - host: $upstream_ip"
  printf '        ports: [%s]\n' "$(seq -s, "$lo" "$hi"),28444"
  echo "        allowed_ips: [$upstream_ip/32]"
  echo "    binaries: [{ path: $python }]"
  echo "  bench_l7:"
  echo "    endpoints:"
  echo "      - { host: $upstream_ip, port: 28443, protocol: rest, access: read-only, allowed_ips: [$upstream_ip/32] }"
  echo "    binaries: [{ path: $python }]"
} > "$run/policy.yaml"

# Callers are identified within the tree of the client run; its pid is written just before exec.
scope="$run/scope.pid"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PROXY_JAVA_OPTS:-} -cp "$classpath" dev.openshell.sandbox.proxy.ProxyMain \
  --listen "127.0.0.1:$proxy_port" --policy "$run/policy.yaml" --trust-dir "$run/trust" \
  --extra-ca "$run/l7-upstream.pem" --scope-pid-file "$scope" --decision-log "$out/decisions.jsonl" \
  ${IO_THREADS:+--io-threads "$IO_THREADS"} > "$out/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 300); do grep -q '^listening' "$out/proxy.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$out/proxy.log" || { cat "$out/proxy.log" >&2; exit 1; }
echo "openshell proxy: $(head -1 "$out/proxy.log")" >&2

floor_args=()
if [ "${FLOOR:-1}" = 1 ]; then
  cc -O2 -pthread -o "$run/floor-proxy" "$root/bench/floor-proxy.c"
  floor_port=$((proxy_port + 1))
  "$run/floor-proxy" 127.0.0.1 "$floor_port" &
  floor_pid=$!
  floor_args=(--proxy "floor=127.0.0.1:$floor_port" --pid "floor=$floor_pid")
fi

# Runs "$@" as the caller tree's root: writes its own pid to the scope file, then execs.
as_scope_root() { sh -c 'echo $$ > "$0"; exec "$@"' "$scope" "$@"; }

warmup=${WARMUP_SECONDS:-60}
if [ "$warmup" -gt 0 ]; then
  echo "warming up the proxy JVM for ${warmup} s (harness tests against it alone; results discarded)" >&2
  end=$((SECONDS + warmup))
  while [ "$SECONDS" -lt "$end" ]; do
    as_scope_root "$python" "$harness/proxy-bench.py" --proxy "openshell=127.0.0.1:$proxy_port" --no-direct \
      --upstream-host "$upstream_ip" --tls --tests latency,rate,forward --rounds 1 --iters 500 --tls-iters 50 \
      --bulk-mib 64 --duration 5 --no-warmup-pass >/dev/null 2>&1 || true
  done
  echo "letting the warm-up's TIME_WAIT sockets expire (60 s)" >&2
  sleep 60
fi
{ echo "before: $(uptime)"; echo "net.ipv4.tcp_tw_reuse=$(cat /proc/sys/net/ipv4/tcp_tw_reuse)"; } > "$out/uptime.txt"
if [ "${SKIP_HARNESS:-0}" != 1 ]; then
  # shellcheck disable=SC2046 # run-anchors.sh args is a word list on purpose
  as_scope_root "$python" "$harness/proxy-bench.py" $("$harness/run-anchors.sh" args) \
    --proxy "openshell=127.0.0.1:$proxy_port" --pid "openshell=$proxy_pid" "${floor_args[@]}" \
    --upstream-host "$upstream_ip" --tls --json "$out/harness.json" \
    --note "openshell proxy: ProxyMain, identity scoped to the harness tree, policy for $python" \
    "${extra[@]}" | tee "$out/harness.txt"
  echo "after harness: $(uptime)" >> "$out/uptime.txt"
fi
if [ "${SKIP_L7:-0}" != 1 ]; then
  as_scope_root "$python" "$root/bench/l7-bench.py" --proxy "127.0.0.1:$proxy_port" --proxy-pid "$proxy_pid" \
    --upstream-host "$upstream_ip" --l7-port 28443 --l4-port 28444 --cert "$run/l7-upstream.pem" \
    --key "$run/l7-upstream.key" --sandbox-ca "$run/trust/ca.pem" --json "$out/l7.json" ${L7_ARGS:-} | tee "$out/l7.txt"
  echo "after l7: $(uptime)" >> "$out/uptime.txt"
fi
cat "$out/uptime.txt"
echo "decision log: $(cat "$out"/decisions.jsonl* | wc -l) lines in $out/decisions.jsonl*"
