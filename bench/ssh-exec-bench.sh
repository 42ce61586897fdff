#!/usr/bin/env bash
# Output through a sandbox's SSH exec path: one sandbox (the supervisor's own SSH server, MINA sshd)
# and a stock OpenSSH client running `true`, `seq 1 1000000` and `head -c 1G /dev/zero` in it, in
# paired rounds next to the same commands run directly. Prints medians: wall per case, the output's
# cost (wall minus `ssh ... true`) and the rate of `head -c 1G`.
#
#   bench/ssh-exec-bench.sh [ROUNDS]     (default 5; needs root and ssh, after ./mvnw -B -q -DskipTests package)
#
# Env: SSH_BENCH_OUT (default target/ssh-bench: samples.tsv, the sandbox's log), JAVA (default
# $JAVA_HOME/bin/java, else /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)
rounds=${1:-5}
out=${SSH_BENCH_OUT:-$root/target/ssh-bench}
java=${JAVA:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}
jar="$root/openshell-sandbox-proxy/target/openshell-sandbox.jar"
[ "$(id -u)" = 0 ] || { echo "ssh-exec-bench.sh: needs root (sandboxes do)" >&2; exit 2; }
command -v ssh >/dev/null || { echo "ssh-exec-bench.sh: needs ssh (apt-get install -y openssh-client)" >&2; exit 2; }
[ -f "$jar" ] || { echo "ssh-exec-bench.sh: $jar is missing: ./mvnw -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$out"
samples="$out/samples.tsv"
: >"$samples"

id="sshbench-$$"
state="/run/openshell/sandboxes/$id"
spec="$out/spec.json"
printf '{"id": "%s", "command": ["sleep", "infinity"], "ssh": true}\n' "$id" >"$spec"
"$java" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -jar "$jar" run --spec "$spec" \
  >"$out/supervisor.log" 2>&1 &
supervisor=$!
stop() {
  kill -TERM "$supervisor" 2>/dev/null || true
  wait "$supervisor" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 300); do
  [ -s "$state/ssh/ssh_config" ] && break
  kill -0 "$supervisor" 2>/dev/null || { cat "$out/supervisor.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$state/ssh/ssh_config" ] || { echo "ssh-exec-bench.sh: the sandbox did not start" >&2; exit 1; }
cp "$state/ssh/ssh_config" "$out/ssh_config"
alias="openshell-$id"
ssh_cmd="ssh -F $out/ssh_config -o LogLevel=ERROR $alias"

declare -A cases=(
  [ssh-true]="$ssh_cmd true"
  [direct-seq]="seq 1 1000000 | wc -l >/dev/null"
  [ssh-seq]="$ssh_cmd 'seq 1 1000000' | wc -l >/dev/null"
  [direct-1g]="head -c 1G /dev/zero | wc -c >/dev/null"
  [ssh-1g]="$ssh_cmd 'head -c 1G /dev/zero' | wc -c >/dev/null"
)
order=(ssh-true direct-seq ssh-seq direct-1g ssh-1g)

# One unmeasured round: the server's first session loads its classes and warms its code.
bash -c "${cases[ssh-1g]}"
# Each case must produce what it should, or the figures are of a failure.
[ "$($ssh_cmd 'seq 1 1000000' | wc -l)" = 1000000 ] || { echo "ssh-exec-bench.sh: seq output incomplete" >&2; exit 1; }
for ((i = 1; i <= rounds; i++)); do
  for name in "${order[@]}"; do
    start=$(date +%s.%N)
    bash -c "${cases[$name]}"
    end=$(date +%s.%N)
    printf '%s\t%s\n' "$name" "$(echo "$end - $start" | bc)" >>"$samples"
  done
done

python3 - "$samples" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append(float(wall))
med = {n: statistics.median(w) for n, w in rows.items()}
base = med["ssh-true"]
print(f"{'case':<12} {'wall s':>7} {'wall - ssh true':>16}   (median of {len(rows['ssh-true'])})")
for n in ["ssh-true", "direct-seq", "ssh-seq", "direct-1g", "ssh-1g"]:
    extra = f"{med[n] - base:16.3f}" if n.startswith("ssh-") and n != "ssh-true" else " " * 16
    print(f"{n:<12} {med[n]:7.3f} {extra}")
gib = 1 << 30
print(f"head -c 1G over ssh exec: {gib / max(med['ssh-1g'] - base, 1e-3) / 1e9:.2f} GB/s after the session's set-up"
      f" ({gib / med['ssh-1g'] / 1e9:.2f} GB/s wall; direct {gib / med['direct-1g'] / 1e9:.2f} GB/s)")
print(f"seq 1 1000000 over ssh exec: ssh seq - ssh true = {med['ssh-seq'] - base:.3f} s (direct {med['direct-seq']:.3f} s)")
PY
