#!/usr/bin/env bash
# Egress proxy benchmark: our proxy (ProxyMain, run as in a sandbox) beside Squid, tinyproxy, a C
# floor proxy (bench/floor-proxy.c: a relay that checks nothing) and a direct baseline, then the L7
# path (bench/l7-bench.py). Root; works from a fresh clone (installs Squid and tinyproxy from Debian's
# packages when missing). About 9 minutes on 2 cores, 2 of them warming up our JVM.
#
#   bench/proxy-bench.sh [--help] [proxy-bench.py arguments, e.g. --rounds 3]
#
# Env (defaults in brackets):
#   PROXY_BENCH_OUT  output directory [target/proxy-bench]: harness.json/.txt, l7.json/.txt,
#                    proxy.log, decisions.jsonl, uptime.txt
#   SKIP_BUILD=1     reuse the last build of openshell-sandbox-proxy      JAVA_HOME [temurin 25]
#   SKIP_HARNESS=1   leave out the side-by-side run     SKIP_L7=1   leave out bench/l7-bench.py
#   WARMUP_SECONDS   JIT warm-up of our proxy before measuring [60; 0 skips]
#   TW_SETTLE_SECONDS  wait after the warm-up for its TIME_WAIT sockets to expire [60]
#   TW_REUSE         net.ipv4.tcp_tw_reuse during the run, restored after [1; "keep" leaves it]
#   FLOOR            1: also measure bench/floor-proxy.c (needs cc) [1]
#   HARNESS_TLS      1: add the TLS tests (tls-latency, tls-bulk) to the side-by-side run [1]
#   BASELINE_CLASSPATH  also run ProxyMain from this class path (another build of the proxy, e.g.
#                    the previous commit's) as target "baseline", with the same policy, settings and
#                    warm-up, on PROXY_PORT + 2: an A/B comparison within one run [none]
#   PROXY_JAVA_OPTS  JVM flags for our proxy [none]      IO_THREADS  its event loops [its default, 1]
#   PROXY_PORT [13129] (floor: +1), SQUID_PORT [13128], TINYPROXY_PORT [18888]
#   L7_ARGS          extra bench/l7-bench.py arguments
#
# The upstream servers live in a network namespace of their own (osh-bench-up), at 10.99.0.1 on its
# loopback, reached from the host over a veth pair (10.99.1.0/30) and a host route: our proxy refuses
# every address of the host itself, so the upstream cannot sit on one. Every target (direct, Squid,
# tinyproxy, floor, ours) connects to that same address; the proxies listen on 127.0.0.1.
#
# Why TW_REUSE=1: the kernel's default (2) lets connect() reuse a TIME_WAIT port only towards
# loopback, and the upstream leg is not loopback. The rate test leaves tens of thousands of TIME_WAIT
# sockets towards the one upstream port, so without reuse every target's connect() searches the port
# range and the rate swings ~10x between rounds. It is set in the host's namespace, where every
# connect() to the upstream is made, and applies to all targets alike.
#
# Our proxy runs as in a sandbox: callers identified by procfs within the client's process tree
# (--scope-pid-file: each client runs as `sh -c 'echo $$ > F; exec python3 ...'`), every decision
# written to a JSON-lines decision log, its JIT warmed up first (a supervisor JVM is long-running).
# Everything the script sets up (namespace, veth, route, processes, sysctl, temp files) is undone
# on exit, on Ctrl-C and on failure; a run killed with SIGKILL is cleaned up by the next one.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
case "${1:-}" in -h | --help) usage; exit 0 ;; esac

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)
out=${PROXY_BENCH_OUT:-$root/target/proxy-bench}
extra=("$@")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
proxy_port=${PROXY_PORT:-13129}
floor_port=$((proxy_port + 1))
squid_port=${SQUID_PORT:-13128}
tinyproxy_port=${TINYPROXY_PORT:-18888}
netns=osh-bench-up host_veth=osb-up-h ns_veth=osb-up-n
transit_host=10.99.1.1 transit_ns=10.99.1.2 upstream_ip=10.99.0.1
state=/run/osh-proxy-bench  # owner pid, saved sysctl, pids: so a run killed hard is undone by the next

