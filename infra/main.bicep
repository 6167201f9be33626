// ReleaseTeamsApp: Function App (Flex Consumption, .NET 10 isolated), Storage, Application Insights,
// a user-assigned managed identity that is also the bot's identity, Azure Bot with the Teams channel,
// and a Key Vault for the one thing that cannot use the identity (a SingleTenant bot's client secret).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource except the bot, which is global.')
param location string

@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
@description('UserAssignedMSI: the managed identity is the bot identity (no secret). SingleTenant: an Entra app registration with a client secret kept in Key Vault.')
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the Entra app registration (client) id of the bot.')
param botAppId string = ''

@secure()
@description('SingleTenant only: the bot app registration client secret; stored in Key Vault, never in app settings.')
param botClientSecret string = ''

@description('Client id of the tab\'s Entra app registration (exposes api://{host}/{id}). Empty: SingleTenant bots use their own app registration (api://{host}/botid-{bot app id}); a managed-identity bot then has no tab SSO.')
param ssoAppId string = ''

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID). Not empty: that principal may read and write the tables and blobs (shared keys are off). Empty: no role assignment.')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
@description('What principalId is.')
param principalType string = 'User'

@allowed([
  'Enabled'
  'Disabled'
])
@description('Public network access to the storage account. The Flex Consumption app reaches it over the public endpoint unless it is put in a virtual network, so keep Enabled without one.')
param storagePublicNetworkAccess string = 'Enabled'

@allowed([
  'Allow'
  'Deny'
])
@description('Storage firewall default action; Deny admits only storageAllowedIpRanges and trusted Azure services.')
param storageNetworkDefaultAction string = 'Allow'

@description('Public IP addresses or CIDR ranges admitted to the storage account when storageNetworkDefaultAction is Deny.')
param storageAllowedIpRanges array = []

@allowed([
  'Enabled'
  'Disabled'
])
@description('Public network access to Key Vault (Key Vault references are resolved by the platform as a trusted service).')
param keyVaultPublicNetworkAccess string = 'Enabled'

@allowed([
  'Allow'
  'Deny'
])
@description('Key Vault firewall default action; Deny admits only keyVaultAllowedIpRanges and trusted Azure services.')
param keyVaultNetworkDefaultAction string = 'Allow'

@description('Public IP addresses or CIDR ranges admitted to Key Vault when keyVaultNetworkDefaultAction is Deny.')
param keyVaultAllowedIpRanges array = []

@description('Key Vault purge protection. Once on it can never be turned off and a deleted vault name stays taken for the retention period, so it is off for trial environments; turn it on for production.')
param keyVaultPurgeProtection bool = false

@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Mailbox (UPN) that sends stakeholder announcements through Graph.')
param graphSenderMailbox string = ''

@description('Mailbox (UPN) that organises the retrospective meeting through Graph.')
param graphOrganizerMailbox string = ''

@description('Mail domains (comma-separated) stakeholders and retrospective invitees may be in: the tenant\'s verified domains and partners you mean to mail. Empty: only the sender mailbox\'s domain.')
param graphAllowedRecipientDomains string = ''

@description('Prefix for the app\'s table names, so several environments can share one account.')
param tablePrefix string = 'release'

@description('NCRONTAB schedule of the reminder sweep.')
param remindersSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the post-release follow-up sweep.')
param followUpsSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the Graph outbox drain.')
param outboxSchedule string = '0 * * * * *'

@secure()
@description('GitHub App webhook secret: deliveries to /api/hooks/github must be signed with it. Empty: every delivery is refused.')
param githubWebhookSecret string = ''

@description('GitHub App id (the app JWT\'s issuer). Empty: webhooks still tick items that need no REST read.')
param githubAppId string = ''

@secure()
@description('GitHub App private key (PEM), for installation tokens (REST reads, deployment reviews).')
param githubPrivateKey string = ''

@description('GitHub REST base URL; https://<host>/api/v3/ for GitHub Enterprise Server.')
param githubApiBaseUrl string = 'https://api.github.com/'

@secure()
@description('Basic-auth password of the Azure DevOps service hooks and Invoke REST API check. Empty: every call is refused.')
param azureDevOpsWebhookSecret string = ''

@secure()
@description('Azure DevOps personal access token (Build: read): the app reads the branch of a run and the reconciler re-reads waiting pipeline items. Empty: run notifications settle nothing and the reconciler skips Azure DevOps.')
param azureDevOpsToken string = ''

