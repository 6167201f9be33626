#!/bin/sh
# azd prepackage hook of the api service: the release tab ships @microsoft/teams-js and chart.js from node_modules,
# so the Functions project cannot be built or published before `npm ci`. DRY_RUN=1 prints what it would run.
set -eu
cd "$(dirname "$0")/.."
. scripts/dry-run.sh

need npm "install Node.js 20 or later (it brings npm), then run azd up again"
echo "npm ci in $(pwd)"
run npm ci --no-audit --no-fund
