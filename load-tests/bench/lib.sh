# Shared steps of the benchmark scripts: build, start and stop the processes, run wrk.
# Sourced by the scripts in this folder; not run on its own.
#
# Every process started here listens on 127.0.0.1 and is stopped by stop_all, which each
# script installs as its EXIT trap.

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench_dir/../.." && pwd)"

gateway_port="${GATEWAY_PORT:-28080}"
health_port="${HEALTH_PORT:-28081}"
ceiling_port="${CEILING_PORT:-28082}"
nginx_port="${NGINX_PORT:-28083}"
standin_port="${STANDIN_PORT:-28090}"
data_dir="${DATA_PACK:-$repo/../shared/data}/cfbd"
# The gateway rejects keys shorter than 20 characters; the stand-in accepts only this one.
api_key="bench-test-key-000000000"

year="${YEAR:-2025}"
week="${WEEK:-12}"
predictions_path="/api/v1/predictions?year=$year&week=$week"
games_path="/api/v1/cfbd/games?year=$year&week=$week&seasonType=regular&classification=fbs"
# Readiness: the first 200 of the health server's readiness check marks the end of start-up.
ready_url="${READY_URL:-http://127.0.0.1:$health_port/health/ready}"

# wrk settings shared by every HTTP comparison, so both sides see the same load.
wrk_threads="${WRK_THREADS:-2}"
wrk_connections="${WRK_CONNECTIONS:-128}"
wrk_duration="${WRK_DURATION:-20s}"
repetitions="${REPETITIONS:-3}"

results_root="$repo/load-tests/results"
classpath_file="$repo/target/test-classpath.txt"
jar="$repo/target/script-ohio-gateway.jar"

pids=()

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
  pids=()
}

# Stops one process started here and drops it from the list.
stop_pid() {
  local target="$1" pid kept=()
  kill "$target" 2> /dev/null || true
  wait "$target" 2> /dev/null || true
  for pid in "${pids[@]}"; do
    [[ "$pid" == "$target" ]] || kept+=("$pid")
  done
  pids=("${kept[@]}")
}

# Creates the results folder of this run and sets $out to it.
make_results_dir() {
  out="${BENCH_OUT:-$results_root/bench-$(date +%Y%m%dT%H%M%S)}"
  mkdir -p "$out"
}

check_ports() {
  local port
  for port in "$@"; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      echo "Port $port on 127.0.0.1 is already in use; set the matching *_PORT variable" >&2
      exit 3
    fi
  done
}

# Builds the jar and the test classes when they are missing or older than the sources.
build_if_needed() {
  [[ -d "$data_dir" ]] || { echo "Missing stored CFBD responses in $data_dir (set DATA_PACK)" >&2; exit 3; }
  "$bench_dir/install.sh"
  cd "$repo"
  if [[ ! -f "$jar" ]] || [[ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]]; then
    echo "Building the gateway jar"
    mvn -q -B package -DskipTests
  fi
  if [[ ! -f "$classpath_file" ]] || [[ -n "$(find src/test pom.xml -newer "$classpath_file" -print -quit)" ]]; then
    echo "Compiling the test classes"
    mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
    # build-classpath leaves an unchanged file as it was, so mark this build as done.
    touch "$classpath_file"
  fi
  test_classpath="$repo/target/test-classes:$repo/target/classes:$(cat "$classpath_file")"
}

# Starts the CFBD stand-in with LATENCY_MS of delay per reply and its counters endpoint on.
start_standin() {
  local latency="$1" log="$2"
  java -cp "$test_classpath" io.scriptohio.gateway.cfbd.CfbdStandIn \
    --data "$data_dir" --port "$standin_port" --latency-ms "$latency" \
    --key "$api_key" --quota 100000000 --expose-counters true > "$log" 2>&1 &
  standin_pid="$!"
  pids+=("$standin_pid")
  wait_http "http://127.0.0.1:$standin_port/_standin/counters" 60 "$standin_pid" "$log"
}

# Starts the gateway in front of the stand-in; sets gateway_pid and gateway_start_ns.
start_gateway() {
  local log="$1"
  shift
  gateway_start_ns="$(date +%s%N)"
  env CACHE_TYPE=local HTTP_HOST=127.0.0.1 METRICS_PORT="$gateway_port" HEALTH_CHECK_PORT="$health_port" \
    CFBD_BASE_URL="http://127.0.0.1:$standin_port" CFBD_API_KEY="$api_key" MOCK_DATA_FALLBACK_ENABLED=false \
    LOG_LEVEL=WARN "$@" java ${GATEWAY_JAVA_OPTS:-} -jar "$jar" > "$log" 2>&1 &
  gateway_pid="$!"
  pids+=("$gateway_pid")
}

# Polls URL every 10 ms until it responds with 200. Exits when PID dies or after TIMEOUT seconds.
wait_http() {
  local url="$1" timeout="$2" pid="$3" log="$4" deadline
  deadline=$(( $(date +%s) + timeout ))
  until curl -fs -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "Process $pid exited before $url responded with 200; last lines of $log:" >&2
      tail -5 "$log" >&2
      exit 3
    fi
    if (( $(date +%s) > deadline )); then
      echo "$url did not respond with 200 within $timeout s" >&2
      exit 3
    fi
    sleep 0.01
  done
}

# Returns the resident set size of PID in kB (VmRSS of /proc/PID/status).
rss_kb() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# Runs wrk once against URL and writes its output to FILE.
run_wrk() {
  local url="$1" file="$2"
  wrk -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_duration" --latency "$url" > "$file" 2>&1
}

machine_summary() {
  echo "cores: $(nproc)"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(free -h | awk '/^Mem:/ { print $2 }') total, $(free -h | awk '/^Mem:/ { print $7 }') available"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "wrk: $(wrk --version 2>&1 | head -1)"
  echo "nginx: $( (nginx -v || /usr/sbin/nginx -v) 2>&1 | head -1)"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}
