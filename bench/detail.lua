-- A detail by slug, drawn uniformly per request from the file named by $SLUGS (one slug a line):
-- run.sh passes 1,000 published slugs for `detail_warm` and every published slug for `detail_cold`.
local slugs = {}
for line in io.lines(os.getenv("SLUGS")) do slugs[#slugs + 1] = line end
-- wrk gives each thread its own Lua state: seeded with os.time() alone, both threads would draw
-- the same sequence and the second would mostly find what the first had just put in our cache.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_no", threads) end
function init(_) math.randomseed(os.time() + 7919 * (thread_no or 0)); for _ = 1, 10 do math.random() end end
request = function()
  return wrk.format("GET", "/api/v1/resources/" .. slugs[math.random(1, #slugs)])
end
