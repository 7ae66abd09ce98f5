-- POSTs the JSON in $BODY_FILE; $PAUSE_MS (default 0) pauses each connection between requests,
-- which paces the load (wrk has no fixed-rate mode).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = file:read("*a")
file:close()
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
function delay()
  return pause
end
