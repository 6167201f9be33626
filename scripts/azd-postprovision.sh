#!/bin/sh
# azd postprovision hook: writes appPackage/env/.env.<env> from the provisioning outputs (azd passes the
# environment's values, outputs included, as environment variables) and builds the Teams app package
# appPackage/build/appPackage.<env>.zip with the Cli's package command. Only ids and host names go into the file,
# never a secret. DRY_RUN=1 prints what it would write and run.
set -eu
cd "$(dirname "$0")/.."
. scripts/dry-run.sh

env_name=${AZURE_ENV_NAME:?AZURE_ENV_NAME is not set: run this through azd (azd provision or azd up)}
env_file="appPackage/env/.env.$env_name"

# TEAMS_APP_ID identifies the app in Teams: generated once, then kept in the azd environment and the env file.
teams_app_id=${TEAMS_APP_ID:-}
if [ -z "$teams_app_id" ] && [ -f "$env_file" ]; then
  teams_app_id=$(sed -n 's/^TEAMS_APP_ID=//p' "$env_file" | tr -d '"' | tail -n 1)
fi
if [ -z "$teams_app_id" ]; then
  teams_app_id=$(new_guid)
  run azd env set TEAMS_APP_ID "$teams_app_id"
fi

write "$env_file" <<VALUES
# Written by scripts/azd-postprovision.sh from azd environment '$env_name' (azd provision rewrites it).
TEAMS_APP_ID=$teams_app_id
BOT_ID=${BOT_ID:-}
HOST_NAME=${HOST_NAME:-}
BOT_APP_TYPE=${BOT_APP_TYPE:-UserAssignedMSI}
SSO_APP_ID=${SSO_APP_ID:-}
VALUES

if run dotnet run --project src/ReleaseTeamsApp.Cli -- package "$env_name"; then
  echo "Teams app package: appPackage/build/appPackage.$env_name.zip (upload it in Teams: README, Deploy §7)."
else
  # The Azure resources are in place; the deployment goes on. The package command said what to fix.
  echo "The Teams app package was not built; after fixing the above run: dotnet run --project src/ReleaseTeamsApp.Cli -- package $env_name" >&2
fi
