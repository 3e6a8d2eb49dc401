-- GET /api/v1/customers/{id} for random existing customers. Args: ids.txt
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local ids

setup = common.setup

function init(args)
  common.seed()
  ids = common.lines(args[1])
end

request = function()
  return wrk.format("GET", "/api/v1/customers/" .. ids[math.random(#ids)], common.headers())
end
