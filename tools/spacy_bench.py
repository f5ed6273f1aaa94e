"""Peer speed for `sift bench --layers`: spaCy's tokenizer + rule-based sentencizer
(spacy.blank("en")), single process, over the same PTC articles. en_core_web_sm is
not installed (no official PyPI wheel); its published ~10k words/s is quoted instead.
Usage: python tools/spacy_bench.py ../shared/data/ptc/train/articles [reps]
"""
import os
import sys
import time

import spacy

root = sys.argv[1]
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
texts = []
for name in sorted(os.listdir(root)):
    if name.endswith(".txt"):
        with open(os.path.join(root, name), encoding="utf-8") as f:
            texts.append(f.read())
nbytes = sum(len(t.encode("utf-8")) for t in texts)
words = sum(len(t.split()) for t in texts)
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
list(nlp.pipe(texts))  # warm-up
wall, cpu = [], []
for _ in range(reps):
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(len(list(d.sents)) for d in nlp.pipe(texts))
    wall.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
wall.sort()
cpu.sort()
w, c = wall[len(wall) // 2], cpu[len(cpu) // 2]
print(f"spaCy {spacy.__version__} blank('en') + sentencizer: {len(texts)} docs, {nbytes/1e6:.2f} MB, {words} words, {n} sentences")
print(f"wall  {nbytes/1e6/w:.2f} MB/s  {words/w:.0f} words/s")
print(f"CPU   {nbytes/1e6/c:.2f} MB/s  {words/c:.0f} words/s")
