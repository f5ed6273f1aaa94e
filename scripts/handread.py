#!/usr/bin/env python3
"""Hand-read precision of what `sift analyze` lists, reproducibly.

A run is the JSONL of `sift analyze --format jsonl` over articles of ../shared/data
(scripts/handread-run.sh makes it). An item is one thing the report lists:

  unattributed  a finding `unattributed-assertion` (its evidence sentence)
  named_org     an attribution whose source_type is `named_org` (its source span)

`sample` draws a seeded sample of the run's items and prints those not judged yet, with
their context, for a reader to judge; judgements are kept as document path + char offsets +
one yes/no per question (never the text) in crates/sift-eval/data/handread/KIND.tsv. `score` draws the same
sample and prints the precision over it; it fails when an item of the sample is not judged.
The questions a reader answers are in docs/annotation/attribution.md.

  scripts/handread.py sample unattributed RUN.jsonl [--seed 1] [--n 50]
  scripts/handread.py score unattributed RUN.jsonl [--seed 1] [--n 50]
"""
import argparse
import json
import os
import random
import sys

# The questions a reader answers about each item, one label column each.
QUESTIONS = {
    "unattributed": ["narrator", "contestable"],
    "named_org": ["organisation"],
}
HERE = os.path.dirname(os.path.abspath(__file__))
JUDGED = os.path.join(HERE, "..", "crates", "sift-eval", "data", "handread")


def doc_key(report):
    """The article's path below ../shared/data, the same on every machine."""
    path = report["source"]["path"] or report["id"]
    marker = "shared/data/"
    return path[path.index(marker) + len(marker):] if marker in path else path


def items(run, kind):
    """Every listed item of the run: (doc, start, end, report)."""
    out = []
    with open(run, encoding="utf-8") as lines:
        for line in lines:
            report = json.loads(line)
            doc = doc_key(report)
            if kind == "unattributed":
                for finding in report["findings"]:
                    if finding["code"] == "unattributed-assertion":
                        span = finding["evidence"][0]
                        out.append((doc, span["start"], span["end"], report))
            elif kind == "named_org":
                for attribution in report["attributions"]:
                    if attribution.get("source_type") == "named_org" and attribution["source"]:
                        span = attribution["source"]
                        out.append((doc, span["start"], span["end"], report))
            else:
                sys.exit(f"unknown kind {kind!r}: unattributed or named_org")
    out.sort(key=lambda item: item[:3])
    return out


def drawn(run, kind, seed, n):
    everything = items(run, kind)
    return everything, random.Random(seed).sample(everything, min(n, len(everything)))


def judgements(kind):
    path = os.path.join(JUDGED, f"{kind}.tsv")
    judged = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as rows:
            for row in rows:
                if row.startswith("#") or not row.strip():
                    continue
                doc, start, end, *labels = row.rstrip("\n").split("\t")
                judged[(doc, int(start), int(end))] = labels
    return path, judged


def context(report, start, end, kind):
    text = report["text"]
    if kind == "named_org":
        sentence = next(
            (s for s in report["sentences"] if s["start"] <= start < s["end"]),
            {"start": max(0, start - 150), "end": min(len(text), end + 150)},
        )
        lo, hi = sentence["start"], sentence["end"]
        return f"{text[lo:start]}[[{text[start:end]}]]{text[end:hi]}"
    before = text[max(0, start - 200):start].replace("\n", " ¶ ")
    return f"…{before} [[{text[start:end]}]]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["sample", "score"])
    parser.add_argument("kind", choices=["unattributed", "named_org"])
    parser.add_argument("run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    everything, sample = drawn(args.run, args.kind, args.seed, args.n)
    path, judged = judgements(args.kind)
    missing = [item for item in sample if item[:3] not in judged]
    if args.command == "sample":
        for doc, start, end, report in missing:
            print(f"{doc}\t{start}\t{end}\t?\t{context(report, start, end, args.kind)}")
        print(f"# {len(missing)} of {len(sample)} drawn not judged in {path}", file=sys.stderr)
        return
    if missing:
        sys.exit(f"{len(missing)} drawn items are not judged in {path}: run `sample` first")
    print(f"{args.kind}: {len(everything)} listed; seed {args.seed}, {len(sample)} drawn")
    for column, question in enumerate(QUESTIONS[args.kind]):
        right = sum(judged[item[:3]][column] == "yes" for item in sample)
        print(f"  {question}: {right} yes, precision {100 * right / max(1, len(sample)):.1f} %")


if __name__ == "__main__":
    main()