die() { echo "proxy-bench.sh: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (network namespace, veth, route, sysctl)"
for tool in ip openssl; do command -v "$tool" >/dev/null || die "needs $tool"; done
python=$(python3 -c 'import os, sys; assert sys.version_info >= (3, 11); print(os.path.realpath(sys.executable))') ||
  die "needs python3 3.11 or newer"
# the real binary (python3 on PATH may be a wrapper script): the policy names it
[ "${FLOOR:-1}" != 1 ] || command -v cc >/dev/null || die "FLOOR=1 needs cc (or set FLOOR=0)"
if ! command -v squid >/dev/null || ! command -v tinyproxy >/dev/null; then
  echo "installing squid and tinyproxy (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q squid tinyproxy >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q squid tinyproxy >/dev/null; }
fi

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 150); do port_taken "$1" && return 0; sleep 0.1; done; return 1; }

# --- undo everything, also what a run killed with SIGKILL left behind ---------------------------
stop_pid() { # pid expected-comm-prefix
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [[ $(cat "/proc/$pid/comm") == "$2"* ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
undo() {
  set +e
  if [ -f "$state/pids" ]; then
    while read -r comm pid; do stop_pid "$pid" "$comm"; done < "$state/pids"
  fi
  if ip netns list | grep -qw "^$netns"; then
    for pid in $(ip netns pids "$netns"); do kill "$pid" 2>/dev/null; done # upstreams of a killed client
    sleep 0.2
    for pid in $(ip netns pids "$netns"); do kill -KILL "$pid" 2>/dev/null; done
  fi
  ip route del "$upstream_ip/32" via "$transit_ns" 2>/dev/null
  ip netns delete "$netns" 2>/dev/null # takes its veth end, so the host's end and the route go too
  ip link delete "$host_veth" 2>/dev/null
  [ -f "$state/tcp_tw_reuse" ] && sysctl -qw "net.ipv4.tcp_tw_reuse=$(cat "$state/tcp_tw_reuse")"
  [ -n "${run:-}" ] && rm -rf "$run"
  [ -f "$state/run" ] && rm -rf "$(cat "$state/run")"
  rm -rf "$state"
}
if [ -f "$state/owner" ]; then
  owner=$(cat "$state/owner")
  if kill -0 "$owner" 2>/dev/null; then die "another proxy benchmark is running (pid $owner)"; fi
  echo "cleaning up after an earlier run that did not finish (pid $owner)" >&2
  undo
fi
mkdir -p "$state"
echo $$ > "$state/owner"
run=""
trap undo EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
remember() { echo "$1 $2" >> "$state/pids"; } # comm pid

# --- build ----------------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building openshell-sandbox-proxy" >&2
  (cd "$root" && ./mvnw -B -q -pl openshell-sandbox-proxy -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt)
fi
[ -f "$root/openshell-sandbox-proxy/target/runtime-classpath.txt" ] || die "no build found; run without SKIP_BUILD=1"
classpath="$root/openshell-sandbox-proxy/target/classes:$(cat "$root/openshell-sandbox-proxy/target/runtime-classpath.txt")"

for p in "$proxy_port" "$squid_port" "$tinyproxy_port" $([ "${FLOOR:-1}" = 1 ] && echo "$floor_port"); do
  port_taken "$p" && die "127.0.0.1:$p is already in use (set PROXY_PORT, SQUID_PORT, TINYPROXY_PORT)"
done
mkdir -p "$out"
rm -f "$out"/decisions*.jsonl* "$out"/harness.* "$out"/l7.* "$out"/uptime.txt
run=$(mktemp -d "${TMPDIR:-/tmp}/openshell-proxy-bench.XXXXXX")
echo "$run" > "$state/run"
chmod 711 "$run" # Squid and tinyproxy drop to their own users and write in their subdirectories

# --- the upstream's namespace ---------------------------------------------------------------------
ip netns add "$netns"
ip link add "$host_veth" type veth peer name "$ns_veth"
ip link set "$ns_veth" netns "$netns"
ip addr add "$transit_host/30" dev "$host_veth"
ip link set "$host_veth" up
ip -n "$netns" link set lo up
ip -n "$netns" addr add "$transit_ns/30" dev "$ns_veth"
ip -n "$netns" link set "$ns_veth" up
ip -n "$netns" route add default via "$transit_host"
ip -n "$netns" addr add "$upstream_ip/32" dev lo
ip route add "$upstream_ip/32" via "$transit_ns" dev "$host_veth"

tw_reuse=${TW_REUSE:-1}
if [ "$tw_reuse" != keep ]; then
  cat /proc/sys/net/ipv4/tcp_tw_reuse > "$state/tcp_tw_reuse"
  sysctl -qw "net.ipv4.tcp_tw_reuse=$tw_reuse"
fi

# --- the upstream's certificate and our proxy's policy --------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$run/upstream.key" \
  -out "$run/upstream.pem" -days 2 -subj "/CN=$upstream_ip" -addext "subjectAltName=IP:$upstream_ip" \
  >/dev/null 2>&1
# harness upstream: 8080 (HTTP) and 8443 (TLS); L7 client's upstream: 28443 (inspected), 28444 (raw)
cat > "$run/policy.yaml" <<EOF
version: 1
network_policies:
  bench_l4:
    endpoints:
      - { host: $upstream_ip, ports: [8080, 8443, 28444], allowed_ips: [$upstream_ip/32] }
    binaries: [{ path: $python }]
  bench_l7:
    endpoints:
      - { host: $upstream_ip, port: 28443, protocol: rest, access: read-only, allowed_ips: [$upstream_ip/32] }
    binaries: [{ path: $python }]
EOF

# --- the anchors ----------------------------------------------------------------------------------
render() { sed -e "s|@DIR@|$run|g" -e "s|@PORT@|$2|g" "$root/bench/anchors/$1.conf.in" > "$run/$1.conf"; }
mkdir -p "$run/squid" "$run/tinyproxy"
chown proxy:proxy "$run/squid"
chown nobody:nogroup "$run/tinyproxy"
render squid "$squid_port"
squid -k parse -f "$run/squid.conf" > "$run/squid/parse.log" 2>&1 || { cat "$run/squid/parse.log" >&2; exit 1; }
squid -N -f "$run/squid.conf" > "$run/squid/stdout.log" 2>&1 &
squid_pid=$!
remember squid "$squid_pid"
render tinyproxy "$tinyproxy_port"
tinyproxy -d -c "$run/tinyproxy.conf" > "$run/tinyproxy/stdout.log" 2>&1 &
tinyproxy_pid=$!
remember tinyproxy "$tinyproxy_pid"
wait_port "$squid_port" || { cat "$run/squid/cache.log" >&2; die "squid did not start"; }
wait_port "$tinyproxy_port" || { cat "$run/tinyproxy/"*.log >&2; die "tinyproxy did not start"; }

# --- our proxy, as in a sandbox -------------------------------------------------------------------
scope="$run/scope.pid"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PROXY_JAVA_OPTS:-} -cp "$classpath" \
  dev.openshell.sandbox.proxy.ProxyMain --listen "127.0.0.1:$proxy_port" --policy "$run/policy.yaml" \
  --trust-dir "$run/trust" --extra-ca "$run/upstream.pem" --scope-pid-file "$scope" \
  --decision-log "$out/decisions.jsonl" ${IO_THREADS:+--io-threads "$IO_THREADS"} > "$out/proxy.log" 2>&1 &
proxy_pid=$!
remember java "$proxy_pid"
for _ in $(seq 300); do grep -q '^listening' "$out/proxy.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$out/proxy.log" || { cat "$out/proxy.log" >&2; die "our proxy did not start"; }
echo "openshell proxy: $(grep "^listening" "$out/proxy.log")" >&2

warm_targets=(--proxy "openshell=127.0.0.1:$proxy_port")
if [ -n "${BASELINE_CLASSPATH:-}" ]; then
  baseline_port=$((proxy_port + 2))
  port_taken "$baseline_port" && die "127.0.0.1:$baseline_port is already in use (set PROXY_PORT)"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PROXY_JAVA_OPTS:-} -cp "$BASELINE_CLASSPATH" \
    dev.openshell.sandbox.proxy.ProxyMain --listen "127.0.0.1:$baseline_port" --policy "$run/policy.yaml" \
    --trust-dir "$run/trust-baseline" --extra-ca "$run/upstream.pem" --scope-pid-file "$scope" \
    --decision-log "$out/decisions-baseline.jsonl" ${IO_THREADS:+--io-threads "$IO_THREADS"} > "$out/proxy-baseline.log" 2>&1 &
  baseline_pid=$!
  remember java "$baseline_pid"
  for _ in $(seq 300); do grep -q '^listening' "$out/proxy-baseline.log" 2>/dev/null && break; sleep 0.1; done
  grep -q '^listening' "$out/proxy-baseline.log" || { cat "$out/proxy-baseline.log" >&2; die "the baseline proxy did not start"; }
  echo "baseline proxy: $(grep "^listening" "$out/proxy-baseline.log")" >&2
  warm_targets+=(--proxy "baseline=127.0.0.1:$baseline_port")
fi

targets=(--proxy "openshell=127.0.0.1:$proxy_port" --pid "openshell=$proxy_pid"
  --proxy "squid=127.0.0.1:$squid_port" --pid "squid=$squid_pid"
  --proxy "tinyproxy=127.0.0.1:$tinyproxy_port" --pid "tinyproxy=$tinyproxy_pid")
[ -n "${baseline_pid:-}" ] && targets+=(--proxy "baseline=127.0.0.1:$baseline_port" --pid "baseline=$baseline_pid")
if [ "${FLOOR:-1}" = 1 ]; then
  cc -O2 -pthread -o "$run/floor-proxy" "$root/bench/floor-proxy.c"
  "$run/floor-proxy" 127.0.0.1 "$floor_port" &
  floor_pid=$!
  remember floor-proxy "$floor_pid"
  wait_port "$floor_port" || die "floor-proxy did not start"
  targets+=(--proxy "floor=127.0.0.1:$floor_port" --pid "floor=$floor_pid")
fi

# Runs "$@" as the root of the caller tree our proxy admits: writes its own pid, then execs.
as_scope_root() { sh -c 'echo $$ > "$0"; exec "$@"' "$scope" "$@"; }
bench=("$python" "$root/bench/proxy-bench.py" --upstream-host "$upstream_ip" --netns "$netns"
  --cert "$run/upstream.pem" --key "$run/upstream.key")

warmup=${WARMUP_SECONDS:-60}
if [ "$warmup" -gt 0 ]; then
  echo "warming up our proxy's JVM for $warmup s (the harness against it alone; results thrown away)" >&2
  end=$((SECONDS + warmup))
  while [ "$SECONDS" -lt "$end" ]; do
    as_scope_root "${bench[@]}" "${warm_targets[@]}" --no-direct --quiet \
      --tests latency,rate,forward,tls-latency --rounds 1 --iters 500 --tls-iters 50 --duration 5 --no-warmup-pass
  done
  settle=${TW_SETTLE_SECONDS:-60}
  echo "letting the warm-up's TIME_WAIT sockets expire ($settle s)" >&2
  sleep "$settle"
fi

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "versions: $(squid -v | head -1); $(tinyproxy -v); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); python $("$python" -V 2>&1)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "net.ipv4.tcp_tw_reuse=$(cat /proc/sys/net/ipv4/tcp_tw_reuse)"
  echo "before: $(uptime)"
} > "$out/uptime.txt"
if [ "${SKIP_HARNESS:-0}" != 1 ]; then
  as_scope_root "${bench[@]}" "${targets[@]}" $([ "${HARNESS_TLS:-1}" = 1 ] && echo --tls) --compare openshell:squid --json "$out/harness.json" \
    --note "openshell: ProxyMain, identity scoped to the harness tree, decision log, policy for $python" \
    "${extra[@]}" | tee "$out/harness.txt"
  echo "after harness: $(uptime)" >> "$out/uptime.txt"
fi
if [ "${SKIP_L7:-0}" != 1 ]; then
  # shellcheck disable=SC2086 # L7_ARGS is a word list on purpose
  as_scope_root "$python" "$root/bench/l7-bench.py" --proxy "127.0.0.1:$proxy_port" --proxy-pid "$proxy_pid" \
    --upstream-host "$upstream_ip" --netns "$netns" --l7-port 28443 --l4-port 28444 --cert "$run/upstream.pem" \
    --key "$run/upstream.key" --sandbox-ca "$run/trust/ca.pem" --json "$out/l7.json" ${L7_ARGS:-} | tee "$out/l7.txt"
  echo "after l7: $(uptime)" >> "$out/uptime.txt"
fi
cat "$out/uptime.txt"
echo "decision log: $(cat "$out"/decisions.jsonl* | wc -l) lines in $out/decisions.jsonl*"
