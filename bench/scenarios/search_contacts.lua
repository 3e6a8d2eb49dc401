-- GET /api/v1/contacts?q=<three-letter name prefix> across all customers. Args: prefixes.txt
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local prefixes

setup = common.setup

function init(args)
  common.seed()
  prefixes = common.lines(args[1])
end

request = function()
  return wrk.format("GET", "/api/v1/contacts?limit=20&q=" .. prefixes[math.random(#prefixes)], common.headers())
end
