#!/usr/bin/env bash
# The run that hand-read precision is measured on (scripts/handread.py): every article of
# ../shared/data that sift's consistency re-read covers, one JSONL line per article.
#   scripts/handread-run.sh OUT.jsonl   (uses target/release/sift; set SIFT to change it)
set -euo pipefail
out=${1:?usage: scripts/handread-run.sh OUT.jsonl}
cd "$(dirname "$0")/.."
sift=${SIFT:-target/release/sift}
data=${SIFT_SHARED_DATA:-../shared/data}
: > "$out"
for d in ptc/train/articles semeval23/en/train-articles-subtask-3 \
  semeval23/ru/train-articles-subtask-3 polnear/data/train/text polnear/data/dev/text articles; do
  "$sift" analyze "$data/$d" --format jsonl --quiet >> "$out"
done
wc -l < "$out"
