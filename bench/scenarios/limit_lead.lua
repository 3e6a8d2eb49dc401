-- The same-run limit for captures: bench/Limit's bare INSERT of a leads row + its event per request.
request = function()
  return wrk.format("POST", "/limit/leads", { ["Content-Type"] = "application/json" }, "{}")
end
