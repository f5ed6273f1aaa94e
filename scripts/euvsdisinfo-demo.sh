#!/usr/bin/env bash
# Issue 18's demonstration: EUvsDisinfo's 10,892 debunked narratives (one-line English
# summaries) as a fact-check store, matched by `sift analyze --factchecks` against the Russian
# SemEval-2023 articles, the way a user would run it. Prints a seeded sample of SAMPLE top
# matches (those the report lists) as TSV to be read by hand; with the checked file
# (crates/sift-eval/data/claim-matching/euvsdisinfo-checked.tsv) it prints the precision of
# the judged rows and names any sampled row not judged yet. Usage:
#   [SIFT=target/release/sift] [EMBEDDINGS=models/e5] scripts/euvsdisinfo-demo.sh [SAMPLE]
# Needs a release build with `--features embeddings` and scripts/fetch-embeddings.sh e5.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SIFT_SHARED_DATA:-../shared/data}
posts=$data/claims/euvsdisinfo/posts.csv
articles=$data/semeval23/ru/train-articles-subtask-3
if [ ! -f "$posts" ] || [ ! -d "$articles" ]; then
  echo "skipped: $posts or $articles is absent"; exit 0
fi
sift=${SIFT:-target/release/sift}
embeddings=${EMBEDDINGS:-models/e5}
sample=${1:-50}
store=target/euvsdisinfo-store          # kept: importing again adds nothing and is quick
reports=target/euvsdisinfo-ru.jsonl
"$sift" factcheck import --store "$store" --claim-column title --url-column id --id-column id \
  --default-rating disinformation --embeddings "$embeddings" "$posts" >&2
"$sift" analyze "$articles" --factchecks "$store" --factcheck-embeddings "$embeddings" \
  --format jsonl -o "$reports" --quiet
python3 - "$reports" "$sample" crates/sift-eval/data/claim-matching/euvsdisinfo-checked.tsv <<'PY'
import csv, json, random, sys
reports, sample, checked_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
claims = articles = 0
for line in open(reports, encoding="utf-8"):
    report = json.loads(line)
    articles += 1
    for claim in report.get("claims", []):
        claims += 1
        if claim.get("matches"):
            top = claim["matches"][0]
            rows.append((report["id"], claim["start"], claim["end"], top["id"], top["score"],
                         claim["text"], top["claim"]))
print(f"# {articles} articles, {claims} claims, {len(rows)} with a listed match", file=sys.stderr)
picked = sorted(random.Random(20261204).sample(rows, min(sample, len(rows))))
try:
    with open(checked_path, encoding="utf-8") as f:
        checked = {(r["article"], int(r["start"]), int(r["end"]), r["factcheck"]): r["same_narrative"]
                   for r in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")}
except FileNotFoundError:
    checked = {}
judged = [checked[key] for key in ((a, s, e, f) for a, s, e, f, *_ in picked) if key in checked]
if judged:
    yes = sum(v == "yes" for v in judged)
    print(f"# judged {len(judged)} of {len(picked)} sampled top matches: "
          f"{yes} the same narrative, precision {yes / len(judged):.3f}", file=sys.stderr)
print("article\tstart\tend\tfactcheck\tscore\tclaim\tmatched")
for a, s, e, f, score, text, matched in picked:
    if (a, s, e, f) not in checked:
        print(f"{a}\t{s}\t{e}\t{f}\t{score:.3f}\t{' '.join(text.split())}\t{matched}")
PY
