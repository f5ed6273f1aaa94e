#!/usr/bin/env bash
# Compare the JSON reports of two sift binaries over the shared corpora and the
# shipped examples, timings aside: exit 0 when byte-identical.
#   scripts/report-diff.sh OLD_SIFT NEW_SIFT [OUT_DIR]
set -euo pipefail
old=$1 new=$2 out=${3:-$(mktemp -d)}
mkdir -p "$out"
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/../shared/data"
inputs=("$root/examples")
[ -d "$data" ] && inputs+=("$data/ptc/train/articles" "$data/semeval23/ru/train-articles-subtask-3")
status=0
for bin in old new; do
  exe=${!bin}
  for input in "${inputs[@]}"; do
    name=$(basename "$input")
    "$exe" analyze "$input" --format jsonl 2>/dev/null \
      | jq -c 'del(.timing_ms)' > "$out/$bin-$name.jsonl" || true
  done
done
for input in "${inputs[@]}"; do
  name=$(basename "$input")
  if cmp -s "$out/old-$name.jsonl" "$out/new-$name.jsonl"; then
    echo "identical: $name ($(wc -l < "$out/new-$name.jsonl") reports)"
  else
    echo "DIFFERENT: $name — diff $out/old-$name.jsonl $out/new-$name.jsonl"
    status=1
  fi
done
exit $status
