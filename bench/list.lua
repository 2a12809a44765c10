-- A list filtered by one domain and one topic, chosen at random per request.
local domains = { "pathways-admission-graduation", "curriculum-programming", "community-engagement", "students-faculty", "governance-accountability" }
local topics = { "diversity-inclusion-belonging", "practice-in-underserved-areas-or-settings", "specialty-choice", "health-equity-champions", "community-partnerships", "patient-community-health" }
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/resources?domain=" .. domains[math.random(1, 5)] .. "&topic=" .. topics[math.random(1, 6)])
end
