#!/bin/sh
# Creates the tab's Entra app registration for SSO (a managed-identity bot cannot expose an API) and stores its id
# in the azd environment as SSO_APP_ID. Usage: scripts/tab-sso-app.sh <azd env>; then `azd provision` sets
# Tab__AppIdUri and rebuilds the Teams app package. DRY_RUN=1 prints what it would run.
set -eu
cd "$(dirname "$0")/.."
. scripts/dry-run.sh

env_name=${1:?usage: scripts/tab-sso-app.sh <azd environment name, e.g. dev>}
need az "the Azure CLI (az login to the tenant where Teams runs)"
need azd "the Azure Developer CLI"

host=${HOST_NAME:-$(capture func-example.azurewebsites.net azd env get-value HOST_NAME -e "$env_name")}
app_id=$(capture 00000000-0000-0000-0000-0000000000a1 az ad app create --display-name "Release Coordinator tab ($env_name)" --sign-in-audience AzureADMyOrg --query appId -o tsv)
run scripts/entra-expose-api.sh "$app_id" "api://$host/$app_id"
run azd env set SSO_APP_ID "$app_id" -e "$env_name"
echo "SSO_APP_ID=$app_id stored in azd environment '$env_name'. Next: azd provision -e $env_name"
