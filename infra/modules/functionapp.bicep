// The Functions app on the Flex Consumption plan (FC1), .NET 10 isolated worker. Flex sets the
// runtime through functionAppConfig and rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION
// as app settings, so those two appear only in local.settings.json.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param tableEndpoint string
param deploymentContainerUrl string
param applicationInsightsConnectionString string

@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string
param botId string

param keyVaultUri string

@description('SingleTenant mode with a client secret: MicrosoftAppPassword becomes a Key Vault reference.')
param useBotClientSecret bool
@description('What follows api://{host}/ in the tab SSO Application ID URI (botid-{bot id} or the SSO app id); empty: no tab SSO.')
param ssoAppIdUriPath string
param graphSenderMailbox string
param graphOrganizerMailbox string
@description('Mail domains stakeholders may be in (comma-separated); empty: the sender mailbox\'s domain.')
param graphAllowedRecipientDomains string
param tablePrefix string
param remindersSchedule string
param followUpsSchedule string
param outboxSchedule string

@description('GitHub REST base URL (https://api.github.com/, or https://<host>/api/v3/ for GitHub Enterprise Server).')
param githubApiBaseUrl string

@description('The GitHub App id; empty: REST reads and deployment reviews are off.')
param githubAppId string

@description('Where Azure DevOps lives (https://dev.azure.com/ or the server URL); a check\'s PlanUrl must lie under it.')
param azureDevOpsApiBaseUrl string

@description('Which signal secrets Key Vault holds; a secret not stored leaves its setting unset, and its receiver refuses every call.')
param keyVaultHolds object = {
  githubWebhookSecret: false
  githubPrivateKey: false
  azureDevOpsWebhookSecret: false
  azureDevOpsToken: false
  azureMonitorWebhookSecret: false
}

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

var hostName = site.properties.defaultHostName

var settings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  Storage__TableServiceUri: tableEndpoint
  Storage__TablePrefix: tablePrefix
  MicrosoftAppType: botAppType
  MicrosoftAppId: botId
  MicrosoftAppTenantId: tenant().tenantId
  Bot__OpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration'
  Graph__Mode: 'Live'
  Graph__SenderMailbox: graphSenderMailbox
  Graph__OrganizerMailbox: graphOrganizerMailbox
  Graph__AllowedRecipientDomains: graphAllowedRecipientDomains
  Reminders__Schedule: remindersSchedule
  FollowUps__Schedule: followUpsSchedule
  Outbox__Schedule: outboxSchedule
  Tab__AppIdUri: empty(ssoAppIdUriPath) ? '' : 'api://${hostName}/${ssoAppIdUriPath}'
  GitHub__ApiBaseUrl: githubApiBaseUrl
  GitHub__AppId: githubAppId
  GitHub__DecisionLinkBaseUrl: 'https://${hostName}/'
  AzureDevOps__ApiBaseUrl: azureDevOpsApiBaseUrl
}

// Signal secrets are Key Vault references, set only when the vault holds them.
var secretSettings = union(
  keyVaultHolds.githubWebhookSecret ? { GitHub__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/github-webhook-secret/)' } : {},
  keyVaultHolds.githubPrivateKey ? { GitHub__PrivateKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/github-private-key/)' } : {},
  keyVaultHolds.azureDevOpsWebhookSecret ? { AzureDevOps__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/azure-devops-webhook-secret/)' } : {},
  keyVaultHolds.azureDevOpsToken ? { AzureDevOps__Token: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/azure-devops-token/)' } : {},
  keyVaultHolds.azureMonitorWebhookSecret ? { AzureMonitor__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/azure-monitor-webhook-secret/)' } : {}
)

// Deployments go through the identity (azd, az functionapp deploy); no publishing user names or passwords.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: useBotClientSecret
    ? union(settings, secretSettings, { MicrosoftAppPassword: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/bot-client-secret/)' })
    : union(settings, secretSettings)
}

output name string = site.name
output hostName string = hostName
