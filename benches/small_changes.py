#!/usr/bin/env python3
"""Small-change benchmark: what one editorial change does to the output folder.

Builds a generated corpus once, then for each scenario (one new article, one edited article,
one deleted article) and each run: puts the corpus and the output back to the same starting
state (by building the unchanged corpus into the same output folder), snapshots the output
(path -> size, modification time, content hash), makes the change, times the rebuild into the
same output folder, snapshots again and compares. Prints, per scenario, the medians over
the runs of: files whose bytes changed, added, removed, files whose modification time changed
(what rsync without --checksum uploads), total files, the percentage of files changed, added
or removed, the wall and CPU time of the rebuild, and the megabytes of the files whose time
changed or that were added (what such a deploy uploads). No assertions: it prints figures.

usage: python3 benches/small_changes.py --bin target/release/trangtin --corpus DIR [--runs 3]
       [--list]  (also print the changed files of the last run of each scenario, by kind)
"""

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import functools

print = functools.partial(print, flush=True)  # noqa: A001 (progress shows as it comes)
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=7))


def snapshot(root):
    """path -> (size, mtime_ns, sha1) of every file under root (links resolved)."""
    root = os.path.realpath(root)
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            with open(path, "rb") as f:
                digest = hashlib.sha1(f.read()).hexdigest()
            out[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns, digest)
    return out


def compare(before, after):
    changed = [p for p in after if p in before and after[p][2] != before[p][2]]
    added = [p for p in after if p not in before]
    removed = [p for p in before if p not in after]
    touched = [p for p in after if p in before and after[p][1] != before[p][1]]
    return changed, added, removed, touched


