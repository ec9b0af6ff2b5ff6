#!/usr/bin/env bash
# Runs one load scenario against a gateway started here, in front of the CFBD stand-in.
#
# Usage: load-tests/run.sh SCENARIO [--redis]
#   SCENARIO  smoke, load, stress, spike or soak (the file load-tests/SCENARIO.py)
#   --redis   use a Redis cache (needs redis-server on PATH, Debian package redis-server)
#
# Environment:
#   STANDIN_LATENCY_MS  delay the stand-in adds to each CFBD reply (default 50)
#   PREDICTIONS         on (default) or off, to leave out the predictions API
#   GATEWAY_PORT, HEALTH_PORT, STANDIN_PORT, REDIS_PORT  loopback ports (default: free ones)
#   CFBD_RATE_LIMIT_DELAY, CFBD_RATE_LIMIT_BURST  the gateway's upstream bucket (0.1 s, 20): the
#                       stand-in has no quota to protect, so the bucket is opened up to keep
#                       cold weeks as fast as the stand-in's latency allows
#   Scenario settings (YEAR, WEEK, RATE_SCALE, DURATION_SCALE) are described in README.md.
#
# Everything listens on 127.0.0.1 and is stopped on exit. The summary goes to
# load-tests/results/. The exit code is Locust's: 0 all thresholds passed, 1 a threshold
# failed, 2 the gateway was not ready; 3 means this script failed before the load started.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() {
  echo "Usage: $0 SCENARIO [--redis]   (SCENARIO: smoke, load, stress, spike or soak)" >&2
  exit 3
}

[[ $# -ge 1 ]] || usage
scenario="$1"
shift
use_redis=false
for arg in "$@"; do
  case "$arg" in
    --redis) use_redis=true ;;
    *) echo "Unknown option $arg" >&2; usage ;;
  esac
done
[[ -f "$here/$scenario.py" ]] || { echo "No scenario $here/$scenario.py" >&2; usage; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
gateway_port="${GATEWAY_PORT:-$(free_port)}"
health_port="${HEALTH_PORT:-$(free_port)}"
standin_port="${STANDIN_PORT:-$(free_port)}"
redis_port="${REDIS_PORT:-$(free_port)}"
data_dir="${DATA_PACK:-$repo/../shared/data}/cfbd"
# The gateway rejects keys shorter than 20 characters; the stand-in accepts only this one.
api_key="load-test-key-0000000000"

results="$here/results"
mkdir -p "$results"
run_id="$scenario-$(date +%Y%m%dT%H%M%S)"

if $use_redis && ! command -v redis-server > /dev/null; then
  echo "--redis needs redis-server on PATH (apt-get install redis-server)" >&2
  exit 3
fi
[[ -d "$data_dir" ]] || { echo "Missing stored CFBD responses in $data_dir (set DATA_PACK)" >&2; exit 3; }
ports=("$gateway_port" "$health_port" "$standin_port")
$use_redis && ports+=("$redis_port")
for port in "${ports[@]}"; do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    echo "Port $port on 127.0.0.1 is already in use; set GATEWAY_PORT, HEALTH_PORT, STANDIN_PORT or REDIS_PORT" >&2
    exit 3
  fi
done

"$here/install.sh"

# Build only what is missing or older than the sources, so repeated runs start at once.
cd "$repo"
jar="target/script-ohio-gateway.jar"
classpath_file="target/test-classpath.txt"
if [[ ! -f "$jar" ]] || [[ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "Building the gateway jar"
  mvn -q -B package -DskipTests
fi
if [[ ! -f "$classpath_file" ]] || [[ -n "$(find src/test pom.xml -newer "$classpath_file" -print -quit)" ]]; then
  echo "Compiling the CFBD stand-in"
  mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
fi

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
}
trap stop_all EXIT

echo "Starting the CFBD stand-in on 127.0.0.1:$standin_port (latency ${STANDIN_LATENCY_MS:-50} ms)"
java -cp "target/test-classes:target/classes:$(cat "$classpath_file")" io.scriptohio.gateway.cfbd.CfbdStandIn \
  --data "$data_dir" --port "$standin_port" --latency-ms "${STANDIN_LATENCY_MS:-50}" \
  --key "$api_key" --quota 10000000 > "$results/$run_id-standin.log" 2>&1 &
pids+=("$!")

cache_env=(CACHE_TYPE=local)
if $use_redis; then
  echo "Starting redis-server on 127.0.0.1:$redis_port"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    > "$results/$run_id-redis.log" 2>&1 &
  pids+=("$!")
  cache_env=(CACHE_TYPE=redis "REDIS_URL=redis://127.0.0.1:$redis_port")
fi

echo "Starting the gateway on 127.0.0.1:$gateway_port (cache ${cache_env[0]#CACHE_TYPE=})"
env "${cache_env[@]}" HTTP_HOST=127.0.0.1 METRICS_PORT="$gateway_port" HEALTH_CHECK_PORT="$health_port" \
  CFBD_BASE_URL="http://127.0.0.1:$standin_port" CFBD_API_KEY="$api_key" MOCK_DATA_FALLBACK_ENABLED=false \
  CFBD_RATE_LIMIT_DELAY="${CFBD_RATE_LIMIT_DELAY:-0.1}" CFBD_RATE_LIMIT_BURST="${CFBD_RATE_LIMIT_BURST:-20}" \
  BACKUP_INTERVAL=0 \
  java -jar "$jar" > "$results/$run_id-gateway.log" 2>&1 &
gateway_pid="$!"
pids+=("$gateway_pid")

# Readiness turns 200 once the models passed their parity check and the API listens.
ready_url="http://127.0.0.1:$health_port/health/ready"
for _ in $(seq 1 120); do
  if curl -fs -o /dev/null "$ready_url"; then
    break
  fi
  if ! kill -0 "$gateway_pid" 2> /dev/null; then
    echo "The gateway exited during start-up; see $results/$run_id-gateway.log:" >&2
    tail -5 "$results/$run_id-gateway.log" >&2
    exit 3
  fi
  sleep 0.5
done
curl -fs -o /dev/null "$ready_url" || { echo "The gateway was not ready after 60 s: $ready_url" >&2; exit 3; }
echo "Gateway ready; running $scenario"

set +e
BASE_URL="http://127.0.0.1:$gateway_port" RESULTS_DIR="$results" \
  "$here/.venv/bin/locust" -f "$here/$scenario.py" --headless --only-summary --loglevel INFO \
  2>&1 | tee "$results/$run_id-locust.log"
status="${PIPESTATUS[0]}"
set -e
echo "$scenario finished with exit code $status; logs in $results/$run_id-*.log"
exit "$status"
