using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseTeamsApp.Cli.AppPackage;

namespace ReleaseTeamsApp.Deployment.Tests.Scripts;

/// <summary>The azd hooks of azure.yaml, run in their dry mode (DRY_RUN=1) in a copy of the repository.</summary>
public sealed partial class AzdHookTests : IDisposable
{
    private const string HostName = "func-release.azurewebsites.net";
    private const string BotId = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private const string SsoAppId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    private readonly string _root = RepositoryFiles.CopyScriptsAndAppPackage();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Postprovision_AzdOutputs_WritesOnlyPackageValuesAndBuildsThePackage()
    {
        var result = Postprovision(new()
        {
            ["HOST_NAME"] = HostName,
            ["BOT_ID"] = BotId,
            ["BOT_APP_TYPE"] = "UserAssignedMSI",
            ["SSO_APP_ID"] = SsoAppId,
            ["BOT_CLIENT_SECRET"] = "not-for-files",
            ["AZURE_SUBSCRIPTION_ID"] = "11111111-1111-1111-1111-111111111111",
        });

        Assert.Equal(0, result.ExitCode);
        var written = ShellScript.WrittenFile(result.Output, "appPackage/env/.env.dev");
        var values = Values(written);
        Assert.Equal(["BOT_APP_TYPE", "BOT_ID", "HOST_NAME", "SSO_APP_ID", "TEAMS_APP_ID"], values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HostName, values["HOST_NAME"]);
        Assert.True(Guid.TryParse(values["TEAMS_APP_ID"], out _));
        Assert.DoesNotContain("not-for-files", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "appPackage", "env", ".env.dev")), "a dry run writes nothing");
        var commands = ShellScript.Commands(result.Output);
        Assert.Equal([$"azd env set TEAMS_APP_ID {values["TEAMS_APP_ID"]}", "dotnet run --project src/ReleaseTeamsApp.Cli -- package dev"], commands);

        // What the hook writes is what the package command it runs accepts.
        File.WriteAllText(Path.Combine(_root, "appPackage", "env", ".env.dev"), written);
        using var error = new StringWriter();
        Assert.Equal(PackageCommand.Success, PackageCommand.Run(["dev"], _root, _ => null, TextWriter.Null, error));
        using var zip = ZipFile.OpenRead(Path.Combine(_root, "appPackage", "build", "appPackage.dev.zip"));
        using var manifest = zip.GetEntry("manifest.json")!.Open();
        Assert.Equal($"api://{HostName}/{SsoAppId}", (string?)JsonNode.Parse(manifest)!["webApplicationInfo"]!["resource"]);
    }

    [Fact]
    public void Postprovision_EnvFileHasTeamsAppId_KeepsIt()
    {
        const string TeamsAppId = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
        File.WriteAllLines(Path.Combine(_root, "appPackage", "env", ".env.dev"), ["# from the first azd up", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}"]);

        var result = Postprovision(new() { ["HOST_NAME"] = HostName, ["BOT_ID"] = BotId });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(TeamsAppId, Values(ShellScript.WrittenFile(result.Output, "appPackage/env/.env.dev"))["TEAMS_APP_ID"]);
        Assert.DoesNotContain(ShellScript.Commands(result.Output), c => c.StartsWith("azd env set", StringComparison.Ordinal));
    }

    [Fact]
    public void Postprovision_OutsideAzd_ExitsNamingAzd()
    {
        var result = ShellScript.Run(_root, "scripts/azd-postprovision.sh", new Dictionary<string, string>());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("azd provision", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepackage_FromTheServiceFolder_RunsNpmCiAtTheRepositoryRoot()
    {
        var serviceFolder = Path.Combine(_root, "src", "ReleaseTeamsApp.Functions");

        var result = ShellScript.Run(serviceFolder, PrepackageRun(), new Dictionary<string, string>());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"npm ci in {_root}", result.Output, StringComparison.Ordinal);
        Assert.Equal(["npm ci --no-audit --no-fund"], ShellScript.Commands(result.Output));
    }

    [Fact]
    public void AzureYaml_Hooks_RunScriptsThatExist()
    {
        var azureYaml = RepositoryFiles.Read("azure.yaml");

        Assert.Matches(@"(?m)^hooks:\n  postprovision:\n    shell: sh\n    run: scripts/azd-postprovision.sh$", azureYaml.ReplaceLineEndings("\n"));
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, "scripts", "azd-postprovision.sh")));
        // Service hooks run in the service's project folder.
        var prepackage = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "src", "ReleaseTeamsApp.Functions", PrepackageRun()));
        Assert.Equal(Path.Combine(RepositoryFiles.Root, "scripts", "azd-prepackage.sh"), prepackage);
        Assert.True(File.Exists(prepackage));
    }

    private static string PrepackageRun() =>
        PrepackageLine().Match(RepositoryFiles.Read("azure.yaml").ReplaceLineEndings("\n")).Groups[1].Value;

    private ShellScript.Result Postprovision(Dictionary<string, string> outputs)
    {
        outputs["AZURE_ENV_NAME"] = "dev";
        return ShellScript.Run(_root, "scripts/azd-postprovision.sh", outputs);
    }

    private static Dictionary<string, string> Values(string envFile) =>
        envFile.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [GeneratedRegex(@"      prepackage:\n        shell: sh\n(?:        #.*\n)*        run: (\S+)")]
    private static partial Regex PrepackageLine();
}
