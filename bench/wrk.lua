-- wrk script of the bench (bench/run.ts). BENCH_BODIES: a file of JSON request bodies, one per
-- line, POSTed in order to BENCH_PATH with BENCH_TOKEN (run with -t1, so each body, and each card
-- challenge in it, is sent once). Without BENCH_BODIES it GETs the URL as given (hello-world).
-- done() prints one JSON line with the figures bench/run.ts reads.
local bodies = {}
local path = os.getenv("BENCH_BODIES")
local target = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_TOKEN")
local counter = 0

if path and path ~= "" then
  for line in io.lines(path) do bodies[#bodies + 1] = line end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if token then wrk.headers["Authorization"] = "Bearer " .. token end
end

request = function()
  if #bodies == 0 then return wrk.request() end
  counter = counter + 1
  return wrk.format(nil, target, nil, bodies[(counter - 1) % #bodies + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bodies":%d,"status_errors":%d,"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, #bodies, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
