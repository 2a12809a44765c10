-- A detail by slug, drawn from every published slug (bench/out/slugs-all.txt, written by run.sh):
-- at 100,000 resources most requests miss the card cache, so this measures the read path itself.
local slugs = {}
for line in io.lines("bench/out/slugs-all.txt") do slugs[#slugs + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/resources/" .. slugs[math.random(1, #slugs)])
end
