#!/usr/bin/env bash
# Installs the load generator (wrk) and the reference proxy (nginx) from Debian's packages.
#
# Both are skipped when already on PATH, so every benchmark script can call this first.
# Installing needs root, as apt-get does.
set -euo pipefail

missing=()
command -v wrk > /dev/null || missing+=(wrk)
command -v nginx > /dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "wrk and nginx already installed"
  exit 0
fi

echo "Installing ${missing[*]} with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
# Debian starts the nginx service on install; the benchmarks run their own instance instead.
if command -v systemctl > /dev/null && systemctl is-active --quiet nginx 2> /dev/null; then
  systemctl stop nginx
fi
echo "Installed ${missing[*]}"
