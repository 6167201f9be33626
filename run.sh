#!/usr/bin/env bash
# Sets up and runs ReleaseTeamsApp locally: Azurite (Table Storage) + the local Functions host serving the bot
# endpoint, the tab and the timer functions, with Graph in recording mode and a local Teams stand-in.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1 || { echo "ReleaseTeamsApp needs $1 ($2)" >&2; exit 1; }; }
need dotnet ".NET SDK 10: https://dot.net"
need node "Node.js 20+"
need npm "npm, comes with Node.js"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "› npm ci (Azurite, browser libraries)"
  npm ci --no-audit --no-fund
fi

if [ ! -f local.settings.json ]; then
  echo "› local.settings.json created from local.settings.sample.json"
  cp local.settings.sample.json local.settings.json
fi

echo "› building"
dotnet build src/ReleaseTeamsApp.LocalHost -c Debug -nologo -v quiet

started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

azurite_pid=$(scripts/azurite.sh)
if [ -n "$azurite_pid" ]; then
  started+=("$azurite_pid")
  echo "› Azurite started (data in .azurite/)"
else
  echo "› Azurite already running on 127.0.0.1:10002"
fi

# LocalHost__Port (an environment variable) wins over local.settings.json, as it does for the host itself.
port=${LocalHost__Port:-$(node -e "const s=require('./local.settings.json');process.stdout.write(String((s.Host&&s.Host.LocalHttpPort)||7071))")}
base="http://localhost:${port}"
cat <<INFO

  ReleaseTeamsApp local host on ${base}
    health         ${base}/api/health
    bot endpoint   ${base}/api/messages        (anonymous mode: no MicrosoftAppId configured)
    tab            ${base}/api/tab/index.html?latest=1&tenantId=00000000-0000-0000-0000-00000000dev0&teamId=19:dev-team@thread.tacv2&channelId=19:dev-team@thread.tacv2
    tab config     ${base}/api/tab/config.html
    Teams stand-in ${base}/_dev/say  /_dev/click  /_dev/connector/activities
    clock          ${base}/admin/clock          (POST {"advance":"1.00:00:00"} plays time forward)

  Try:  curl -s ${base}/_dev/say -H 'content-type: application/json' -d '{"text":"new release 2.4.0 on $(date -u -d '+14 days' +%F)"}'

INFO

dotnet run --no-build --project src/ReleaseTeamsApp.LocalHost &
started+=("$!")
wait "$!"
