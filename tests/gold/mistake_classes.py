#!/usr/bin/env python3
"""Counts the classes of mistakes in `yinwen eval DIR --mistakes` output (read from stdin),
commonest first: misses by what stands before the quotation, wrong attributions by how the
detector found the speaker (its `reason`), false positives, dates.

Use it on the dev part only (the locked part's mistakes are not to be read):
    target/release/yinwen eval tests/gold/dev --mistakes | python3 tests/gold/mistake_classes.py
"""
import collections
import re
import sys


def field(name, s):
    m = re.search(name + r"=(\S+)", s)
    return m.group(1) if m else "-"


def same(a, b):
    return a != "-" and b != "-" and (a in b or b in a)


def classify(kind, ctx, truth, found):
    before = ctx.split("【")[0].rstrip()
    if kind == "missed":
        last = before[-1:] if before else ""
        if last in ("：", ":"):
            return "missed: after a colon"
        if last in ("，", ","):
            return "missed: after a comma (indirect speech, a partial quotation)"
        if last in ("。", "！", "？", "¶") or not before:
            return "missed: standing as a sentence or paragraph of its own"
        return "missed: inside a sentence (a verb not known, or none)"
    if kind == "false_positive":
        return "false positive: a term or label taken for a directive"
    ts, fs = field("speaker", truth), field("speaker", found)
    tsrc, fsrc = field("source", truth), field("source", found)
    reason = field("reason", found)
    right = (ts == "-" and fs == "-") or same(ts, fs) or same(tsrc, fsrc)
    if right:
        if field("date", truth) != field("date", found):
            return "date: missing or wrong (speaker right)"
        return "other (verb or occasion)"
    if ts != "-" and fs == "-":
        return "attribution: speaker not found"
    if ts == "-" and tsrc == "-":
        return f"attribution: a speaker given to words nobody is named for (via {reason})"
    if tsrc != "-" and fsrc == "-" and ts == "-":
        return "attribution: source document not found"
    return f"attribution: the wrong person (via {reason})"


def main():
    lines = sys.stdin.read().split("\n")
    counts = collections.Counter()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\S+)\s+(missed|attribution|false_positive)\s+(\d+)\s+(.*)$", lines[i])
        if not m or i + 2 >= len(lines):
            i += 1
            continue
        counts[classify(m.group(2), m.group(4), lines[i + 1], lines[i + 2])] += 1
        i += 3
    for c, n in counts.most_common():
        print(f"{n:4}  {c}")


if __name__ == "__main__":
    main()
