using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReleaseTeamsApp.Deployment.Tests.Infra;

/// <summary>
/// infra/main.bicep compiled by the Bicep CLI (the NuGet package the project pins; this test project references it so
/// restore brings it) into the ARM JSON Azure deploys: what the tests read instead of the Bicep text.
/// </summary>
internal static partial class CompiledTemplate
{
    private static readonly Lazy<JsonObject> Main = new(() => Build("infra/main.bicep"));

    public static JsonObject Template => Main.Value;

    /// <summary>The nested deployment of one module (name as in main.bicep's <c>name:</c>).</summary>
    public static JsonObject Module(string name) =>
        Resources(Template).Single(r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == name);

    public static IEnumerable<JsonObject> ModuleResources(string name, string type) =>
        Resources(Module(name)["properties"]!["template"]!.AsObject()).Where(r => (string?)r["type"] == type);

    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    private static JsonObject Build(string relativePath)
    {
        var start = new ProcessStartInfo(BicepPath(), ["build", relativePath, "--stdout"])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bicep build {relativePath} failed: {errors.Result}");
        return JsonNode.Parse(json)!.AsObject();
    }

    private static string BicepPath()
    {
        var version = BicepVersion().Match(RepositoryFiles.Read("Directory.Packages.props")).Groups[1].Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        Assert.True(File.Exists(bicep), $"No Bicep CLI at {bicep}: restore this test project (dotnet restore) or run bash infra/check.sh.");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        return bicep;
    }

    [GeneratedRegex(@"Include=""Azure\.Bicep\.CommandLine\.linux-x64"" Version=""([^""]+)""")]
    private static partial Regex BicepVersion();
}
