#!/usr/bin/env bash
# Issue 19's scaling figure: `sift analyze` over a corpus with --jobs 1 and --jobs N (release
# build), wall time of each and whether the outputs are identical. Usage:
#   [SIFT=target/release/sift] scripts/bench-jobs.sh [CORPUS_DIR] [N] [REPEATS]   (default ../shared/data/ptc/train/articles 2 3)
# Prints the best wall time of REPEATS runs per setting, the speed-up, and `cmp` of the CSV
# document tables (no timings in them) and of the JSONL reports with `timing_ms` removed.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/data/ptc/train/articles}
jobs=${2:-2}
repeats=${3:-3}
if [ ! -d "$corpus" ]; then
  echo "skipped: $corpus is absent"; exit 0
fi
sift=${SIFT:-target/release/sift}
[ -x "$sift" ] || cargo build --release -p sift-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mb=$(du -sb "$corpus" | awk '{printf "%.2f", $1/1e6}')
best() { # jobs → best wall seconds of $repeats runs, leaves out-$jobs.{jsonl,csv}
  local j=$1 t bestt=""
  for _ in $(seq "$repeats"); do
    local s=$(date +%s.%N)
    "$sift" analyze "$corpus" --format jsonl -o "$out/out-$j.jsonl" --jobs "$j" --quiet
    t=$(echo "$(date +%s.%N) - $s" | bc)
    if [ -z "$bestt" ] || [ "$(echo "$t < $bestt" | bc)" = 1 ]; then bestt=$t; fi
  done
  "$sift" analyze "$corpus" --format csv -o "$out/out-$j.csv" --jobs "$j" --quiet
  echo "$bestt"
}
t1=$(best 1)
tn=$(best "$jobs")
strip() { python3 -c 'import json,sys
for l in sys.stdin: d=json.loads(l); d.pop("timing_ms",None); print(json.dumps(d,sort_keys=True))'; }
strip < "$out/out-1.jsonl" > "$out/1.stripped"
strip < "$out/out-$jobs.jsonl" > "$out/$jobs.stripped"
cmp "$out/1.stripped" "$out/$jobs.stripped" && echo "JSONL reports (timing_ms aside): identical"
cmp "$out/out-1.csv" "$out/out-$jobs.csv" && echo "CSV tables: identical"
printf 'corpus %s (%s MB, %s documents), %s cores\n' "$corpus" "$mb" \
  "$(wc -l < "$out/out-1.jsonl")" "$(nproc)"
printf -- '--jobs 1: %.2f s (%.2f MB/s)\n' "$t1" "$(echo "$mb / $t1" | bc -l)"
printf -- '--jobs %s: %.2f s (%.2f MB/s)\n' "$jobs" "$tn" "$(echo "$mb / $tn" | bc -l)"
printf 'speed-up: %.2fx\n' "$(echo "$t1 / $tn" | bc -l)"
