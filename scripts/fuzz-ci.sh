#!/usr/bin/env bash
# CI's short fuzzing pass: every target of scripts/fuzz.sh for SECONDS each (default 20),
# starting from the seeds and the kept regression cases. A panic, an abort, a timeout or
# runaway memory fails the run; libFuzzer leaves the input in fuzz/artifacts/TARGET/. The
# long runs whose counts docs/benchmarks.md records use scripts/fuzz.sh directly.
#   scripts/fuzz-ci.sh [SECONDS]
set -euo pipefail
seconds=${1:-20}
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in decode html records analyze; do
  if ! ./fuzz.sh "$target" "$seconds" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target failed (input kept in fuzz/artifacts/$target/)"
    exit 1
  fi
  echo "fuzz: $target, $seconds s: $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") executions"
done
