// The app's only identity: Functions host storage, Table Storage, Key Vault references,
// Application Insights (Entra auth) and, in UserAssignedMSI mode, the bot itself.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