@description('Where Azure DevOps lives: https://dev.azure.com/ or an Azure DevOps Server URL.')
param azureDevOpsApiBaseUrl string = 'https://dev.azure.com/'

@secure()
@description('Token of the Azure Monitor action group webhook URL (/api/hooks/azure-monitor?token=…). Empty: every alert is refused.')
param azureMonitorWebhookSecret string = ''

var tags = {
  'azd-env-name': environmentName
}
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  name: 'identity'
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  name: 'monitoring'
  params: {
    workspaceName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    publicNetworkAccess: storagePublicNetworkAccess
    networkDefaultAction: storageNetworkDefaultAction
    allowedIpRanges: storageAllowedIpRanges
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: resourceGroup
  name: 'keyvault'
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    botClientSecret: botAppType == 'SingleTenant' ? botClientSecret : ''
    publicNetworkAccess: keyVaultPublicNetworkAccess
    networkDefaultAction: keyVaultNetworkDefaultAction
    allowedIpRanges: keyVaultAllowedIpRanges
    purgeProtection: keyVaultPurgeProtection
    githubWebhookSecret: githubWebhookSecret
    githubPrivateKey: githubPrivateKey
    azureDevOpsWebhookSecret: azureDevOpsWebhookSecret
    azureDevOpsToken: azureDevOpsToken
    azureMonitorWebhookSecret: azureMonitorWebhookSecret
  }
}

// A SingleTenant bot without its app id would deploy a Function App with an empty MicrosoftAppId, which the app refuses.
var botId = botAppType == 'UserAssignedMSI'
  ? identity.outputs.clientId
  : (!empty(botAppId) ? botAppId : fail('botAppType SingleTenant needs botAppId (BOT_APP_ID): the Entra app registration (client) id of the bot.'))

// The path of the tab SSO Application ID URI after api://{host}/ — the same rule as the app package's
// webApplicationInfo.resource: the bot's own app registration uses Teams' botid- form, a separate one its client id.
var botDoesSso = botAppType == 'SingleTenant' && (empty(ssoAppId) || ssoAppId == botAppId)
var ssoAppIdUriPath = botDoesSso ? 'botid-${botAppId}' : ssoAppId

module functionApp 'modules/functionapp.bicep' = {
  scope: resourceGroup
  name: 'functionapp'
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    botAppType: botAppType
    botId: botId
    keyVaultUri: keyVault.outputs.vaultUri
    useBotClientSecret: botAppType == 'SingleTenant' && !empty(botClientSecret)
    ssoAppIdUriPath: ssoAppIdUriPath
    graphSenderMailbox: graphSenderMailbox
    graphOrganizerMailbox: graphOrganizerMailbox
    graphAllowedRecipientDomains: graphAllowedRecipientDomains
    tablePrefix: tablePrefix
    remindersSchedule: remindersSchedule
    followUpsSchedule: followUpsSchedule
    outboxSchedule: outboxSchedule
    githubApiBaseUrl: githubApiBaseUrl
    githubAppId: githubAppId
    azureDevOpsApiBaseUrl: azureDevOpsApiBaseUrl
    keyVaultHolds: {
      githubWebhookSecret: !empty(githubWebhookSecret)
      githubPrivateKey: !empty(githubPrivateKey)
      azureDevOpsWebhookSecret: !empty(azureDevOpsWebhookSecret)
      azureDevOpsToken: !empty(azureDevOpsToken)
      azureMonitorWebhookSecret: !empty(azureMonitorWebhookSecret)
    }
  }
}

module bot 'modules/bot.bicep' = {
  scope: resourceGroup
  name: 'bot'
  params: {
    name: 'bot-${resourceToken}'
    tags: tags
    sku: botSku
    botAppType: botAppType
    botId: botId
    identityId: identity.outputs.id
    endpoint: 'https://${functionApp.outputs.hostName}/api/messages'
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output FUNCTION_APP_NAME string = functionApp.outputs.name
output HOST_NAME string = functionApp.outputs.hostName
output BOT_ID string = botId
output BOT_APP_TYPE string = botAppType
output BOT_NAME string = bot.outputs.name
output IDENTITY_CLIENT_ID string = identity.outputs.clientId
output KEY_VAULT_NAME string = keyVault.outputs.name
