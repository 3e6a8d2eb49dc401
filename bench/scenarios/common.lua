-- Shared by the scenario scripts: read a file of lines (ids, prefixes) given after "--" on the wrk command line.
local common = {}

function common.lines(path)
  local items = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then items[#items + 1] = line end
  end
  file:close()
  assert(#items > 0, path .. " is empty")
  return items
end

-- Distinct seeds per thread, so threads do not replay each other's random choices.
local threads = 0
function common.setup(thread)
  threads = threads + 1
  thread:set("thread_index", threads)
end

function common.seed()
  local index = tonumber(wrk.thread:get("thread_index")) or 1
  math.randomseed(os.time() * 100 + index)
  return index
end

-- Aida's API takes bearer tokens only: bench/run.sh creates an admin token and exports it.
function common.headers(extra)
  local headers = { Authorization = "Bearer " .. assert(os.getenv("AIDA_BENCH_TOKEN"), "AIDA_BENCH_TOKEN is not set") }
  for name, value in pairs(extra or {}) do headers[name] = value end
  return headers
end

return common
