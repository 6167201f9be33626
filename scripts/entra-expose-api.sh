#!/bin/sh
# Lets Teams get SSO tokens for an Entra app registration: sets its Application ID URI, exposes the delegated scope
# access_as_user and pre-authorises the Teams clients (1fec8e78-… desktop and mobile, 5e3ce6c0-… web), so users are
# never asked to consent. Usage: scripts/entra-expose-api.sh <app id> <application id uri>. DRY_RUN=1 prints the calls.
set -eu
cd "$(dirname "$0")/.."
. scripts/dry-run.sh

app_id=${1:?usage: scripts/entra-expose-api.sh <app id> <application id uri, e.g. api://host/app id>}
identifier_uri=${2:?usage: scripts/entra-expose-api.sh <app id> <application id uri, e.g. api://host/app id>}
need az "the Azure CLI (az login to the tenant that holds the app registration)"

object_id=$(capture 00000000-0000-0000-0000-0000000000b1 az ad app show --id "$app_id" --query id -o tsv)
scope_id=$(new_guid)
run az ad app update --id "$app_id" --identifier-uris "$identifier_uri"
run az rest --method PATCH --uri "https://graph.microsoft.com/v1.0/applications/$object_id" --headers "Content-Type=application/json" --body "{
  \"api\": {
    \"requestedAccessTokenVersion\": 2,
    \"oauth2PermissionScopes\": [{\"id\": \"$scope_id\", \"value\": \"access_as_user\", \"type\": \"User\", \"isEnabled\": true,
      \"adminConsentDisplayName\": \"Access Release Coordinator as the user\", \"adminConsentDescription\": \"Lets Teams call the release tab API as the signed-in user.\",
      \"userConsentDisplayName\": \"Access Release Coordinator as you\", \"userConsentDescription\": \"Lets Teams call the release tab API as you.\"}],
    \"preAuthorizedApplications\": [
      {\"appId\": \"1fec8e78-bce4-4aaf-ab1b-5451cc387264\", \"delegatedPermissionIds\": [\"$scope_id\"]},
      {\"appId\": \"5e3ce6c0-2b1f-4285-8d4b-75ee78787346\", \"delegatedPermissionIds\": [\"$scope_id\"]}
    ]}}"
# The service principal lets users of the tenant sign in to it; it may exist already.
quietly az ad sp create --id "$app_id" || true
echo "$identifier_uri: access_as_user exposed, Teams clients pre-authorised"
