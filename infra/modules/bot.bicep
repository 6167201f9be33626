// Azure Bot registration with the Microsoft Teams channel. In UserAssignedMSI mode the bot's
// app id is the managed identity's client id, so there is no secret anywhere.
param name string
param tags object
param sku string

@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string
param botId string
param identityId string
param endpoint string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: 'Release Coordinator'
    endpoint: endpoint
    msaAppId: botId
    msaAppType: botAppType
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? identityId : null
    msaAppTenantId: tenant().tenantId
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

output name string = bot.name
