using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.LocalHost;

/// <summary>Fail closed: a host outside Development without MicrosoftAppId stops at startup with one line naming the setting.</summary>
[Collection(AzuriteTests.Name)]
public sealed class StartupValidationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunAsync_ProductionWithoutAppId_StopsWithOneLineNamingAllowAnonymous()
    {
        using var error = new StringWriter();
        var exitCode = await StartupProblems.RunAsync(() => LocalHostApplication.Build(["--environment", "Production"], builder => builder.Configuration.AddInMemoryCollection(Settings())), error);

        Assert.Equal(StartupProblems.ExitCode, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ReleaseTeamsApp did not start: MicrosoftAppId is not set", line, StringComparison.Ordinal);
        Assert.Contains("Bot__AllowAnonymous=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SeveralBadSettings_NamesEachOnTheSameLine()
    {
        using var error = new StringWriter();
        var settings = Settings();
        settings["MicrosoftAppId"] = "6f1c2a4e-0000-4000-8000-00000000b07a";
        settings["MicrosoftAppType"] = "SingleTenantish";
        settings["Graph:RetrospectiveDefaultTime"] = "2pm";
        var exitCode = await StartupProblems.RunAsync(() => LocalHostApplication.Build(["--environment", "Production"], builder => builder.Configuration.AddInMemoryCollection(settings)), error);

        Assert.Equal(StartupProblems.ExitCode, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MicrosoftAppType 'SingleTenantish'", line, StringComparison.Ordinal);
        Assert.Contains("MicrosoftAppPassword", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalHostProcess_ProductionWithoutAppId_ExitsWithOneLineAndNoStackTrace()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ReleaseTeamsApp.LocalHost.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No local.settings.json above a temp folder: only the environment below configures the host.
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["MicrosoftAppId"] = "";
        start.Environment["LocalHost__Urls"] = "http://127.0.0.1:0";
        start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var timer in Testing.LocalHostServer.TimerScheduleSettings())
        {
            start.Environment[timer.Replace(":", "__", StringComparison.Ordinal)] = Testing.LocalHostServer.QuietSchedule;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(StartupProblems.ExitCode, process.ExitCode);
        var output = (await stdout) + (await stderr);
        Assert.Contains("ReleaseTeamsApp did not start: MicrosoftAppId is not set", output, StringComparison.Ordinal);
        Assert.Contains("Bot__AllowAnonymous=true", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimerScheduleSettingMissing_StopsWithOneLineNamingIt()
    {
        using var error = new StringWriter();
        var settings = Settings();
        settings["Reminders:Schedule"] = null;
        settings["Bot:AllowAnonymous"] = "true";

        var exitCode = await StartupProblems.RunAsync(() => LocalHostApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(settings)), error);

        Assert.Equal(StartupProblems.ExitCode, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Reminders__Schedule", line, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings()
    {
        var values = new Dictionary<string, string?>
        {
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["MicrosoftAppId"] = "",
        };
        foreach (var timer in Testing.LocalHostServer.TimerScheduleSettings())
        {
            values[timer] = Testing.LocalHostServer.QuietSchedule;
        }

        return values;
    }
}
