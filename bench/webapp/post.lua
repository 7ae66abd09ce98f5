-- POSTs the body in $BODY_FILE (Content-Type $CONTENT_TYPE, default JSON; $COOKIE sent as the Cookie header when
-- set); $PAUSE_MS (default 0) pauses each connection between requests, which paces the load (wrk has no
-- fixed-rate mode).
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
if os.getenv("COOKIE") then
  wrk.headers["Cookie"] = os.getenv("COOKIE")
end
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = file:read("*a")
file:close()
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
function delay()
  return pause
end
