-- POST /api/v1/customers with a new, unique individual per request (duplicate detection runs on each).
-- Area code 199 is not assigned, so no generated phone can match a seeded one.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
local counter = 0
local thread_id = 0
-- Realistic people: a few common first names, surnames of random syllables (as many as a real customer list
-- has, so most creates find no one of the same name), free-mail addresses (no company domain to share). Names
-- with the thread's number or a counter in them would make every create a likely duplicate of the last.
local first = {"Ada","Ben","Cleo","Dan","Eve","Finn","Gia","Hal","Ivy","Jon","Kai","Lea","Max","Nia","Oto","Pia"}
local syllables = {"ka","lo","mir","sen","dra","vik","tor","bel","an","qu","zet","ros","hal","un","pe","gar","mo","ti","sul","ver"}
local mail = {"gmail.com","outlook.com","yahoo.com","web.de","gmx.de","orange.fr","icloud.com","proton.me"}

local function surname()
  local s = ""
  for _ = 1, 4 do s = s .. syllables[math.random(#syllables)] end
  return s:sub(1, 1):upper() .. s:sub(2)
end

local threads = 0
function setup(thread)
  threads = threads + 1
  math.randomseed(os.time() * 100 + threads)
  thread:set("thread_id", math.random(1, 1000000000))
end

function init(args)
  thread_id = tonumber(wrk.thread:get("thread_id")) or math.random(1, 1000000000)
  math.randomseed(thread_id)
end

request = function()
  counter = counter + 1
  local f = first[math.random(#first)]
  local l = surname()
  -- The mailbox and phone are unique per request; the name is what a person would type.
  local body = string.format(
    '{"type":"individual","displayName":"%s %s","source":"api","primaryContact":{"firstName":"%s","lastName":"%s","email":"%s.%s.%d.%d@%s","phone":"+1 199 %07d"}}',
    f, l, f, l, f:lower(), l:lower(), thread_id, counter, mail[math.random(#mail)], (thread_id + counter) % 10000000)
  return wrk.format("POST", "/api/v1/customers", common.headers({["Content-Type"] = "application/json"}), body)
end
