#!/usr/bin/env python3
"""Compares two output folders of trangtin, file by file: the proof that a refactoring left
the output unchanged. The manifest `.trangtin-output` is compared without its modification
times (which differ between any two builds).

usage: python3 benches/compare_outputs.py BEFORE AFTER [--html-whitespace]

--html-whitespace: compare .html/.xml files with whitespace between tags removed and runs of
whitespace collapsed (for a change that only re-indents templates); prints how many files
differ only in whitespace. Exit status 1 when any file differs (after normalizing, if asked).
"""
import os
import re
import sys


def files(root):
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = path
    return out


def read(path, rel, normalize):
    data = open(path, "rb").read()
    if rel == ".trangtin-output":
        # xxh3, size, modified ns, [what a page was made from,] path: drop the time.
        lines = [l.split(b"\t") for l in data.splitlines()]
        return b"\n".join(b"\t".join(f[:2] + f[3:]) if len(f) >= 4 else l for f, l in zip(lines, data.splitlines()))
    if normalize and rel.endswith((".html", ".xml")):
        text = re.sub(rb">\s+<", b"><", data)
        return re.sub(rb"\s+", b" ", text).strip()
    return data


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    normalize = "--html-whitespace" in sys.argv
    if len(args) != 2:
        print(__doc__)
        return 2
    a, b = files(args[0]), files(args[1])
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    same = whitespace_only = 0
    differ = []
    size_a = size_b = 0
    for rel in sorted(a.keys() & b.keys()):
        raw_a, raw_b = open(a[rel], "rb").read(), open(b[rel], "rb").read()
        size_a += len(raw_a)
        size_b += len(raw_b)
        if read(a[rel], rel, False) == read(b[rel], rel, False):
            same += 1
        elif normalize and read(a[rel], rel, True) == read(b[rel], rel, True):
            whitespace_only += 1
        else:
            differ.append(rel)
    print(f"files: {len(a)} before, {len(b)} after; identical {same}; "
          f"whitespace only {whitespace_only}; different {len(differ)}; "
          f"only before {len(only_a)}; only after {len(only_b)}")
    print(f"bytes of common files: {size_a} before, {size_b} after ({(size_b - size_a) / max(size_a, 1):+.2%})")
    for rel in differ[:20] + only_a[:10] + only_b[:10]:
        print("  ", rel)
    return 1 if differ or only_a or only_b else 0


if __name__ == "__main__":
    sys.exit(main())
