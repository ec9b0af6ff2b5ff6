#!/usr/bin/env bash
# Runs every benchmark once, in one results folder, and prints the numbers of each.
#
# Usage: load-tests/bench/run-all.sh
# Environment: as the single scripts (REPETITIONS, WRK_*, *_PORT, JMH_OPTS, JMH_CPU).
# Takes about 15 minutes with the defaults. Raw results and logs go to
# load-tests/results/bench-TIME/, the printed summary also to summary.txt there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_if_needed
make_results_dir
export BENCH_OUT="$out"

{
  echo "== Machine =="
  machine_summary
  echo "settings: wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration --latency, $repetitions repetitions"
  "$bench_dir/ceiling.sh"
  "$bench_dir/nginx.sh"
  "$bench_dir/cold.sh"
  COLD_LABEL=cold-burst COLD_ENV="CFBD_RATE_LIMIT_BURST=100 MAX_CONCURRENT_REQUESTS=20" "$bench_dir/cold.sh"
  "$bench_dir/inference.sh"
  "$bench_dir/startup.sh"
} 2>&1 | tee "$out/summary.txt"
echo "Results in $out"
