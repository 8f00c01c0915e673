-- wrk script for make bench-http: POST /v1/sourcing/options with pre-generated order bodies.
-- KEEL_BENCH_BODIES names a file with one JSON body per line; KEEL_BENCH_KEY is a router key.
-- Each wrk thread pre-formats every request once and cycles through them from its own offset.
local requests = {}
local next_index = 1
local thread_count = 0

-- Runs in the main state once per thread: thread i starts at body i × 997.
function setup(thread)
  thread:set("offset", thread_count * 997)
  thread_count = thread_count + 1
end

function init(args)
  local key = os.getenv("KEEL_BENCH_KEY")
  local file = os.getenv("KEEL_BENCH_BODIES")
  assert(key and file, "KEEL_BENCH_KEY and KEEL_BENCH_BODIES must be set")
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}
  for line in io.lines(file) do
    requests[#requests + 1] = wrk.format("POST", "/v1/sourcing/options", headers, line)
  end
  assert(#requests > 0, "no bodies in " .. file)
  next_index = (offset or 0) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

-- One machine-readable line for bench.sh (latency in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
