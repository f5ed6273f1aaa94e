#!/usr/bin/env python3
"""Derive crates/sift/lexicon/attribution-source-heads-en.txt from PolNeAR train.

A lower-case word may end a source the attribution tagger proposes ("Several former RT
journalists", "His ex-wife", "state regulators") when PolNeAR's annotators end a source with
it at least 3 times and in at least 5 % of its occurrences in the train texts (first
annotation file of each article). Function words, pronouns (the layer knows them already) and
words of time or quantity are left out: a source ending in "week" or "percent" is a phrase
the tagger cut short, not a speaker.

Usage: scripts/polnear-source-heads.py ../shared/data/polnear/data/train > lexicon file
"""
import collections
import glob
import os
import re
import sys

MIN_SHARE, MIN_COUNT = 0.05, 3
NOT_HEADS = set("""
he she who they his which it that you we her him them their me my us its our your i
some one many others those both most another two three five each all none few
in to of for on at by with from as about said says and or but the a an
week weeks year years month months night day days decades ago percent half time today
here there s self himself herself themselves itself com left right
""".split())

word = re.compile(r"[A-Za-z][A-Za-z'’-]*")
train = sys.argv[1]
seen, ends = collections.Counter(), collections.Counter()
for name in sorted(os.listdir(os.path.join(train, "text"))):
    text = open(os.path.join(train, "text", name), encoding="utf-8").read()
    for m in word.finditer(text):
        seen[m.group().lower()] += 1
    for ann in sorted(glob.glob(os.path.join(train, "attributions", name[:-4] + "_*.ann")))[:1]:
        for line in open(ann, encoding="utf-8"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or not cols[0].startswith("T") or not cols[1].startswith("Source "):
                continue
            for fragment in cols[1][len("Source "):].split(";"):
                start, end = map(int, fragment.split())
                words = word.findall(text[start:end])
                if words and not words[-1][0].isupper():
                    ends[words[-1].lower()] += 1

print("# Lower-case words that may end a source the attribution tagger proposes: PolNeAR")
print("# annotators end a train source with them at least 3 times and in at least 5 % of their")
print("# occurrences. Derived by scripts/polnear-source-heads.py; not read by the rules.")
rows = sorted(
    (w for w in ends
     if ends[w] >= MIN_COUNT and ends[w] / seen[w] >= MIN_SHARE
     and re.fullmatch(r"[a-z][a-z-]*", w) and w not in NOT_HEADS),
    key=lambda w: (-ends[w] / seen[w], w),
)
for w in rows:
    print(w)
