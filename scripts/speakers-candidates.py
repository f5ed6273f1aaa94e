#!/usr/bin/env python3
"""Step 1 of the hand-checked speaker protocol (docs/annotation/attribution.md): list, in
article order, every attribution of a `sift analyze --format jsonl` run whose source is a
name, a lone surname, a title or a pronoun, with the text before the cue that a reader
needs. sift's own speaker is *not* printed: the reader writes the speaker down without
seeing it. Articles already in the checked set are skipped.

  scripts/speakers-candidates.py RUN.jsonl --checked crates/sift-eval/data/speakers/checked-en.tsv \
      [--context 600] [--articles N]

Prints, per candidate, a context block and a skeleton row
`path<TAB>cue_start<TAB>cue_end<TAB>cue<TAB>?<TAB>?` whose last two columns the reader fills
in (speaker, how) or deletes (not an attribution, or nobody can tell).
"""
import argparse
import json
import os
import sys

PRONOUNS = {
    "he", "she", "they", "we", "i", "он", "она", "они", "мы", "я",
}


def doc_key(report):
    """The article's path below ../shared/data, the same on every machine."""
    path = report["source"]["path"] or report["id"]
    marker = "shared/data/"
    return path[path.index(marker) + len(marker):] if marker in path else path


def is_candidate(attribution):
    source = attribution.get("source")
    if not source:
        return False
    if attribution.get("source_type") == "named_person":
        return True
    if attribution.get("speaker_via") in ("name", "surname", "pronoun", "title"):
        return True
    return source["text"].strip().lower() in PRONOUNS


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run")
    parser.add_argument("--checked", required=True, help="the checked-*.tsv to extend")
    parser.add_argument("--context", type=int, default=600)
    parser.add_argument("--articles", type=int, default=10**9, help="stop after N articles")
    args = parser.parse_args()
    done = set()
    if os.path.exists(args.checked):
        with open(args.checked, encoding="utf-8") as rows:
            done = {row.split("\t")[0] for row in rows if row.strip() and not row.startswith("#")}
    shown = 0
    with open(args.run, encoding="utf-8") as lines:
        for line in lines:
            report = json.loads(line)
            doc = doc_key(report)
            if doc in done:
                continue
            candidates = [a for a in report["attributions"] if is_candidate(a)]
            if not candidates:
                continue
            text = report["text"]
            print(f"=== {doc} ({len(candidates)} candidates)")
            for attribution in sorted(candidates, key=lambda a: a["cue"]["start"]):
                cue = attribution["cue"]
                before = text[max(0, cue["start"] - args.context):cue["start"]]
                after = text[cue["end"]:cue["end"] + 120]
                print("--- context")
                print(f"{before}[[{cue['text']}]]{after}".replace("\t", " "))
                print(f"source: {attribution['source']['text']!r}")
                print(f"ROW\t{doc}\t{cue['start']}\t{cue['end']}\t{cue['text']}\t?\t?")
            shown += 1
            if shown >= args.articles:
                break
    if shown == 0:
        sys.exit("no unchecked article with candidates in the run")


if __name__ == "__main__":
    main()
