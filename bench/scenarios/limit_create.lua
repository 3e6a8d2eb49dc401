-- The same-run limit for writes: bench/Limit's bare INSERT + outbox row per request.
request = function()
  return wrk.format("POST", "/limit/customers", { ["Content-Type"] = "application/json" }, "{}")
end
