#!/usr/bin/env bash
# Benchmark 2: the gateway's cached CFBD proxy route against nginx proxy_cache in front of the
# same CFBD stand-in.
#
# Usage: load-tests/bench/nginx.sh
# Environment: as ceiling.sh, plus NGINX_PORT (28083).
#
# nginx serves /games?... (the CFBD path) and the gateway /api/v1/cfbd/games?..., both warmed
# so every measured request is a cache hit. wrk runs against each in turn, alternating.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

build_if_needed
make_results_dir
check_ports "$gateway_port" "$health_port" "$nginx_port" "$standin_port"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

start_standin 50 "$out/nginx-standin.log"
start_gateway "$out/nginx-gateway.log"

# The prefix contains the config, logs and cache, and it stays with the results for inspection.
# nginx workers run as an unprivileged user when started as root, so they must be able to
# enter it.
prefix="$out/nginx"
mkdir -p "$prefix"
chmod 755 "$out" "$prefix"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@STANDIN_PORT@|$standin_port|g" \
  -e "s|@NGINX_PORT@|$nginx_port|g" -e "s|@API_KEY@|$api_key|g" \
  "$repo/load-tests/nginx/nginx.conf" > "$prefix/nginx.conf"
"$nginx_bin" -t -p "$prefix" -c "$prefix/nginx.conf" > "$out/nginx-configtest.log" 2>&1 \
  || { cat "$out/nginx-configtest.log" >&2; exit 3; }
"$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" > "$out/nginx.log" 2>&1 &
nginx_pid="$!"
pids+=("$nginx_pid")

nginx_path="${games_path#/api/v1/cfbd}"
wait_http "$ready_url" 120 "$gateway_pid" "$out/nginx-gateway.log"
wait_http "http://127.0.0.1:$nginx_port$nginx_path" 30 "$nginx_pid" "$out/nginx.log"

# Warm both caches, then check that both return the same body from their cache.
curl -fs -o "$out/games-gateway.json" "http://127.0.0.1:$gateway_port$games_path"
curl -fs -o "$out/games-nginx.json" "http://127.0.0.1:$nginx_port$nginx_path"
gateway_cache="$(curl -fs -D - -o /dev/null "http://127.0.0.1:$gateway_port$games_path" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')"
nginx_cache="$(curl -fs -D - -o /dev/null "http://127.0.0.1:$nginx_port$nginx_path" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')"
echo "Games body: gateway $(stat -c %s "$out/games-gateway.json") bytes (X-Cache $gateway_cache), nginx $(stat -c %s "$out/games-nginx.json") bytes (X-Cache $nginx_cache)"
cmp -s "$out/games-gateway.json" "$out/games-nginx.json" || echo "NOTE: the two bodies differ" >&2

for i in $(seq 1 "$repetitions"); do
  echo "Repetition $i of $repetitions: gateway, then nginx (wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration)"
  run_wrk "http://127.0.0.1:$gateway_port$games_path" "$out/nginx-wrk-gateway-$i.txt"
  run_wrk "http://127.0.0.1:$nginx_port$nginx_path" "$out/nginx-wrk-nginx-$i.txt"
done

echo "== 2. Cached CFBD proxy vs nginx proxy_cache =="
python3 "$bench_dir/wrkstats.py" gateway "$out/nginx-wrk-gateway-*.txt" \
  nginx "$out/nginx-wrk-nginx-*.txt" "$out/nginx.json"
