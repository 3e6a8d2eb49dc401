-- POST /api/v1/customers with a new, unique individual per request (duplicate detection runs on each).
-- Area code 199 is not assigned, so no generated phone can match a seeded one.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local counter = 0
local thread_id = 0
local first = {"Ada","Ben","Cleo","Dan","Eve","Finn","Gia","Hal","Ivy","Jon","Kai","Lea","Max","Nia","Oto","Pia"}
local last = {"Stone","Rivera","Kowalski","Nguyen","Okafor","Lindqvist","Moreau","Tanaka","Haddad","Schmidt"}

local threads = 0
function setup(thread)
  threads = threads + 1
  math.randomseed(os.time() * 100 + threads)
  thread:set("thread_id", math.random(1, 1000000000))
end

function init(args)
  thread_id = tonumber(wrk.thread:get("thread_id")) or math.random(1, 1000000000)
end

request = function()
  counter = counter + 1
  local f = first[(counter % #first) + 1]
  local l = last[(counter % #last) + 1] .. "-" .. thread_id .. "-" .. counter
  local body = string.format(
    '{"type":"individual","displayName":"%s %s","source":"api","primaryContact":{"firstName":"%s","lastName":"%s","email":"%s.%s@bench.example","phone":"+1 199 %07d"}}',
    f, l, f, l, f:lower(), l:lower(), (thread_id + counter) % 10000000)
  return wrk.format("POST", "/api/v1/customers", common.headers({["Content-Type"] = "application/json"}), body)
end
