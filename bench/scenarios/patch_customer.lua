-- PATCH /api/v1/customers/{id} with If-Match: each request changes a different customer, once, at its
-- seeded version "1", so a 412 would be a real lost-update refusal. Args: ids.txt first last threads
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local ids, next_index, last, step

setup = common.setup

function init(args)
  local index = common.seed()
  ids = common.lines(args[1])
  local first = tonumber(args[2]) or 1
  last = math.min(tonumber(args[3]) or #ids, #ids)
  -- Threads take interleaved ids, so no two requests ever touch the same customer.
  step = tonumber(args[4]) or 2
  next_index = first + index - 1
end

local statuses = { "active", "inactive", "churned" }

request = function()
  local id = ids[next_index]
  next_index = next_index + step
  if next_index > last then next_index = next_index - (last - 1) end
  local body = string.format('{"status":"%s"}', statuses[math.random(#statuses)])
  return wrk.format("PATCH", "/api/v1/customers/" .. id, common.headers({ ["Content-Type"] = "application/json", ["If-Match"] = '"1"' }), body)
end
