#!/usr/bin/env bash
# Photo site benchmark: a site of N articles, each showing one generated 4000×3000 phone
# photo (3–5 MB, EXIF with GPS) as its featured image and in its body, built by the release
# binary: cold (empty image cache), then rebuilt with the cache (median of 5), against the
# same articles without photos (median of 5). Prints wall times and what the photos add to
# a rebuild once they are cached (issue #14's budget: ≤ 50 ms). No assertions.
#
# usage: benches/photo_site.sh [N]     (from anywhere; N articles and photos, default 200)
# env:   WORK   scratch folder (default: target/bench-photo-site)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
WORK=$(realpath -m "${WORK:-target/bench-photo-site}")
mkdir -p "$WORK"

cargo build --release --quiet
cargo build --release --quiet --bench images
GEN=$(ls -t target/release/deps/images-* | grep -v '\.d$' | head -1)
BIN=target/release/trangtin

PHOTOS=$WORK/photos
if [ "$(ls "$PHOTOS" 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$PHOTOS" && "$GEN" gen "$PHOTOS" "$N"
fi

# make_site DIR WITH_PHOTOS: N articles in 12 months; photos are hard links (no copy).
make_site() {
  local dir=$1 with=$2
  rm -rf "$dir" && mkdir -p "$dir/content"
  printf 'title: Ảnh\nbase_url: "http://localhost/"\ncategories:\n  - name: Chung\n' > "$dir/config.yaml"
  for i in $(seq 0 $((N - 1))); do
    local name month folder
    name=$(printf 'p%03d' "$i")
    month=$(printf '%02d' $((i % 12 + 1)))
    folder=$dir/content/2026/$month
    mkdir -p "$folder"
    {
      printf -- '---\ntitle: "Hội nghị số %d"\ndate: 2026-%s-%02d 08:00\ncategory: Chung\n' "$i" "$month" $((i % 28 + 1))
      if [ "$with" = 1 ]; then
        ln "$PHOTOS/$name.jpg" "$folder/Ảnh hội nghị $name.jpg"
        printf 'image: "Ảnh hội nghị %s.jpg"\n---\nMở đầu bài %d.\n\n![Quang cảnh](Ảnh hội nghị %s.jpg)\n' "$name" "$i" "$name"
      else
        printf -- '---\nMở đầu bài %d.\n' "$i"
      fi
    } > "$folder/$name.md"
  done
}

seconds() { # prints the wall time of one quiet build of site $1
  local start end
  start=$(date +%s.%N)
  "$BIN" build --root "$1" > /dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}

median5() { # site: median wall time of 5 builds
  local times=()
  for _ in 1 2 3 4 5; do times+=("$(seconds "$1")"); done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

make_site "$WORK/with" 1
make_site "$WORK/without" 0
du -sh "$PHOTOS" | sed 's/^/photos: /'

cold=$(seconds "$WORK/with")
cached=$(median5 "$WORK/with")
plain=$(median5 "$WORK/without")
cache_size=$(du -sh "$WORK/with/.trangtin-cache" | cut -f1)
public_size=$(du -shL "$WORK/with/public" | cut -f1)
python3 - "$N" "$cold" "$cached" "$plain" "$cache_size" "$public_size" <<'PY'
import sys
n, cold, cached, plain, cache, public = sys.argv[1], *map(float, sys.argv[2:5]), *sys.argv[5:]
print(f"{n} articles with a 4000×3000 photo each")
print(f"  cold build (every photo processed)  {cold:7.3f} s")
print(f"  rebuild, photos cached (median of 5) {cached:7.3f} s")
print(f"  same articles without photos (median of 5) {plain:7.3f} s")
print(f"  cached photos add                    {1000 * (cached - plain):7.0f} ms   (budget ≤ 50 ms)")
print(f"  image cache {cache}, output {public}")
PY
