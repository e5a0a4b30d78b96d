#!/usr/bin/env bash
# Small-change benchmark (issue #16): files changed, added, removed, files whose
# modification time changed, and rebuild time, for one new, one edited and one deleted
# article in a generated corpus, each run from the same starting state. No assertions.
#
# usage: benches/small_changes.sh [N]        (from the repository root; N articles, default 10000)
# env:   RUNS   runs per scenario (default 3, medians)
#        WORK   scratch folder (default: target/bench-build)
#        BIN    the trangtin binary (default: target/release/trangtin, built first)
#        LIST=1 also print which files changed, by page kind
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
WORK=${WORK:-target/bench-build}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/trangtin
fi
corpus=$WORK/corpus-$N/native
[ -d "$corpus" ] || python3 benches/gen_corpus.py --articles "$N" --out "$corpus" --format native >/dev/null
echo "machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/small_changes.py --bin "$BIN" --corpus "$corpus" --out "$WORK/corpus-$N/out-small" \
  --runs "${RUNS:-3}" ${LIST:+--list}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
