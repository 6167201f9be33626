#!/usr/bin/env bash
# Runs every test: unit, Table Storage against Azurite, the HTTP pipeline through the local host,
# the template-engine conformance and differential tests, and the tab in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "The tab tests need Debian's Chromium: sudo apt-get install -y chromium" >&2
  exit 1
fi

# The tests start Azurite themselves unless one is already listening on 127.0.0.1:10002.
dotnet test ReleaseTeamsApp.sln -nologo --logger "console;verbosity=minimal" "$@"
