#!/usr/bin/env bash
# AEB extraction comparison, every system in one run on one machine, one
# thread each: Python trafilatura (the speed anchor) and the Rust crates.
# usage: scripts/bench-extraction.sh [PYTHON]   (PYTHON must have trafilatura)
# Needs: cargo build --release -p sift-cli --features compare-extractors
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
AEB=${SIFT_SHARED_DATA:-../shared/data}/extraction/aeb
SIFT=target/release/sift
PRED=$(mktemp -d)
trap 'rm -rf "$PRED"' EXIT

echo "== python trafilatura"
/usr/bin/time -f "peak RSS %M KiB" "$PY" scripts/aeb_python_trafilatura.py "$AEB" "$PRED/python-trafilatura.json"
"$SIFT" eval extraction --data "$AEB" --predictions "$PRED/python-trafilatura.json" | sed -n 3p
for e in sift rs-trafilatura trafilatura dom-smoothie; do
  echo "== $e"
  /usr/bin/time -f "peak RSS %M KiB" "$SIFT" eval extraction --data "$AEB" -e "$e" | sed -n 3p
done
echo "== python trafilatura again (load drift check)"
"$PY" scripts/aeb_python_trafilatura.py "$AEB" "$PRED/python-trafilatura.json"
