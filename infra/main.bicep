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

@description('Client id of the Entra app registration that exposes api://{host}/botid-{id} for tab SSO. Empty: the bot app id.')
param ssoAppId string = ''

@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Mailbox (UPN) that sends stakeholder announcements through Graph.')
param graphSenderMailbox string = ''

@description('Mailbox (UPN) that organises the retrospective meeting through Graph.')
param graphOrganizerMailbox string = ''

@description('Prefix for the app\'s table names, so several environments can share one account.')
param tablePrefix string = 'release'

@description('NCRONTAB schedule of the reminder sweep.')
param remindersSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the post-release follow-up sweep.')
param followUpsSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the Graph outbox drain.')
param outboxSchedule string = '0 * * * * *'

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
  }
}

// A SingleTenant bot without its app id would deploy a Function App with an empty MicrosoftAppId, which the app refuses.
var botId = botAppType == 'UserAssignedMSI'
  ? identity.outputs.clientId
  : (!empty(botAppId) ? botAppId : fail('botAppType SingleTenant needs botAppId (BOT_APP_ID): the Entra app registration (client) id of the bot.'))

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
    ssoAppId: empty(ssoAppId) ? botId : ssoAppId
    graphSenderMailbox: graphSenderMailbox
    graphOrganizerMailbox: graphOrganizerMailbox
    tablePrefix: tablePrefix
    remindersSchedule: remindersSchedule
    followUpsSchedule: followUpsSchedule
    outboxSchedule: outboxSchedule
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
output BOT_NAME string = bot.outputs.name
output IDENTITY_CLIENT_ID string = identity.outputs.clientId
output KEY_VAULT_NAME string = keyVault.outputs.name
