#!/usr/bin/env bash
# Benchmark 1: cached week predictions of the gateway against a bare vertx-web server (the
# ceiling) that returns the same bytes.
#
# Usage: load-tests/bench/ceiling.sh
# Environment: REPETITIONS (3), WRK_THREADS (2), WRK_CONNECTIONS (128), WRK_DURATION (20s),
# YEAR and WEEK (2025, 12), the *_PORT variables of lib.sh, BENCH_OUT (results folder).
#
# Runs wrk against each server in turn, alternating, REPETITIONS times, and prints the median
# and spread of requests/s, p50 and p99 and the ratio gateway/ceiling.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

build_if_needed
make_results_dir
check_ports "$gateway_port" "$health_port" "$ceiling_port" "$standin_port"

start_standin 50 "$out/ceiling-standin.log"
start_gateway "$out/ceiling-gateway.log"
wait_http "$ready_url" 120 "$gateway_pid" "$out/ceiling-gateway.log"

# The first request computes and caches the week; the body of the second is the cached one.
body="$out/predictions-body.json"
curl -fs -o /dev/null "http://127.0.0.1:$gateway_port$predictions_path"
curl -fs -D "$out/predictions-headers.txt" -o "$body" "http://127.0.0.1:$gateway_port$predictions_path"
echo "Cached predictions body: $(stat -c %s "$body") bytes"

java -cp "$test_classpath" io.scriptohio.gateway.bench.CeilingServer "$ceiling_port" "$body" \
  > "$out/ceiling-server.log" 2>&1 &
ceiling_pid="$!"
pids+=("$ceiling_pid")
wait_http "http://127.0.0.1:$ceiling_port/" 60 "$ceiling_pid" "$out/ceiling-server.log"
curl -fs "http://127.0.0.1:$ceiling_port$predictions_path" | cmp -s - "$body" \
  || { echo "The ceiling server does not return the gateway's body" >&2; exit 1; }

for i in $(seq 1 "$repetitions"); do
  echo "Repetition $i of $repetitions: gateway, then ceiling (wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration)"
  run_wrk "http://127.0.0.1:$gateway_port$predictions_path" "$out/ceiling-wrk-gateway-$i.txt"
  run_wrk "http://127.0.0.1:$ceiling_port$predictions_path" "$out/ceiling-wrk-ceiling-$i.txt"
done

echo "== 1. Cached predictions vs ceiling =="
python3 "$bench_dir/wrkstats.py" gateway "$out/ceiling-wrk-gateway-*.txt" \
  ceiling "$out/ceiling-wrk-ceiling-*.txt" "$out/ceiling.json"
