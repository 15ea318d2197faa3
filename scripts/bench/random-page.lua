-- wrk script: each request GETs PREFIX .. <a random line of IDS_FILE> with the
-- session cookie in SESSION_COOKIE, so the load spreads over many customers.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local prefix = os.getenv("PREFIX")
local headers = { ["Cookie"] = os.getenv("SESSION_COOKIE") }

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], headers)
end
