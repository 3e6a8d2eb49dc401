-- GET /api/v1/customers filtered by status and sorted by name; with a cursor argument, a deep page.
-- Args: [cursor]
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local path = "/api/v1/customers?status=active&sort=displayName&limit=50"

function init(args)
  if args[1] ~= nil and #args[1] > 0 then
    path = path .. "&cursor=" .. args[1]
  end
end

request = function()
  return wrk.format("GET", path, common.headers())
end
