// RBAC-only vault for what cannot use the managed identity: a SingleTenant bot's client secret and the
// signal receivers' secrets (GitHub App webhook secret and private key, Azure DevOps and Azure Monitor hook secrets).
// Whatever is not given is not stored.
param name string
param location string
param tags object
param principalId string

@secure()
@description('Bot app registration client secret; empty means no secret is stored.')
param botClientSecret string = ''

@secure()
@description('GitHub App webhook secret (X-Hub-Signature-256); empty means none is stored.')
param githubWebhookSecret string = ''

@secure()
@description('GitHub App private key (PEM); empty means none is stored.')
param githubPrivateKey string = ''

@secure()
@description('Basic-auth password of the Azure DevOps service hooks and check; empty means none is stored.')
param azureDevOpsWebhookSecret string = ''

@secure()
@description('Azure DevOps personal access token (Build: read) the app reads runs with; empty means none is stored.')
param azureDevOpsToken string = ''

@secure()
@description('Token of the Azure Monitor action group webhook URL; empty means none is stored.')
param azureMonitorWebhookSecret string = ''

@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@allowed([
  'Allow'
  'Deny'
])
param networkDefaultAction string = 'Allow'

@description('IP addresses or CIDR ranges admitted when networkDefaultAction is Deny.')
param allowedIpRanges array = []

@description('Purge protection cannot be turned off again once on.')
param purgeProtection bool = false

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // The API accepts only true or an absent value for enablePurgeProtection.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: networkDefaultAction
      ipRules: [for range in allowedIpRanges: { value: range }]
    }
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(botClientSecret)) {
  parent: vault
  name: 'bot-client-secret'
  properties: {
    value: botClientSecret
  }
}

resource githubWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(githubWebhookSecret)) {
  parent: vault
  name: 'github-webhook-secret'
  properties: {
    value: githubWebhookSecret
  }
}

resource githubPrivateKeyValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(githubPrivateKey)) {
  parent: vault
  name: 'github-private-key'
  properties: {
    value: githubPrivateKey
  }
}

resource azureDevOpsWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureDevOpsWebhookSecret)) {
  parent: vault
  name: 'azure-devops-webhook-secret'
  properties: {
    value: azureDevOpsWebhookSecret
  }
}

resource azureDevOpsTokenValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureDevOpsToken)) {
  parent: vault
  name: 'azure-devops-token'
  properties: {
    value: azureDevOpsToken
  }
}

resource azureMonitorWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureMonitorWebhookSecret)) {
  parent: vault
  name: 'azure-monitor-webhook-secret'
  properties: {
    value: azureMonitorWebhookSecret
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
