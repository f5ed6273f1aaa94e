-- wrk script: POST /api/analyze with the JSON body in analyze-5k.json
-- (run from this directory, or set SIFT_BENCH_BODY to the body file).
local path = os.getenv("SIFT_BENCH_BODY") or "analyze-5k.json"
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  io.write(string.format(
    "requests=%d errors(connect=%d read=%d write=%d status=%d timeout=%d) rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
