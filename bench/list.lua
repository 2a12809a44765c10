-- A list filtered by one random domain AND one random topic, a random page from 1 to $PAGES (200) of 20
-- (pages past the last are empty), chosen per request; bench/anchor/wrk/list.lua asks the
-- passthrough the same.
local domains = { "pathways-admission-graduation", "curriculum-programming", "community-engagement", "students-faculty", "governance-accountability" }
local topics = { "diversity-inclusion-belonging", "practice-in-underserved-areas-or-settings", "specialty-choice", "health-equity-champions", "community-partnerships", "patient-community-health" }
-- One seed per thread (see detail.lua).
local threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_no", threads) end
function init(_) math.randomseed(os.time() + 7919 * (thread_no or 0)); for _ = 1, 10 do math.random() end end
-- $PAGES: the last page to draw from (run.sh sets 1 for list_p1).
local pages = tonumber(os.getenv("PAGES") or "200")
request = function()
  return wrk.format("GET", "/api/v1/resources?domain=" .. domains[math.random(1, 5)] .. "&topic=" .. topics[math.random(1, 6)]
    .. "&page=" .. math.random(1, pages))
end
