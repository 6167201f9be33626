using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Functions.Tests.Tab;
using ReleaseTeamsApp.LocalHost;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.LocalHost;

/// <summary>
/// The local host's Teams stand-in (/_dev/*) and admin API (/admin/*) send unsigned activities and move the clock:
/// they answer only loopback callers, and only in anonymous mode. Tokens never follow the simulated clock.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class DevEndpointsExposureTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("POST", "/_dev/say")]
    [InlineData("POST", "/_dev/click")]
    [InlineData("POST", "/_dev/install")]
    [InlineData("GET", "/_dev/connector/activities")]
    [InlineData("POST", "/admin/functions/Reminders")]
    [InlineData("POST", "/admin/clock")]
    [InlineData("GET", "/admin/clock")]
    public async Task DevAndAdmin_WithAppIdConfigured_Answer404AndChangeNothing(string method, string path)
    {
        await using var bot = await BotPipeline.StartAsync(azurite);
        var before = bot.Clock.GetUtcNow();

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { text = "help", advance = "30.00:00:00", verb = "release.refresh", release = "x" }) : null };
        using var response = await bot.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(bot.Clock.GetUtcNow() - before < TimeSpan.FromMinutes(1), "the clock did not move");
        Assert.Empty(bot.Connector.Requests);
    }

    [Theory]
    [InlineData("POST", "/_dev/say")]
    [InlineData("POST", "/admin/clock")]
    [InlineData("GET", "/_dev/connector/activities")]
    public async Task DevAndAdmin_AnonymousHostCalledFromAnotherMachine_Answer404(string method, string path)
    {
        var address = NonLoopbackAddress();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["MicrosoftAppId"] = "", ["LocalHost:Urls"] = "http://0.0.0.0:0" });
        var before = host.Clock.GetUtcNow();
        using var remote = new HttpClient { BaseAddress = new UriBuilder(host.BaseAddress) { Host = address.ToString() }.Uri };
        using var loopback = new HttpClient { BaseAddress = new UriBuilder(host.BaseAddress) { Host = "127.0.0.1" }.Uri };

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { text = "help", advance = "30.00:00:00" }) : null };
        using var response = await remote.SendAsync(request);
        using var health = await remote.GetAsync("/api/health");
        using var local = await loopback.GetAsync("/admin/clock");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.True(host.Clock.GetUtcNow() - before < TimeSpan.FromMinutes(1), "the clock did not move");
    }

    [Fact]
    public async Task Messages_TokenValidAtTheSimulatedTimeButExpiredInRealTime_Returns401()
    {
        await using var bot = await BotPipeline.StartAsync(azurite, now: DateTimeOffset.UtcNow.AddDays(-10));
        var activity = bot.Activity(TestUser.Alice, "message");
        activity["text"] = "<at>ReleaseBot</at> help";

        using var response = await bot.SendAsync(activity, "Bearer " + bot.Token(at: bot.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(bot.ConnectorRequests);
    }

    [Fact]
    public async Task Messages_ValidTokenWhileSimulatedClockIsDaysAhead_IsAccepted()
    {
        await using var bot = await BotPipeline.StartAsync(azurite, now: DateTimeOffset.UtcNow.AddDays(20));

        await bot.SayAsync("help", TestUser.Alice);

        Assert.Single(bot.ConnectorRequests);
    }

    [Fact]
    public async Task TabApi_TokenExpiredInRealTimeWhileSimulatedClockIsBehind_Returns401()
    {
        await using var sso = await SsoLocalHost.StartAsync();
        await sso.InstallAsync(new ReleaseTeamsApp.Releases.ChannelKey(Tenant, "19:team-a@thread.skype", "19:team-a@thread.skype"));
        sso.Host.Services.GetRequiredService<SimulatedClock>().Set(DateTimeOffset.UtcNow.AddHours(-2));
        var expired = sso.Entra.CreateToken(Tenant, SsoLocalHost.AppIdUri, expiresIn: TimeSpan.FromMinutes(-30));
        var valid = sso.Entra.CreateToken(Tenant, SsoLocalHost.AppIdUri);
        using var client = new HttpClient();

        using var refused = await client.SendAsync(TabRequest(sso, expired));
        using var accepted = await client.SendAsync(TabRequest(sso, valid));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private const string Tenant = "11111111-1111-4111-8111-111111111111";

    private static HttpRequestMessage TabRequest(SsoLocalHost sso, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, sso.Host.Url("api/tab/releases?teamId=19%3Ateam-a%40thread.skype"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? throw new InvalidOperationException("This test needs a network interface with a non-loopback IPv4 address to call the host from.");
}
