#!/usr/bin/env python3
"""Derive crates/sift/lexicon/attribution-tagger-anchors-en.txt from PolNeAR train.

A word anchors a cue the attribution tagger proposes when PolNeAR's annotators put it inside
a cue in at least 30 % of its (at least 5) occurrences in the train texts (first annotation
file of each article), it is no reporting verb already listed in attribution-cues-en-*.txt,
and it can be a verb: adverbs, adjectives and nouns are left out (a tagged cue needs a verb;
"also", "strongly", "suggestion" alone anchored narration and noun phrases).

Usage: scripts/polnear-anchors.py ../shared/data/polnear/data/train > lexicon file
"""
import collections
import glob
import os
import re
import sys

MIN_SHARE, MIN_COUNT = 0.5, 5
NOT_VERBS = set("""
also aim evenly quick wary outspoken eager reluctant vocal skeptical impassioned aware
confident known footage concern criticism critique desire speculation statement suggestion
assumption assertion complaints reference calls talks supportive reads lists eager
""".split())

here = os.path.dirname(os.path.abspath(__file__))
lexicon = os.path.join(here, "..", "crates", "sift", "lexicon")
listed = set()
for name in ("attribution-cues-en-speech.txt", "attribution-cues-en-cognition.txt"):
    for line in open(os.path.join(lexicon, name), encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            listed.add(line.split()[0].lower())

train = sys.argv[1]
seen, in_cue = collections.Counter(), collections.Counter()
for name in sorted(os.listdir(os.path.join(train, "text"))):
    text = open(os.path.join(train, "text", name), encoding="utf-8").read()
    cues = []
    for ann in sorted(glob.glob(os.path.join(train, "attributions", name[:-4] + "_*.ann")))[:1]:
        for line in open(ann, encoding="utf-8"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 1 and cols[0].startswith("T") and cols[1].startswith("Cue "):
                offsets = cols[1].split()
                cues.append((int(offsets[1]), int(offsets[-1])))
    for m in re.finditer(r"\w+", text):
        word = m.group().lower()
        seen[word] += 1
        if any(s <= m.start() < e for s, e in cues):
            in_cue[word] += 1

print("# Words besides the reporting verbs of attribution-cues-en-*.txt that anchor a cue the tagger")
print("# proposes: inside a PolNeAR train cue in at least half of their (at least 5) occurrences,")
print("# verbs only. Derived by scripts/polnear-anchors.py; not read by the rules.")
rows = sorted(
    (w for w in in_cue
     if in_cue[w] >= MIN_COUNT and in_cue[w] / seen[w] >= MIN_SHARE
     and re.fullmatch(r"[a-z]+", w) and w not in listed
     and w not in NOT_VERBS and not w.endswith("ly")),
    key=lambda w: (-in_cue[w] / seen[w], w),
)
for w in rows:
    print(w)
