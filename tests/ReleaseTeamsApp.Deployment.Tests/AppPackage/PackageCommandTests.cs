using System.IO.Compression;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cli.AppPackage;

namespace ReleaseTeamsApp.Deployment.Tests.AppPackage;

public sealed class PackageCommandTests : IDisposable
{
    private const string TeamsAppId = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    private const string BotId = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private const string SsoAppId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    private readonly string _root;
    private readonly string _appPackage;
    private readonly Dictionary<string, string> _environment = [];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public PackageCommandTests()
    {
        _root = RepositoryFiles.CopyAppPackage();
        _appPackage = Path.Combine(_root, "appPackage");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public void Run_LocalSampleEnvironment_WritesZipWithManifestAndIconsAtRoot()
    {
        var exitCode = Run("local");

        Assert.Equal(PackageCommand.Success, exitCode);
        using var zip = ZipFile.OpenRead(ZipPath("local"));
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_ValuesInEnvFile_FillsEveryPlaceholder()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID=\"{BotId}\"", "HOST_NAME=func-release.azurewebsites.net", $"SSO_APP_ID={SsoAppId}");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.Success, exitCode);
        var manifest = ReadZippedManifest("dev");
        Assert.Equal(TeamsAppId, (string?)manifest["id"]);
        Assert.Equal(BotId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal("https://func-release.azurewebsites.net/api/tab/config.html", (string?)manifest["configurableTabs"]![0]!["configurationUrl"]);
        Assert.Equal(["func-release.azurewebsites.net", "token.botframework.com"], manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        Assert.DoesNotContain("{{", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SingleTenantBotWithoutSsoApp_UsesTheBotsOwnAppForTabSso()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=func-release.azurewebsites.net", "BOT_APP_TYPE=SingleTenant");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.Success, exitCode);
        var sso = ReadZippedManifest("dev")["webApplicationInfo"]!;
        Assert.Equal(BotId, (string?)sso["id"]);
        Assert.Equal($"api://func-release.azurewebsites.net/botid-{BotId}", (string?)sso["resource"]);
    }

    [Theory]
    [InlineData("UserAssignedMSI")]
    [InlineData("SingleTenant")]
    public void Run_TabSsoAppOfItsOwn_ResourceIsHostAndSsoAppId(string botAppType)
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=func-release.azurewebsites.net", $"SSO_APP_ID={SsoAppId}", $"BOT_APP_TYPE={botAppType}");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.Success, exitCode);
        var sso = ReadZippedManifest("dev")["webApplicationInfo"]!;
        Assert.Equal(SsoAppId, (string?)sso["id"]);
        Assert.Equal($"api://func-release.azurewebsites.net/{SsoAppId}", (string?)sso["resource"]);
    }

    [Theory]
    [InlineData("BOT_APP_TYPE=UserAssignedMSI")]
    [InlineData("# BOT_APP_TYPE not set: the managed identity is the default")]
    public void Run_ManagedIdentityBotWithoutSsoApp_ExitsTwoWithOneLineNamingTheFix(string botAppTypeLine)
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=func-release.azurewebsites.net", "SSO_APP_ID=", botAppTypeLine);

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        var error = _error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', error);
        Assert.Contains("SSO_APP_ID", error, StringComparison.Ordinal);
        Assert.Contains("scripts/tab-sso-app.sh dev", error, StringComparison.Ordinal);
        Assert.False(File.Exists(ZipPath("dev")));
    }

    [Fact]
    public void Run_UnknownBotAppType_ExitsTwoNamingIt()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=func-release.azurewebsites.net", $"SSO_APP_ID={SsoAppId}", "BOT_APP_TYPE=MultiTenant");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("BOT_APP_TYPE 'MultiTenant'", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EnvironmentVariableSet_OverridesEnvFile()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=from-file.example.com", $"SSO_APP_ID={SsoAppId}");
        _environment["HOST_NAME"] = "from-environment.example.com";

        Run("dev");

        Assert.Equal("https://from-environment.example.com/api/tab/config.html", (string?)ReadZippedManifest("dev")["configurableTabs"]![0]!["configurationUrl"]);
    }

    [Fact]
    public void Run_PlaceholderWithoutValue_ExitsTwoNamingIt()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("{{HOST_NAME}} has no value", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains(".env.dev", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(ZipPath("dev")));
    }

    [Fact]
    public void Run_NoEnvFileAndNoVariables_NamesEveryRequiredPlaceholder()
    {
        var exitCode = Run("prod");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.All(["{{TEAMS_APP_ID}}", "{{BOT_ID}}", "{{HOST_NAME}}"], name => Assert.Contains(name, _error.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Run_BotIdNotAGuid_ExitsTwoNamingTheValue()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", "BOT_ID=my-bot", "HOST_NAME=func-release.azurewebsites.net");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("BOT_ID 'my-bot' is not a GUID", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_HostNameWithScheme_ExitsTwoAskingForHostOnly()
    {
        WriteEnvFile("dev", $"TEAMS_APP_ID={TeamsAppId}", $"BOT_ID={BotId}", "HOST_NAME=https://func-release.azurewebsites.net/");

        var exitCode = Run("dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("HOST_NAME 'https://func-release.azurewebsites.net/' is not a host name", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EnvironmentNameWithPath_ExitsTwo()
    {
        var exitCode = Run("../dev");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("not an environment name", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FilledManifestBreaksSchema_ExitsTwoWithLocation()
    {
        var manifestPath = Path.Combine(_appPackage, "manifest.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"short\": \"Release Coordinator\"", "\"short\": \"Release Coordinator for every team in OctoAcme\"", StringComparison.Ordinal));

        var exitCode = Run("local");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("/name/short", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutlineIconHasColouredPixel_ExitsTwo()
    {
        var outline = IconArt.RenderOutline();
        outline[0, 0] = new Rgba(255, 0, 0, 255);
        File.WriteAllBytes(Path.Combine(_appPackage, "outline.png"), Png.Encode(outline));

        var exitCode = Run("local");

        Assert.Equal(PackageCommand.InputError, exitCode);
        Assert.Contains("outline.png", _error.ToString(), StringComparison.Ordinal);
    }

    private int Run(string environmentName) =>
        PackageCommand.Run([environmentName], _root, name => _environment.GetValueOrDefault(name), _output, _error);

    private string ZipPath(string environmentName) => Path.Combine(_appPackage, "build", $"appPackage.{environmentName}.zip");

    private void WriteEnvFile(string environmentName, params string[] lines) =>
        File.WriteAllLines(Path.Combine(_appPackage, "env", $".env.{environmentName}"), ["# test values", .. lines]);

    private JsonNode ReadZippedManifest(string environmentName)
    {
        using var zip = ZipFile.OpenRead(ZipPath(environmentName));
        using var stream = zip.GetEntry("manifest.json")!.Open();
        return JsonNode.Parse(stream)!;
    }
}
