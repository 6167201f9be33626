using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Bot;

/// <summary>Without MicrosoftAppId the bot accepts unsigned activities (local runs) and says so loudly at startup.</summary>
[Collection("Azurite")]
public sealed class AnonymousModeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Startup_WithoutAppId_LogsCriticalWarningAndAcceptsUnsignedActivities()
    {
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["MicrosoftAppId"] = "" });

        using var response = await host.Client.PostAsJsonAsync("/_dev/say", new { text = "help" });

        var warning = Assert.Single(host.Logs.Containing("BOT ENDPOINT IS ANONYMOUS"));
        Assert.Equal(LogLevel.Critical, warning.Level);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Startup_WithAppId_DoesNotWarnAndRefusesUnsignedActivities()
    {
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "6f1c2a4e-0000-4000-8000-00000000b07a",
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppPassword"] = "secret",
            ["Tab:AllowDevelopmentBypass"] = "false",
        });

        // The Teams stand-in (/_dev/say) is gone with an app id, so the unsigned activity goes to the bot endpoint directly.
        using var response = await host.Client.PostAsJsonAsync("/api/messages", new
        {
            type = "message",
            id = "unsigned-1",
            channelId = "msteams",
            serviceUrl = "http://127.0.0.1:9/",
            from = new { id = "29:mallory" },
            conversation = new { id = "19:dev-team@thread.tacv2" },
            text = "help",
        });

        Assert.Empty(host.Logs.Containing("BOT ENDPOINT IS ANONYMOUS"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
