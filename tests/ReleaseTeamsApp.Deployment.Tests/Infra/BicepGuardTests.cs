using System.Diagnostics;
using System.Reflection;

namespace ReleaseTeamsApp.Deployment.Tests.Infra;

/// <summary>
/// Evaluates infra/main.bicep with the Bicep CLI's local snapshot (the ARM template engine, no Azure needed):
/// a SingleTenant bot without its app id must stop the deployment instead of deploying an app without MicrosoftAppId.
/// </summary>
public sealed class BicepGuardTests : IDisposable
{
    private readonly string _infra = CopyInfra();

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_infra)!, recursive: true);

    [Fact]
    public async Task Snapshot_SingleTenantWithoutBotAppId_FailsNamingBotAppId()
    {
        var (exitCode, output, snapshot) = await SnapshotAsync("SingleTenant", botAppId: "");

        Assert.Contains("botAppType SingleTenant needs botAppId (BOT_APP_ID)", output, StringComparison.Ordinal);
        Assert.False(File.Exists(snapshot), $"no snapshot was written (exit {exitCode})");
    }

    [Theory]
    [InlineData("SingleTenant", "11111111-2222-4333-8444-555555555555")]
    [InlineData("UserAssignedMSI", "")]
    public async Task Snapshot_BotIdentityComplete_PredictsTheFunctionApp(string botAppType, string botAppId)
    {
        var (exitCode, output, snapshot) = await SnapshotAsync(botAppType, botAppId);

        Assert.True(File.Exists(snapshot), $"snapshot written (exit {exitCode}): {output}");
        Assert.Contains("Microsoft.Web/sites", await File.ReadAllTextAsync(snapshot), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Snapshot)> SnapshotAsync(string botAppType, string botAppId)
    {
        var parameters = Path.Combine(_infra, "guard.bicepparam");
        await File.WriteAllTextAsync(parameters, $"""
            using 'main.bicep'
            param environmentName = 'guard'
            param location = 'westeurope'
            param botAppType = '{botAppType}'
            param botAppId = '{botAppId}'
            """);
        var start = new ProcessStartInfo(BicepCli(), ["snapshot", parameters, "--mode", "overwrite", "--subscription-id", "00000000-0000-4000-8000-000000000001", "--location", "westeurope"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr, Path.Combine(_infra, "guard.snapshot.json"));
    }

    private static string BicepCli()
    {
        var path = typeof(BicepGuardTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(path), $"The Bicep CLI is restored with the test project ({path}).");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>infra/ copied to a throw-away folder, so the parameters file and snapshot never land in the repository.</summary>
    private static string CopyInfra()
    {
        var target = Path.Combine(Path.GetTempPath(), "release-teams-app-bicep-" + Guid.NewGuid().ToString("N"), "infra");
        var source = Path.Combine(RepositoryFiles.Root, "infra");
        foreach (var file in Directory.EnumerateFiles(source, "*.bicep", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(source, "*.json", SearchOption.AllDirectories)))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
