#!/usr/bin/env bash
# Create .venv with the project and its test tools, and install the front-end packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/os_packages.sh
source scripts/os_packages.sh

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
ensure_os_packages libpq-dev gcc python3-dev gettext
if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $PYTHON"
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        ensure_os_packages python3-venv
        "$PYTHON" -m venv .venv
    fi
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

command -v npm >/dev/null || ensure_os_packages nodejs npm
npm ci --no-audit --no-fund --loglevel=error
