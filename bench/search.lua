-- A search whose words change at every request (`search_cold`): `q` taken in turn from the file
-- named by $QUERIES (one URL-encoded query a line, made by run.sh from the library's commonest
-- title words), after the path in $SEARCH_PATH (ours: /api/v1/resources?q=; the passthrough:
-- /rpc/search_resources?q=). The two threads start half the file apart, so within a run no query
-- is asked twice and none is answered from what an earlier request kept.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
local path = os.getenv("SEARCH_PATH")
local threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_no", threads) end
local at = 0
function init(_) at = ((thread_no or 1) - 1) * math.floor(#queries / 2) end
request = function()
  at = at % #queries + 1
  return wrk.format("GET", path .. queries[at])
end
