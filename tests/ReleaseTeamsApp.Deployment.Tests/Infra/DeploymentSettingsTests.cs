using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Deployment.Tests.Infra;

public sealed partial class DeploymentSettingsTests
{
    // Every setting the app reads in Azure. FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION are
    // absent on purpose: Flex Consumption takes them from functionAppConfig.runtime and rejects them as settings.
    private static readonly string[] AzureSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "Storage__TableServiceUri", "Storage__TablePrefix", "AZURE_CLIENT_ID", "MicrosoftAppType", "MicrosoftAppId",
        "MicrosoftAppTenantId", "MicrosoftAppPassword", "Bot__OpenIdMetadataUrl", "Graph__Mode", "Graph__SenderMailbox",
        "Graph__OrganizerMailbox", "Graph__AllowedRecipientDomains", "Reminders__Schedule", "FollowUps__Schedule", "Outbox__Schedule", "Tab__AppIdUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "GitHub__WebhookSecret", "GitHub__ApiBaseUrl", "GitHub__AppId", "GitHub__PrivateKey",
        "GitHub__DecisionLinkBaseUrl", "AzureDevOps__WebhookSecret", "AzureDevOps__ApiBaseUrl", "AzureMonitor__WebhookSecret",
    ];

    [Fact]
    public void FunctionAppBicep_AppSettings_SetEverySettingTheAppReads()
    {
        var bicep = RepositoryFiles.Read("infra/modules/functionapp.bicep");

        var declared = SettingKey().Matches(bicep).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Empty(AzureSettings.Except(declared));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", declared);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", declared);
    }

    [Fact]
    public void Readme_SettingsTable_DescribesEverySetting()
    {
        var rows = SettingsRows();

        Assert.All(AzureSettings.Concat(["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "Storage__ConnectionString"]),
            setting => Assert.Contains(rows, row => row.StartsWith($"| `{setting}`", StringComparison.Ordinal)));
    }

    [Fact]
    public void LocalSettingsSample_EveryValue_IsInTheReadmeSettingsTable()
    {
        var sample = System.Text.Json.Nodes.JsonNode.Parse(RepositoryFiles.Read("local.settings.sample.json"))!["Values"]!.AsObject();

        var rows = SettingsRows();

        Assert.All(sample.Select(p => p.Key), key => Assert.Contains(rows, row => row.Contains($"`{key}`", StringComparison.Ordinal)));
    }

    private static List<string> SettingsRows() =>
        RepositoryFiles.Read("README.md").Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToList();

    [Fact]
    public void AzureYaml_ApiService_PointsAtTheFunctionsProject()
    {
        var azureYaml = RepositoryFiles.Read("azure.yaml");

        var project = ProjectLine().Match(azureYaml).Groups[1].Value;

        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, project, "ReleaseTeamsApp.Functions.csproj")), $"azure.yaml project '{project}'");
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<![\w.'])([A-Za-z][A-Za-z0-9_]*)\s*:\s")]
    private static partial Regex SettingKey();

    [GeneratedRegex(@"^\s+project:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
