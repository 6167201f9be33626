#!/usr/bin/env bash
# Starts Azurite (Table, Queue, Blob) from the repo's npm dev dependency unless one is already listening.
# Usage: scripts/azurite.sh [--in-memory]   Prints the PID it started (or nothing when one was running).
set -euo pipefail
cd "$(dirname "$0")/.."

listening() { (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; }

if listening; then
  exit 0
fi

if [ ! -x node_modules/.bin/azurite ]; then
  echo "azurite is not installed: run 'npm ci' first" >&2
  exit 1
fi

args=(--silent --skipApiVersionCheck --loose)
if [ "${1:-}" = "--in-memory" ]; then
  args+=(--inMemoryPersistence)
else
  mkdir -p .azurite
  args+=(--location .azurite)
fi

node_modules/.bin/azurite "${args[@]}" > .azurite.log 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  if listening; then
    echo "$pid"
    exit 0
  fi
  sleep 0.2
done
echo "Azurite did not start; see .azurite.log" >&2
exit 1
