#!/usr/bin/env bash
# Benchmark 5: start-to-ready time and resident memory, idle and under load.
#
# Usage: load-tests/bench/startup.sh
# Environment: REPETITIONS (3), READY_URL (the health server's /health/ready), WRK_* and the *_PORT variables of
# lib.sh, BENCH_OUT (results folder).
#
# Per repetition: start the gateway, poll READY_URL every 10 ms and take the time from the
# launch to the first 200, read VmRSS once the week is cached and the gateway has been idle
# for 5 s, then run wrk with a request mix (cached predictions, the CFBD proxy, models and a
# second week) and keep the highest VmRSS sampled every 500 ms.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

build_if_needed
make_results_dir
check_ports "$gateway_port" "$health_port" "$standin_port"

start_standin 50 "$out/startup-standin.log"
export MIX_PATHS="$predictions_path|$games_path|/api/v1/models|/api/v1/predictions?year=$year&week=$((week - 1))"

for i in $(seq 1 "$repetitions"); do
  log="$out/startup-gateway-$i.log"
  start_gateway "$log"
  wait_http "$ready_url" 120 "$gateway_pid" "$log"
  ready_ms=$(( ($(date +%s%N) - gateway_start_ns) / 1000000 ))
  ready_rss=$(rss_kb "$gateway_pid")

  curl -fs -o /dev/null "http://127.0.0.1:$gateway_port$predictions_path"
  sleep 5
  idle_rss=$(rss_kb "$gateway_pid")

  run_wrk_mix() {
    wrk -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_duration" --latency -s "$bench_dir/mix.lua" \
      "http://127.0.0.1:$gateway_port" > "$out/startup-wrk-$i.txt" 2>&1
  }
  run_wrk_mix &
  wrk_pid="$!"
  peak_rss=0
  while kill -0 "$wrk_pid" 2> /dev/null; do
    sample=$(rss_kb "$gateway_pid")
    (( sample > peak_rss )) && peak_rss=$sample
    sleep 0.5
  done
  wait "$wrk_pid"
  rps=$(awk '/Requests\/sec:/ { print $2 }' "$out/startup-wrk-$i.txt")

  echo "run $i: ready in $ready_ms ms; VmRSS at ready $((ready_rss / 1024)) MiB, idle $((idle_rss / 1024)) MiB, peak under load $((peak_rss / 1024)) MiB (mix at $rps requests/s)" \
    | tee -a "$out/startup.txt"
  stop_pid "$gateway_pid"
done

echo "== 5. Start-to-ready and RSS =="
cat "$out/startup.txt"
