#!/usr/bin/env bash
# Benchmark 4: inference alone, with JMH: one week of games (59 rows) through each model and
# through the ensemble as the gateway runs it, single-threaded.
#
# Usage: load-tests/bench/inference.sh
# Environment: BENCH_OUT (results folder), JMH_OPTS (run options, default "-f 1 -wi 3 -i 5"
# with JMH's default of 10 s per iteration), JMH_CPU (the core JMH is pinned to with taskset,
# default 1; empty to leave it unpinned).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_if_needed
make_results_dir

pin=()
cpu="${JMH_CPU-1}"
if [[ -n "$cpu" ]] && command -v taskset > /dev/null; then
  pin=(taskset -c "$cpu")
fi

read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 3 -i 5}"
cd "$repo"
"${pin[@]}" java -cp "$test_classpath" org.openjdk.jmh.Main InferenceBenchmark \
  "${jmh_opts[@]}" -t 1 -rf json -rff "$out/inference.json" | tee "$out/inference.txt"

echo "== 4. Inference of one week (JMH, average time per call, ${pin[*]:-unpinned}) =="
grep -E '^Benchmark|^InferenceBenchmark' "$out/inference.txt"
