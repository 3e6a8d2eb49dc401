-- POST /f/{key}: a visitor submits the web form, url-encoded as a browser sends it, from an allowed origin.
--   wrk ... -s capture_form.lua URL -- FORM_KEY new|returning [EXISTING_LEADS]
-- "new": an address no lead has (capture's dedupe probes miss, a lead is stored, scored and routed);
-- "returning": the address of a random one of the EXISTING_LEADS seeded ones (lead{n}@leads.bench.example):
-- the submission attaches to that lead (blank fields filled, capture counted, a touch recorded).
local key, mode, existing
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_index", threads)
end

function init(args)
  key = assert(args[1], "form key")
  mode = args[2] or "new"
  existing = tonumber(args[3] or "0")
  thread_id = tonumber(wrk.thread:get("thread_index")) or 1
  math.randomseed(os.time() * 100 + thread_id)
  thread_id = thread_id * 1000000 + math.random(0, 999999)
end

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  local email
  if mode == "returning" then
    email = "lead" .. math.random(0, existing - 1) .. "@leads.bench.example"
  else
    email = "visitor-" .. thread_id .. "-" .. counter .. "@capture.bench.example"
  end
  local body = "firstName=Ada&lastName=" .. encode("Visitor " .. counter) .. "&email=" .. encode(email) ..
    "&company=" .. encode("Bench Works " .. (counter % 500)) .. "&message=" .. encode("Two laptops need new screens") ..
    "&utm_source=google&utm_medium=cpc&utm_campaign=bench&website="
  return wrk.format("POST", "/f/" .. key, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "https://shop.bench.example",
    ["Accept"] = "text/html",
  }, body)
end
