#!/usr/bin/env bash
# Load figures for docs/benchmarks/serve.md: POST /api/analyze with a ~5 KB
# article at 1, 16 and 64 connections, loopback only, bounded runs.
# Needs: target/release/sift (cargo build --release -p sift-cli) and Debian's wrk.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
sift=${SIFT_BIN:-$root/target/release/sift}
port=${PORT:-18089}
duration=${DURATION:-15s}
"$sift" serve --host 127.0.0.1 --port "$port" 2>/tmp/sift-serve-bench.log &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.1
done
curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @analyze-5k.json \
  "http://127.0.0.1:$port/api/analyze"
echo "body: $(wc -c < analyze-5k.json) bytes; server pid $server; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for conns in 1 16 64; do
  threads=$(( conns < 2 ? 1 : 2 ))
  echo "== wrk -t$threads -c$conns -d$duration --latency -s analyze.lua http://127.0.0.1:$port/api/analyze"
  wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s analyze.lua \
    "http://127.0.0.1:$port/api/analyze" | grep -E 'requests=|Non-2xx|Socket errors|Requests/sec'
done
echo "server peak RSS: $(grep VmHWM /proc/$server/status)"
