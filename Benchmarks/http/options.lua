-- wrk script for make bench-http: POST /v1/sourcing/options with pre-generated order bodies.
-- KEEL_BENCH_BODIES names a file with one JSON body per line; KEEL_BENCH_KEY is a router key.
-- Each wrk thread pre-formats every request once and cycles through them from its own offset.
-- KEEL_BENCH_RATE (requests/s over all threads; unset or 0 = as fast as the server answers) paces
-- the load open-loop style: each thread hands out send slots every threads/rate seconds and
-- delay() holds a connection until its slot, so the offered rate does not depend on latency
-- (slots missed while every connection waits for an answer are sent as soon as one is free).
-- KEEL_BENCH_GET (a path, e.g. /openapi.json) sends that GET instead of the order bodies, paced the
-- same way: the server's cost of a request that does no sourcing.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } keel_timespec;
int clock_gettime(int clk_id, keel_timespec *tp);
]]
local ts = ffi.new("keel_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local interval_ms = 0
local next_slot = 0
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
  local get = os.getenv("KEEL_BENCH_GET")
  if get and get ~= "" then
    requests[1] = wrk.format("GET", get, headers)
  else
    for line in io.lines(file) do
      requests[#requests + 1] = wrk.format("POST", "/v1/sourcing/options", headers, line)
    end
  end
  assert(#requests > 0, "no bodies in " .. file)
  next_index = (offset or 0) % #requests + 1
  local rate = tonumber(os.getenv("KEEL_BENCH_RATE") or "0") or 0
  local threads = tonumber(os.getenv("KEEL_BENCH_THREADS") or "1") or 1
  if rate > 0 then
    interval_ms = 1000 * threads / rate
    -- The schedule is kept when the server falls behind: a late slot is sent at once (no slot
    -- is dropped), so the offered rate stays the stated one over the run.
    delay = function()
      local t = now_ms()
      if next_slot == 0 then next_slot = t end
      local wait = next_slot - t
      next_slot = next_slot + interval_ms
      if wait < 0 then wait = 0 end
      return wait
    end
  end
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
