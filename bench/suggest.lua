-- As-you-type suggestions: each request is one keystroke of a phrase someone types into the search
-- box (a random phrase, cut after a random number of characters, 1 to its whole length), as a
-- search box asks at every keystroke. Short prefixes (`c`, `co`) are the costly ones: they start
-- the most title words.
local phrases = {
  "community health workers", "rural pipeline programs", "holistic admissions", "anti-racism curriculum",
  "mentorship", "health equity", "primary care", "nursing students", "dental school", "social accountability",
  "underserved communities", "medical education", "interprofessional", "service learning", "muller",
}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_no", threads) end
function init(_) math.randomseed(os.time() + 7919 * (thread_no or 0)); for _ = 1, 10 do math.random() end end
local function encode(s) return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
request = function()
  local phrase = phrases[math.random(1, #phrases)]
  local typed = phrase:sub(1, math.random(1, #phrase))
  return wrk.format("GET", "/api/v1/resources/suggest?q=" .. encode(typed))
end
