using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.Deployment.Tests.Scripts;

/// <summary>The dev loop in real Teams (scripts/teams-dev.sh) and the Entra scripts it shares with the tab SSO setup, in their dry mode.</summary>
public sealed class TeamsDevScriptTests : IDisposable
{
    private const string Host = "release-dev-7071.euw.devtunnels.ms";
    private const string AppId = "00000000-0000-0000-0000-0000000000a2";

    private readonly string _root = RepositoryFiles.CopyScriptsAndAppPackage();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TeamsDev_DryRun_TunnelAppRegistrationBotSettingsAndPackageInOrder()
    {
        var result = ShellScript.Run(_root, "scripts/teams-dev.sh", new Dictionary<string, string>(), "rg-release-dev");

        Assert.Equal(0, result.ExitCode);
        var commands = ShellScript.Commands(result.Output);
        var order = new[]
        {
            "devtunnel create release-dev --allow-anonymous",
            "devtunnel port create release-dev -p 7071",
            "az ad app create --display-name 'Release Coordinator (dev " + Host + ")' --sign-in-audience AzureADMyOrg --query appId -o tsv",
            $"az ad app credential reset --id {AppId} --display-name teams-dev --years 1 --query password -o tsv",
            $"scripts/entra-expose-api.sh {AppId} api://{Host}/botid-{AppId}",
            $"az bot create --resource-group rg-release-dev --name bot-release-dev-{UserName()} --app-type SingleTenant --appid {AppId} --tenant-id 00000000-0000-0000-0000-0000000000c1 --endpoint https://{Host}/api/messages --sku F0 --output none",
            $"az bot msteams create --resource-group rg-release-dev --name bot-release-dev-{UserName()} --output none",
            $"env HOST_NAME={Host} BOT_ID={AppId} BOT_APP_TYPE=SingleTenant dotnet run --project src/ReleaseTeamsApp.Cli -- package local",
        };
        var positions = order.Select(c => commands.IndexOf(c)).ToList();
        Assert.All(order.Zip(positions), p => Assert.True(p.Second >= 0, $"missing: {p.First}\n{string.Join('\n', commands)}"));
        Assert.Equal(positions.Order(), positions);
        Assert.False(File.Exists(Path.Combine(_root, "local.settings.json")), "a dry run writes nothing");
    }

    [Fact]
    public void TeamsDev_DryRun_LocalSettingsAreTheTeamsSampleFilledIn()
    {
        var result = ShellScript.Run(_root, "scripts/teams-dev.sh", new Dictionary<string, string> { ["BOT_APP_ID"] = AppId }, "rg-release-dev");

        var values = JsonNode.Parse(ShellScript.WrittenFile(result.Output, "local.settings.json"))!["Values"]!;
        Assert.Equal("SingleTenant", (string?)values["MicrosoftAppType"]);
        Assert.Equal(AppId, (string?)values["MicrosoftAppId"]);
        Assert.Equal("00000000-0000-0000-0000-0000000000c1", (string?)values["MicrosoftAppTenantId"]);
        Assert.Equal($"api://{Host}/botid-{AppId}", (string?)values["Tab__AppIdUri"]);
        Assert.Equal("false", (string?)values["Tab__AllowDevelopmentBypass"]);
        Assert.Equal("Recording", (string?)values["Graph__Mode"]);
        Assert.DoesNotContain(ShellScript.Commands(result.Output), c => c.StartsWith("az ad app create", StringComparison.Ordinal));
        Assert.DoesNotContain("<", values.ToJsonString().Replace("<client secret>", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void EntraExposeApi_DryRun_ExposesAccessAsUserToBothTeamsClients()
    {
        var result = ShellScript.Run(_root, "scripts/entra-expose-api.sh", new Dictionary<string, string>(), AppId, $"api://{Host}/botid-{AppId}");

        Assert.Equal(0, result.ExitCode);
        var commands = ShellScript.Commands(result.Output);
        Assert.Contains($"az ad app update --id {AppId} --identifier-uris api://{Host}/botid-{AppId}", commands);
        var patch = result.Output[result.Output.IndexOf("\"api\"", StringComparison.Ordinal)..];
        var body = JsonNode.Parse("{" + patch[..(patch.LastIndexOf("}}", StringComparison.Ordinal) + 2)])!["api"]!;
        var scope = body["oauth2PermissionScopes"]![0]!;
        Assert.Equal("access_as_user", (string?)scope["value"]);
        Assert.Equal(
            ["1fec8e78-bce4-4aaf-ab1b-5451cc387264", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"],
            body["preAuthorizedApplications"]!.AsArray().Select(a => (string?)a!["appId"]));
        Assert.All(body["preAuthorizedApplications"]!.AsArray(), a => Assert.Equal((string?)scope["id"], (string?)a!["delegatedPermissionIds"]![0]));
    }

    [Fact]
    public void TabSsoApp_DryRun_RegistersApiHostAppIdAndStoresSsoAppId()
    {
        var result = ShellScript.Run(_root, "scripts/tab-sso-app.sh", new Dictionary<string, string> { ["HOST_NAME"] = "func-release.azurewebsites.net" }, "dev");

        Assert.Equal(0, result.ExitCode);
        var commands = ShellScript.Commands(result.Output);
        const string App = "00000000-0000-0000-0000-0000000000a1";
        Assert.Contains($"scripts/entra-expose-api.sh {App} api://func-release.azurewebsites.net/{App}", commands);
        Assert.Contains($"azd env set SSO_APP_ID {App} -e dev", commands);
    }

    private static string UserName()
    {
        using var id = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("id", "-un") { RedirectStandardOutput = true })!;
        return new string(id.StandardOutput.ReadToEnd().Trim().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9').ToArray());
    }
}
