-- wrk script: cycles through the request mix of the RSS-under-load measurement.
-- The paths are set by startup.sh through the MIX_PATHS environment variable, separated by "|".
local paths = {}
for path in string.gmatch(os.getenv("MIX_PATHS") or "/", "[^|]+") do
  table.insert(paths, path)
end
local next_index = 0

request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
