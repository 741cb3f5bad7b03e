#!/usr/bin/env bash
# Run every bench/*.py (or only bench/$1.py); each prints figures and ends with a JSON line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "${1:-}" ]; then
    scripts=("bench/$1.py")
    [ -f "${scripts[0]}" ] || { echo "No benchmark bench/$1.py" >&2; exit 2; }
else
    scripts=(bench/[!_]*.py)
fi
for script in "${scripts[@]}"; do
    [ -e "$script" ] || { echo "No benchmarks in bench/ yet."; exit 0; }
    echo "== $script"
    python "$script"
done
