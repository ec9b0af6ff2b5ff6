#!/usr/bin/env bash
# Benchmark 3: the cold path. A freshly started gateway in front of a stand-in with 50 ms of
# latency gets 1,000 concurrent requests for the predictions of one uncached week.
#
# Usage: load-tests/bench/cold.sh
# Environment: REPETITIONS (3), COLD_REQUESTS (1000), STANDIN_LATENCY_MS (50), YEAR and WEEK
# (2025, 12), the *_PORT variables of lib.sh, BENCH_OUT (results folder), COLD_ENV (extra
# VAR=value settings for the gateway, space separated, for example
# "CFBD_RATE_LIMIT_BURST=100 MAX_CONCURRENT_REQUESTS=20"), COLD_LABEL (names the output files).
#
# Prints, per repetition, the time to the first and the last response and the upstream calls that
# the burst caused (total, and the most for one CFBD request, which is 1 when concurrent
# requests share each call).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

requests="${COLD_REQUESTS:-1000}"
latency="${STANDIN_LATENCY_MS:-50}"
label="${COLD_LABEL:-cold}"
read -r -a cold_env <<< "${COLD_ENV:-}"

build_if_needed
make_results_dir
check_ports "$gateway_port" "$health_port" "$standin_port"
# Each request uses its own connection, and the driver, the gateway and the stand-in run here.
if (( $(ulimit -n) < 4 * requests )); then
  ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
  (( $(ulimit -n) >= 2 * requests + 100 )) || { echo "Open-file limit $(ulimit -n) is too low for $requests connections" >&2; exit 3; }
fi

counters_url="http://127.0.0.1:$standin_port/_standin/counters"
for i in $(seq 1 "$repetitions"); do
  echo "Repetition $i of $repetitions: $requests concurrent requests, stand-in latency $latency ms, gateway settings: ${COLD_ENV:-defaults}"
  start_standin "$latency" "$out/$label-standin-$i.log"
  start_gateway "$out/$label-gateway-$i.log" "${cold_env[@]}"
  wait_http "$ready_url" 120 "$gateway_pid" "$out/$label-gateway-$i.log"

  curl -fs -o "$out/$label-counters-before-$i.json" "$counters_url"
  set +e
  java -cp "$test_classpath" io.scriptohio.gateway.bench.ConcurrentGetDriver \
    "http://127.0.0.1:$gateway_port$predictions_path" "$requests" \
    > "$out/$label-driver-$i.json" 2> "$out/$label-driver-$i.log"
  set -e
  curl -fs -o "$out/$label-counters-after-$i.json" "$counters_url"
  stop_all
done

echo "== 3. Cold path ($label, gateway settings: ${COLD_ENV:-defaults}): $requests concurrent requests for $predictions_path =="
python3 - "$out" "$repetitions" "$label" <<'PY'
import json
import statistics
import sys

out, repetitions, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for i in range(1, repetitions + 1):
    driver = json.load(open(f"{out}/{label}-driver-{i}.json"))
    before = json.load(open(f"{out}/{label}-counters-before-{i}.json"))["callsByKey"]
    after = json.load(open(f"{out}/{label}-counters-after-{i}.json"))["callsByKey"]
    burst = {key: calls - before.get(key, 0) for key, calls in after.items() if calls - before.get(key, 0) > 0}
    rows.append({"first_ms": driver["firstMillis"], "last_ms": driver["lastMillis"],
                 "statuses": driver["statusCounts"], "failures": driver["failures"],
                 "upstream_calls": sum(burst.values()), "upstream_keys": len(burst),
                 "max_calls_per_key": max(burst.values(), default=0), "calls_by_key": burst})
    row = rows[-1]
    print(f"run {i}: first {row['first_ms']:.0f} ms, last {row['last_ms']:.0f} ms, statuses {row['statuses']}, "
          f"failures {row['failures']}, upstream calls {row['upstream_calls']} for {row['upstream_keys']} "
          f"distinct requests (max {row['max_calls_per_key']} per request)")
firsts = [row["first_ms"] for row in rows]
lasts = [row["last_ms"] for row in rows]
print(f"first answer median {statistics.median(firsts):.0f} ms ({min(firsts):.0f}-{max(firsts):.0f}), "
      f"last answer median {statistics.median(lasts):.0f} ms ({min(lasts):.0f}-{max(lasts):.0f})")
json.dump(rows, open(f"{out}/{label}.json", "w"), indent=2)
PY
