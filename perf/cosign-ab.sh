#!/usr/bin/env bash
# Side-by-side CosignLoad of two or more builds on this shared machine (docs/perf-cosign.md): runs the
# jars in turn, the order rotated every round (A B C, B C A, C A B, ...), same arguments, and prints each
# run and, per build, the medians of co-signs/s and of CPU per co-sign with their ratio to the previous
# build. Usage:
#   perf/cosign-ab.sh ROUNDS A.jar B.jar [C.jar ...] -- [CosignLoad args...]
set -euo pipefail
rounds=$1; shift
jars=()
while [[ $# -gt 0 && $1 != -- ]]; do jars+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
args=("$@")
out=$(mktemp -d)
run() { # jar label
  java -cp "$1" io.gmgate.perf.cosign.CosignLoad "${args[@]}" 2>/dev/null \
    | grep -E '^(co-signs|CPU|PostgreSQL per)' > "$out/run" || true
  local rate cpu
  rate=$(sed -n 's/^co-signs: [0-9]* in [0-9]* s = \([0-9]*\) .*/\1/p' "$out/run")
  cpu=$(sed -n 's/^CPU per co-sign: cosign node \([0-9.]*\) ms, PostgreSQL \([0-9.]*\) ms, load clients \([0-9.]*\) ms.*/\1 \2 \3/p' "$out/run")
  echo "$2 ${rate:-0} ${cpu:-0 0 0} $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/all"
  grep -E '^(CPU by|PostgreSQL per)' "$out/run" | sed "s/^/   $2 /" || true
}
n=${#jars[@]}
echo "build co-signs/s node_ms pg_ms client_ms load1   (builds: ${jars[*]})"
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    j=$(((i + r) % n))
    run "${jars[$j]}" "$(basename "${jars[$j]}" .jar)"
  done
done
python3 - "$out/all" "${jars[@]}" <<'PY'
import sys, os, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) >= 5]
labels = [os.path.basename(j)[:-4] for j in sys.argv[2:]]
def med(lbl, i): return st.median(float(r[i]) for r in rows if r[0] == lbl)
prev = None
for lbl in labels:
    cells = []
    for name, i in (("co-signs/s", 1), ("node ms", 2), ("PG ms", 3), ("clients ms", 4)):
        v = med(lbl, i)
        ratio = f" ({v / med(prev, i):.2f}x)" if prev and med(prev, i) else ""
        cells.append(f"{name} {v:.3f}{ratio}")
    print(f"{lbl}: " + ", ".join(cells))
    prev = lbl
PY
