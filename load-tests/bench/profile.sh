#!/usr/bin/env bash
# Profiles the gateway with JDK Flight Recorder while wrk loads one cached route, and prints the
# methods most often on top of the sampled stacks.
#
# Usage: load-tests/bench/profile.sh [predictions|games]
# Environment: WRK_* and the *_PORT variables of lib.sh, BENCH_OUT (results folder).
#
# The recording (profile-ROUTE.jfr) stays in the results folder for `jfr print` or JDK Mission
# Control.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

route="${1:-predictions}"
case "$route" in
  predictions) path="$predictions_path" ;;
  games) path="$games_path" ;;
  *) echo "Unknown route $route: expected predictions or games" >&2; exit 3 ;;
esac

build_if_needed
make_results_dir
check_ports "$gateway_port" "$health_port" "$standin_port"
recording="$out/profile-$route.jfr"

start_standin 50 "$out/profile-standin.log"
GATEWAY_JAVA_OPTS="-XX:StartFlightRecording=filename=$recording,settings=profile,dumponexit=true" \
  start_gateway "$out/profile-gateway.log"
wait_http "$ready_url" 120 "$gateway_pid" "$out/profile-gateway.log"
curl -fs -o /dev/null "http://127.0.0.1:$gateway_port$path"

echo "Profiling $path under wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration"
run_wrk "http://127.0.0.1:$gateway_port$path" "$out/profile-wrk-$route.txt"
grep -E 'Requests/sec' "$out/profile-wrk-$route.txt"
# The recording is written when the JVM exits.
stop_pid "$gateway_pid"

jfr print --events jdk.ExecutionSample "$recording" > "$out/profile-$route-samples.txt"
echo "== Top frames of $(grep -c 'jdk.ExecutionSample' "$out/profile-$route-samples.txt") execution samples =="
python3 - "$out/profile-$route-samples.txt" <<'PY'
import collections
import re
import sys

top = collections.Counter()
package = collections.Counter()
samples = open(sys.argv[1], encoding="utf-8").read().split("jdk.ExecutionSample")
for sample in samples[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)
    if not frames:
        continue
    top[frames[0]] += 1
    # The first frame of the gateway's own code, or of Vert.x, on the stack.
    owner = next((f for f in frames if f.startswith("io.scriptohio.")), None) \
        or next((f for f in frames if f.startswith("io.vertx.")), frames[0])
    package[owner] += 1
total = sum(top.values())
print("top of stack:")
for frame, count in top.most_common(15):
    print(f"  {100 * count / total:5.1f} %  {frame}")
print("first gateway (or else Vert.x) frame on the stack:")
for frame, count in package.most_common(15):
    print(f"  {100 * count / total:5.1f} %  {frame}")
PY