def build(binary, corpus, out):
    t0 = time.perf_counter()
    c0 = os.times()
    proc = subprocess.run(
        [binary, "build", "--root", corpus, "--output", out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    c1 = os.times()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr[-2000:]}")
    cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    return wall, cpu


def articles(corpus):
    """The corpus's published article files, sorted (drafts left out)."""
    found = []
    for dirpath, _dirs, files in os.walk(os.path.join(corpus, "content")):
        for name in files:
            if name.endswith(".md"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    head = f.read(2000)
                if "\ndraft: true" not in head:
                    found.append(path)
    return sorted(found)


LINK = re.compile(r"\]\(([^()\s]+\.md)\)")


def unlinked(corpus, candidates):
    """The first of `candidates` that no article links to (deleting it breaks no link)."""
    linked = set()
    for dirpath, _dirs, files in os.walk(os.path.join(corpus, "content")):
        for name in files:
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                linked.update(os.path.basename(m) for m in LINK.findall(f.read()))
    return next(p for p in candidates if os.path.basename(p) not in linked)


def new_article(corpus):
    """Adds today's article (an hour ago, category and tags that exist); returns its path."""
    now = datetime.now(TZ) - timedelta(hours=1)
    path = os.path.join(corpus, "content", f"{now:%Y}", f"{now:%m}", "bai-moi-dang-hom-nay.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    body = "\n\n".join(
        "Sáng nay, Sở Khoa học và Công nghệ tổ chức hội nghị tổng kết nhiệm vụ khoa học "
        f"và công nghệ cấp tỉnh, đoạn {i}." for i in range(1, 6)
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            "---\n"
            'title: "Hội nghị tổng kết nhiệm vụ khoa học và công nghệ cấp tỉnh"\n'
            'author: "Nguyễn Văn An"\n'
            f"date: {now:%Y-%m-%dT%H:%M:%S}+07:00\n"
            'category: "Chung"\n'
            'tags: ["nhiệm vụ KH&CN", "sáng kiến"]\n'
            'summary: "Sở Khoa học và Công nghệ tổng kết các nhiệm vụ khoa học cấp tỉnh."\n'
            "---\n\n" + body + "\n"
        )
    return path


def edit_article(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n\nBài viết được cập nhật thêm một câu.\n")


KINDS = [
    (r"^\.trangtin-output$", "marker (build manifest)"),
    (r"^search/", "search index"),
    (r"(^|/)(rss|feed)[^/]*\.xml$", "feed"),
    (r"sitemap[^/]*\.xml$", "sitemap"),
    (r"^luu-tru/", "archive listing"),
    (r"^the/", "tag listing"),
    (r"^tac-gia/", "author listing"),
    (r"/trang/\d+/index\.html$", "category listing page > 1"),
    (r"^index\.html$", "home"),
    (r"^[^/]+/index\.html$", "category page 1 or top page"),
    (r"^[^/]+/[^/]+/index\.html$", "article"),
]


def kind_of(path):
    for pattern, kind in KINDS:
        if re.search(pattern, path):
            return kind
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True, help="a corpus made by gen_corpus.py (native)")
    ap.add_argument("--out", help="output folder (default: CORPUS/../out-small)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--list", action="store_true", help="print the changed files by kind")
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    out = os.path.abspath(args.out or os.path.join(corpus, "..", "out-small"))
    binary = os.path.abspath(args.bin)
    published = os.path.join(corpus, "published-urls.tsv")

    build(binary, corpus, out)  # the starting state (and a warm-up)
    with open(published, "rb") as f:
        published_start = f.read()
    sources = articles(corpus)
    edited = sources[len(sources) // 2]
    deleted = unlinked(corpus, sources[len(sources) // 3 :])
    with open(edited, "rb") as f:
        edited_start = f.read()
    with open(deleted, "rb") as f:
        deleted_start = f.read()
    added_path = []

    def reset():
        for p in added_path:
            if os.path.exists(p):
                os.remove(p)
        with open(edited, "wb") as f:
            f.write(edited_start)
        with open(deleted, "wb") as f:
            f.write(deleted_start)
        with open(published, "wb") as f:
            f.write(published_start)
        build(binary, corpus, out)

    scenarios = [
        ("new article", lambda: added_path.append(new_article(corpus))),
        ("edited article", lambda: edit_article(edited)),
        ("deleted article", lambda: os.remove(deleted)),
    ]
    print(f"corpus: {corpus} ({len(sources)} published articles), runs: {args.runs} (medians)")
    print(f"edited: {os.path.relpath(edited, corpus)}   deleted: {os.path.relpath(deleted, corpus)}")
    header = f"{'scenario':16s} {'changed':>8s} {'added':>6s} {'removed':>8s} {'mtime':>7s} {'total':>7s} {'% files':>8s} {'wall s':>7s} {'cpu s':>6s} {'MB':>7s}"
    print(header)
    for name, change in scenarios:
        rows = []
        last = None
        for _ in range(args.runs):
            reset()
            time.sleep(0.05)  # so a rewritten file's mtime differs from the reset's
            before = snapshot(out)
            change()
            wall, cpu = build(binary, corpus, out)
            after = snapshot(out)
            changed, added, removed, touched = compare(before, after)
            touched_all = len(touched) + len(added)
            upload = sum(after[p][0] for p in set(touched) | set(added)) / 1e6
            pct = 100.0 * (len(changed) + len(added) + len(removed)) / len(before)
            rows.append((len(changed), len(added), len(removed), touched_all, len(after), pct, wall, cpu, upload))
            last = (changed, added, removed, touched)
        m = [statistics.median(c) for c in zip(*rows)]
        print(
            f"{name:16s} {m[0]:8.0f} {m[1]:6.0f} {m[2]:8.0f} {m[3]:7.0f} {m[4]:7.0f} {m[5]:7.2f}% {m[6]:7.2f} {m[7]:6.2f} {m[8]:7.2f}"
        )
        if args.list:
            changed, added, removed, touched = last
            for label, paths in (("changed", changed), ("added", added), ("removed", removed),
                                 ("mtime only", sorted(set(touched) - set(changed)))):
                by_kind = {}
                for p in paths:
                    by_kind.setdefault(kind_of(p), []).append(p)
                for kind, ps in sorted(by_kind.items()):
                    print(f"    {label:10s} {len(ps):6d}  {kind:28s} e.g. {sorted(ps)[0]}")
    reset()


if __name__ == "__main__":
    main()
