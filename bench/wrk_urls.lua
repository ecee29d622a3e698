-- wrk script for bench/bench_server.py: each request takes the next line of BENCH_URLS, a file
-- of "path<TAB>HX-Current-URL" lines (the second part empty for a plain request). Each of wrk's
-- threads takes every BENCH_THREADS-th line, so no two requests of a run ask the same path
-- while the file lasts; if it runs out, the thread starts again and done() reports the repeats.
-- Headers common to every request come from wrk's -H options.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local every = tonumber(os.getenv("BENCH_THREADS"))
  list = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if i % every == id then
      local path, current = line:match("^([^\t]*)\t?(.*)$")
      -- wrk.format() takes these headers instead of wrk.headers (-H and Host), not beside them.
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      if current ~= "" then headers["HX-Current-URL"] = current end
      table.insert(list, wrk.format("GET", path, headers))
    end
    i = i + 1
  end
  position = 0
  wraps = 0
  others = 0
end

-- Every answer must be a 200: a redirect (a 3xx, which wrk does not count as an error) would
-- mean the URLs are not what a browser sends. (Defining response() costs wrk a little time:
-- it errs against the advisor.)
function response(status, headers, body)
  if status ~= 200 then
    others = others + 1
  end
end

function request()
  position = position + 1
  if position > #list then
    position = 1
    wraps = wraps + 1
  end
  return list[position]
end

function done(summary, latency, requests)
  local wrapped, other = 0, 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (thread:get("wraps") or 0)
    other = other + (thread:get("others") or 0)
  end
  io.write(string.format("bench-wraps: %d\n", wrapped))
  io.write(string.format("bench-not-200: %d\n", other))
end
