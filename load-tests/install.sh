#!/usr/bin/env bash
# Installs the pinned Locust release into load-tests/.venv.
#
# Locust (MIT licence) drives the scenarios. The install is skipped when the
# virtual environment already has the pinned version, so CI can call this
# script before every run.
set -euo pipefail

LOCUST_VERSION="2.47.0"

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"

if [[ -x "$venv/bin/locust" ]] \
    && [[ "$("$venv/bin/python" -c 'import locust; print(locust.__version__)' 2>/dev/null)" == "$LOCUST_VERSION" ]]; then
  echo "locust $LOCUST_VERSION already installed in $venv"
  exit 0
fi

python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "locust==$LOCUST_VERSION"
echo "installed locust $("$venv/bin/python" -c 'import locust; print(locust.__version__)') in $venv"
