#!/usr/bin/env bash
# Side-by-side CosignLoad of two builds on this shared machine (docs/perf-cosign.md): runs A and B
# alternately (A B B A A B ...), same arguments, and prints each run and the B/A ratios of the
# medians of co-signs/s and of CPU per co-sign. Usage:
#   perf/cosign-ab.sh A.jar B.jar ROUNDS [CosignLoad args...]
set -euo pipefail
a=$1 b=$2 rounds=$3; shift 3
args=("$@")
out=$(mktemp -d)
run() { # jar label
  java -cp "$1" io.gmgate.perf.cosign.CosignLoad "${args[@]}" 2>/dev/null \
    | grep -E '^(co-signs|CPU|PostgreSQL per)' > "$out/run" || true
  local rate node pg cli
  rate=$(sed -n 's/^co-signs: [0-9]* in [0-9]* s = \([0-9]*\) .*/\1/p' "$out/run")
  node=$(sed -n 's/^CPU per co-sign: cosign node \([0-9.]*\) ms, PostgreSQL \([0-9.]*\) ms, load clients \([0-9.]*\) ms.*/\1 \2 \3/p' "$out/run")
  echo "$2 $rate $node $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/all"
  grep -E '^(CPU by|PostgreSQL per)' "$out/run" | sed "s/^/   $2 /"
}
echo "label co-signs/s node_ms pg_ms client_ms load1"
for i in $(seq 1 "$rounds"); do
  if (( i % 2 )); then run "$a" A; run "$b" B; else run "$b" B; run "$a" A; fi
done
python3 - "$out/all" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) >= 5]
def med(lbl, i): return st.median(float(r[i]) for r in rows if r[0] == lbl)
for name, i in (("co-signs/s", 1), ("node CPU ms/co-sign", 2), ("PostgreSQL CPU ms/co-sign", 3)):
    print(f"{name}: A {med('A', i):.3f}  B {med('B', i):.3f}  B/A {med('B', i) / med('A', i):.3f}")
PY
