-- A detail by slug, drawn from 1,000 published slugs (bench/out/slugs.txt, written by run.sh).
local slugs = {}
for line in io.lines("bench/out/slugs.txt") do slugs[#slugs + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/resources/" .. slugs[math.random(1, #slugs)])
end
