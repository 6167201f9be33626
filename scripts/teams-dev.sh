#!/bin/sh
# The local host in a real Teams tenant (a Microsoft 365 developer tenant will do):
#   1. a dev tunnel that forwards https://<tunnel host> to the local host on port 7071,
#   2. a SingleTenant Entra app registration with a client secret: the bot's identity, and its tab SSO app
#      (api://<tunnel host>/botid-<app id>, access_as_user, Teams clients pre-authorised),
#   3. an Azure Bot (F0) with the Teams channel whose messaging endpoint is https://<tunnel host>/api/messages,
#   4. local.settings.json from local.settings.teams.sample.json with those values (the secret stays in that
#      git-ignored file), and
#   5. the Teams app package for the tunnel host (`package local`), to upload as a custom app.
# Usage: scripts/teams-dev.sh <resource group> [azure region]   (rerun it after the tunnel host changes)
# Settings: TUNNEL_ID (release-dev), BOT_NAME (bot-release-dev-<user>), BOT_APP_ID (reuse an app registration).
# DRY_RUN=1 prints every command and file instead of running or writing it.
set -eu
cd "$(dirname "$0")/.."
. scripts/dry-run.sh

group=${1:?usage: scripts/teams-dev.sh <resource group> [azure region]}
location=${2:-westeurope}
tunnel=${TUNNEL_ID:-release-dev}
port=7071
bot_name=${BOT_NAME:-bot-release-dev-$(id -un | tr -cd 'a-z0-9')}
need devtunnel "the dev tunnels CLI (https://aka.ms/devtunnels/download), then devtunnel user login"
need az "the Azure CLI, logged in to the developer tenant's subscription (az login --tenant <tenant>)"
need dotnet "the .NET 10 SDK"

echo "1/5 dev tunnel $tunnel → http://localhost:$port"
if ! exists devtunnel show "$tunnel"; then
  run devtunnel create "$tunnel" --allow-anonymous
  run devtunnel port create "$tunnel" -p "$port"
fi
tunnel_url=$(capture "https://$tunnel-$port.euw.devtunnels.ms" sh -c "devtunnel show '$tunnel' | grep -o 'https://[^ ]*-$port\.[^ ]*devtunnels\.ms' | head -n 1")
host=${tunnel_url#https://}
host=${host%/}
[ -n "$host" ] || { echo "No https host for port $port in 'devtunnel show $tunnel': run devtunnel port create $tunnel -p $port" >&2; exit 1; }

echo "2/5 SingleTenant app registration (bot identity and tab SSO)"
tenant=$(capture 00000000-0000-0000-0000-0000000000c1 az account show --query tenantId -o tsv)
app_id=${BOT_APP_ID:-$(capture 00000000-0000-0000-0000-0000000000a2 az ad app create --display-name "Release Coordinator (dev $host)" --sign-in-audience AzureADMyOrg --query appId -o tsv)}
secret=$(capture "<client secret>" az ad app credential reset --id "$app_id" --display-name teams-dev --years 1 --query password -o tsv)
run scripts/entra-expose-api.sh "$app_id" "api://$host/botid-$app_id"

echo "3/5 Azure Bot $bot_name → https://$host/api/messages"
run az group create --name "$group" --location "$location" --output none
if exists az bot show --resource-group "$group" --name "$bot_name" --output none; then
  run az bot update --resource-group "$group" --name "$bot_name" --endpoint "https://$host/api/messages" --output none
else
  run az bot create --resource-group "$group" --name "$bot_name" --app-type SingleTenant --appid "$app_id" \
    --tenant-id "$tenant" --endpoint "https://$host/api/messages" --sku F0 --output none
fi
# The Teams channel may be there from an earlier run.
quietly az bot msteams create --resource-group "$group" --name "$bot_name" --output none || true

echo "4/5 local.settings.json (SingleTenant bot, tab SSO on, Graph recording, Azurite)"
sed -e "s|<bot app id>|$app_id|g" -e "s|<tenant id>|$tenant|g" -e "s|<tunnel host>|$host|g" \
    -e "s|<client secret>|$(printf '%s' "$secret" | sed 's/[|&\\]/\\&/g')|g" local.settings.teams.sample.json | write local.settings.json

echo "5/5 Teams app package for $host"
run env HOST_NAME="$host" BOT_ID="$app_id" BOT_APP_TYPE=SingleTenant dotnet run --project src/ReleaseTeamsApp.Cli -- package local

cat <<NEXT

Now, in two terminals:   devtunnel host $tunnel        and        ./run.sh
Then in Teams: Apps → Manage your apps → Upload an app → Upload a custom app → appPackage/build/appPackage.local.zip,
add it to a team, and type "@Release Coordinator help" in a channel. The tab signs in with SSO through the tunnel.
NEXT
