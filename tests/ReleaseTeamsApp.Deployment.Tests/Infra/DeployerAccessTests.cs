using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.Deployment.Tests.Infra;

/// <summary>What the compiled template (ARM JSON) gives the deploying user, and the network and vault switches.</summary>
public sealed class DeployerAccessTests
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    [Fact]
    public void FunctionApp_BasicPublishingCredentials_FtpAndScmDisallowed()
    {
        var policies = CompiledTemplate.ModuleResources("functionapp", "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(["'ftp'", "'scm'"], policies.Select(p => ((string)p["name"]!).Split(", ")[^1].TrimEnd(')', ']')).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False((bool)p["properties"]!["allow"]!));
    }

    [Fact]
    public void Storage_DeployerPrincipal_GetsTableAndBlobDataRolesOnlyWhenGiven()
    {
        var storage = CompiledTemplate.Module("storage");
        var assignments = CompiledTemplate.ModuleResources("storage", "Microsoft.Authorization/roleAssignments")
            .Single(r => r["properties"]!["principalId"]!.ToString() == "[parameters('deployerPrincipalId')]");

        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", (string?)assignments["condition"]);
        Assert.Equal("[parameters('deployerPrincipalType')]", (string?)assignments["properties"]!["principalType"]);
        var roles = storage["properties"]!["template"]!["variables"]!["deployerRoles"]!.AsObject().Select(p => (string?)p.Value).ToList();
        Assert.Equal([StorageTableDataContributor, StorageBlobDataContributor], roles.Order(StringComparer.Ordinal));
        Assert.Equal("[parameters('principalId')]", (string?)storage["properties"]!["parameters"]!["deployerPrincipalId"]!["value"]);
        Assert.Equal("", (string?)CompiledTemplate.Template["parameters"]!["principalId"]!["defaultValue"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID=}", (string?)Parameters()["principalId"]!["value"]);
    }

    [Theory]
    [InlineData("storagePublicNetworkAccess", "Enabled")]
    [InlineData("storageNetworkDefaultAction", "Allow")]
    [InlineData("keyVaultPublicNetworkAccess", "Enabled")]
    [InlineData("keyVaultNetworkDefaultAction", "Allow")]
    public void Main_NetworkParameters_DefaultToWhatFlexConsumptionWithoutAVirtualNetworkNeeds(string parameter, string expected)
    {
        Assert.Equal(expected, (string?)CompiledTemplate.Template["parameters"]![parameter]!["defaultValue"]);
    }

    [Fact]
    public void StorageAndKeyVault_NetworkRules_FollowTheParameters()
    {
        var account = CompiledTemplate.ModuleResources("storage", "Microsoft.Storage/storageAccounts").Single()["properties"]!;
        var vault = CompiledTemplate.ModuleResources("keyvault", "Microsoft.KeyVault/vaults").Single()["properties"]!;

        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)account["publicNetworkAccess"]);
        Assert.Equal("[parameters('networkDefaultAction')]", (string?)account["networkAcls"]!["defaultAction"]);
        Assert.Equal("AzureServices", (string?)account["networkAcls"]!["bypass"]);
        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)vault["publicNetworkAccess"]);
        Assert.Equal("[parameters('networkDefaultAction')]", (string?)vault["networkAcls"]!["defaultAction"]);
        Assert.Equal("AzureServices", (string?)vault["networkAcls"]!["bypass"]);
        Assert.Equal("[parameters('storageNetworkDefaultAction')]", (string?)CompiledTemplate.Module("storage")["properties"]!["parameters"]!["networkDefaultAction"]!["value"]);
        Assert.Equal("[parameters('keyVaultNetworkDefaultAction')]", (string?)CompiledTemplate.Module("keyvault")["properties"]!["parameters"]!["networkDefaultAction"]!["value"]);
    }

    [Fact]
    public void KeyVault_PurgeProtection_OffByDefaultAndOnlyEverSentAsTrue()
    {
        var vault = CompiledTemplate.ModuleResources("keyvault", "Microsoft.KeyVault/vaults").Single()["properties"]!;

        Assert.False((bool)CompiledTemplate.Template["parameters"]!["keyVaultPurgeProtection"]!["defaultValue"]!);
        // The vault API rejects enablePurgeProtection: false; the template sends true or nothing.
        Assert.Equal("[if(parameters('purgeProtection'), true(), null())]", (string?)vault["enablePurgeProtection"]);
        Assert.Equal("[parameters('keyVaultPurgeProtection')]", (string?)CompiledTemplate.Module("keyvault")["properties"]!["parameters"]!["purgeProtection"]!["value"]);
    }

    private static JsonNode Parameters() => JsonNode.Parse(RepositoryFiles.Read("infra/main.parameters.json"))!["parameters"]!;
}
