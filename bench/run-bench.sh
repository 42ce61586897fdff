#!/usr/bin/env bash
# `openshell run` start-up and output, side by side in one run: each command directly and through
# `bin/openshell run`, and `bin/openshell --version` as the JVM's own floor, in paired rounds
# (round i runs every case once, so a busy moment taxes all of them alike). Prints medians.
#
#   bench/run-bench.sh [ROUNDS]        (default 7; needs root, after ./mvnw -B -q -DskipTests package)
#
# Env: RUN_BENCH_OUT (default target/run-bench: one line per measurement in samples.tsv),
#      OPENSHELL (default bin/openshell of this checkout).
# Figures: wall and CPU (user+sys of everything the case started) per case; for the output cases
# also the wall minus the median of `run -- true`, i.e. what the output itself cost, and the
# rate for `head -c 1G`.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)
rounds=${1:-7}
out=${RUN_BENCH_OUT:-$root/target/run-bench}
openshell=${OPENSHELL:-$root/bin/openshell}
[ "$(id -u)" = 0 ] || { echo "run-bench.sh: needs root (openshell run does)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "run-bench.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
mkdir -p "$out"
samples="$out/samples.tsv"
: >"$samples"

declare -A cases=(
  [version]="$openshell --version >/dev/null"
  [run-true]="$openshell run -- true"
  [direct-seq]="seq 1 1000000 | wc -l >/dev/null"
  [run-seq]="$openshell run -- seq 1 1000000 | wc -l >/dev/null"
  [direct-1g]="head -c 1G /dev/zero | wc -c >/dev/null"
  [run-1g]="$openshell run -- head -c 1G /dev/zero | wc -c >/dev/null"
)
order=(version run-true direct-seq run-seq direct-1g run-1g)

"$openshell" run -- true # the first run of a jar build writes the class-data archive: not measured
for ((i = 1; i <= rounds; i++)); do
  for name in "${order[@]}"; do
    # %e wall, %U+%S CPU of the shell and everything it waited for
    /usr/bin/time -f "$name\t%e\t%U\t%S" -a -o "$samples" bash -c "${cases[$name]}"
  done
done

python3 - "$samples" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_ = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_)))
med = {n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for n, r in rows.items()}
base = med["run-true"][0]
print(f"{'case':<12} {'wall s':>7} {'cpu s':>7} {'wall - run true':>16}   (median of {len(rows['version'])})")
for n in ["version", "run-true", "direct-seq", "run-seq", "direct-1g", "run-1g"]:
    wall, cpu = med[n]
    extra = f"{wall - base:16.3f}" if n.startswith("run-") and n != "run-true" else " " * 16
    print(f"{n:<12} {wall:7.3f} {cpu:7.3f} {extra}")
gib = 1 << 30
print(f"head -c 1G: direct {gib / med['direct-1g'][0] / 1e9:.2f} GB/s; through run"
      f" {gib / max(med['run-1g'][0] - base, 1e-3) / 1e9:.2f} GB/s after start-up"
      f" ({gib / med['run-1g'][0] / 1e9:.2f} GB/s wall)")
print(f"seq 1 1000000: run - run true = {med['run-seq'][0] - base:.3f} s (direct {med['direct-seq'][0]:.3f} s)")
PY
