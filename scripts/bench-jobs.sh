#!/usr/bin/env bash
# Issue 19's scaling figure: `sift analyze` over a corpus with --jobs 1 and --jobs N (release
# build), wall time of each and whether the outputs are identical. Usage:
#   [SIFT=target/release/sift] scripts/bench-jobs.sh [CORPUS_DIR] [N] [REPEATS]   (default ../shared/data/ptc/train/articles 2 11)
# Prints the best wall time of REPEATS alternating runs per setting, the speed-up (best times,
# and the median over pairs), and `cmp` of the CSV
# document tables (no timings in them) and of the JSONL reports with `timing_ms` removed.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/data/ptc/train/articles}
jobs=${2:-2}
repeats=${3:-11}
if [ ! -d "$corpus" ]; then
  echo "skipped: $corpus is absent"; exit 0
fi
sift=${SIFT:-target/release/sift}
[ -x "$sift" ] || cargo build --release -p sift-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mb=$(du -sb "$corpus" | awk '{printf "%.2f", $1/1e6}')
run() { # jobs → wall seconds of one run, leaves out-$jobs.jsonl
  local s=$(date +%s.%N)
  "$sift" analyze "$corpus" --format jsonl -o "$out/out-$1.jsonl" --jobs "$1" --quiet
  echo "$(date +%s.%N) - $s" | bc
}
# Runs alternate (1, N, 1, N, …) so that a burst of load on this shared machine hits both
# settings alike; the figure is the median of the per-pair ratios, beside the best times.
: > "$out/pairs"
for _ in $(seq "$repeats"); do
  a=$(run 1); b=$(run "$jobs")
  echo "$a $b" >> "$out/pairs"
done
"$sift" analyze "$corpus" --format csv -o "$out/out-1.csv" --jobs 1 --quiet
"$sift" analyze "$corpus" --format csv -o "$out/out-$jobs.csv" --jobs "$jobs" --quiet
read -r t1 tn median <<< "$(python3 -c 'import statistics,sys
pairs=[tuple(map(float,l.split())) for l in open(sys.argv[1])]
print(min(a for a,_ in pairs), min(b for _,b in pairs), statistics.median(a/b for a,b in pairs))' "$out/pairs")"
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
printf 'speed-up: %.2fx (best times), %.2fx (median of %s alternating pairs)\n' \
  "$(echo "$t1 / $tn" | bc -l)" "$median" "$repeats"
