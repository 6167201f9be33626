using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>The local host with Teams SSO on (audience api://…/botid-{client id}) against a fake Entra, two tenants' releases in Azurite.</summary>
public sealed class TabApiFixture : IAsyncLifetime
{
    public const string ClientId = SsoLocalHost.ClientId;
    public const string AppIdUri = SsoLocalHost.AppIdUri;
    public static readonly string TenantA = "11111111-1111-4111-8111-111111111111";
    public static readonly string TenantB = "22222222-2222-4222-8222-222222222222";
    public static readonly ChannelKey ChannelA = new(TenantA, "19:team-a@thread.skype", "19:releases-a@thread.tacv2");
    public static readonly ChannelKey ChannelB = new(TenantB, "19:team-b@thread.skype", "19:releases-b@thread.tacv2");

    private SsoLocalHost? _sso;

    internal TabLocalHost Host => _sso!.Host;

    internal FakeEntraIdentity Entra => _sso!.Entra;

    public Release ReleaseA { get; private set; } = null!;

    public Release NewerReleaseA { get; private set; } = null!;

    public Release ReleaseB { get; private set; } = null!;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        _sso = await SsoLocalHost.StartAsync();
        await _sso.InstallAsync(ChannelA);
        await _sso.InstallAsync(ChannelB);
        ReleaseA = await TabReleaseSeed.CreateScenarioAsync(Host.Store, ChannelA, "3.1.0");
        NewerReleaseA = await TabReleaseSeed.CreateAsync(Host.Store, ChannelA, "3.2.0", createdDaysBefore: 14);
        ReleaseB = await TabReleaseSeed.CreateScenarioAsync(Host.Store, ChannelB, "9.9.9-secret");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _sso!.DisposeAsync();
    }
}

public sealed class TabApiTests(TabApiFixture fixture) : IClassFixture<TabApiFixture>
{
    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string relative, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Host.Url(relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private string TokenA(string? audience = null) => fixture.Entra.CreateToken(TabApiFixture.TenantA, audience ?? TabApiFixture.AppIdUri);

    private static string Query(ChannelKey channel) => $"teamId={Uri.EscapeDataString(channel.TeamId)}&channelId={Uri.EscapeDataString(channel.ChannelId)}";

    [Fact]
    public async Task GetRelease_ValidTokenOwnTenant_ReturnsDashboardInCamelCase()
    {
        var (status, body) = await GetAsync($"api/tab/releases/{fixture.ReleaseA.Id}?{Query(TabApiFixture.ChannelA)}", TokenA());

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("3.1.0", json.RootElement.GetProperty("release").GetProperty("version").GetString());
        var preRelease = json.RootElement.GetProperty("phases").EnumerateArray().First(p => p.GetProperty("id").GetString() == "pre-release");
        Assert.Equal(4, preRelease.GetProperty("done").GetInt32());
        Assert.Equal("blocked", json.RootElement.GetProperty("items")[0].GetProperty("status").GetString());
        var goNoGo = json.RootElement.GetProperty("goNoGo");
        Assert.Equal("pending", goNoGo.GetProperty("state").GetString());
        Assert.Contains(goNoGo.GetProperty("checks").EnumerateArray(), c => c.GetProperty("label").GetString() == "No open blockers" && !c.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task GetRelease_V2TokenWithClientIdAudience_IsAccepted()
    {
        var (status, _) = await GetAsync($"api/tab/releases/{fixture.ReleaseA.Id}", TokenA(TabApiFixture.ClientId));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task GetRelease_V1IssuerOfOwnTenant_IsAccepted()
    {
        var token = fixture.Entra.CreateToken(TabApiFixture.TenantA, TabApiFixture.AppIdUri, issuer: $"https://sts.windows.net/{TabApiFixture.TenantA}/");

        var (status, _) = await GetAsync($"api/tab/releases/{fixture.ReleaseA.Id}", token);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task GetRelease_OtherTenantsRelease_Returns404WithoutData()
    {
        var (status, body) = await GetAsync($"api/tab/releases/{fixture.ReleaseB.Id}?{Query(TabApiFixture.ChannelB)}", TokenA());
        var (missingStatus, missingBody) = await GetAsync("api/tab/releases/rel-does-not-exist", TokenA());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("9.9.9-secret", body, StringComparison.Ordinal);
        Assert.Equal((missingStatus, missingBody), (status, body));
    }

    [Fact]
    public async Task ListAndLatest_OtherTenantsChannel_RevealNothing()
    {
        var (listStatus, listBody) = await GetAsync($"api/tab/releases?{Query(TabApiFixture.ChannelB)}", TokenA());
        var (latestStatus, latestBody) = await GetAsync($"api/tab/releases/latest?{Query(TabApiFixture.ChannelB)}", TokenA());

        // Not a team of the caller's tenant, so not a team the caller is in: answered like a missing release.
        Assert.Equal(HttpStatusCode.NotFound, listStatus);
        Assert.Equal("", listBody);
        Assert.Equal(HttpStatusCode.NotFound, latestStatus);
        Assert.DoesNotContain("9.9.9-secret", latestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_OwnChannel_ReturnsItsReleasesNewestFirst()
    {
        var (status, body) = await GetAsync($"api/tab/releases?{Query(TabApiFixture.ChannelA)}", TokenA());

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["3.2.0", "3.1.0"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Latest_OwnChannel_ReturnsNewestRelease()
    {
        var (status, body) = await GetAsync($"api/tab/releases/latest?{Query(TabApiFixture.ChannelA)}", TokenA());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("3.2.0", JsonDocument.Parse(body).RootElement.GetProperty("release").GetProperty("version").GetString());
    }

    [Fact]
    public async Task GetRelease_TokenOfTenantBAskingForItsOwn_SeesOnlyB()
    {
        var tokenB = fixture.Entra.CreateToken(TabApiFixture.TenantB, TabApiFixture.AppIdUri);

        var (own, _) = await GetAsync($"api/tab/releases/{fixture.ReleaseB.Id}", tokenB);
        var (other, _) = await GetAsync($"api/tab/releases/{fixture.ReleaseA.Id}", tokenB);

        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Equal(HttpStatusCode.NotFound, other);
    }

    public static TheoryData<string> RefusedTokens => new() { "none", "garbage", "forged", "expired", "wrong-audience", "wrong-issuer-tenant", "wrong-issuer-host", "tenant-query-ignored", "app-only", "roles-without-scope", "other-scope", "no-user" };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task GetRelease_BadToken_Returns401WithNoDetail(string kind)
    {
        using var otherKey = RSA.Create(2048);
        var entra = fixture.Entra;
        var a = TabApiFixture.TenantA;
        var token = kind switch
        {
            "none" => null,
            "garbage" => "not-a-jwt",
            "forged" => entra.CreateToken(a, TabApiFixture.AppIdUri, signWith: otherKey),
            "expired" => entra.CreateToken(a, TabApiFixture.AppIdUri, expiresIn: TimeSpan.FromMinutes(-10)),
            "wrong-audience" => entra.CreateToken(a, "api://someone-else/botid-" + Guid.NewGuid()),
            "wrong-issuer-tenant" => entra.CreateToken(a, TabApiFixture.AppIdUri, issuer: $"https://login.microsoftonline.com/{TabApiFixture.TenantB}/v2.0"),
            "wrong-issuer-host" => entra.CreateToken(a, TabApiFixture.AppIdUri, issuer: $"https://login.evil.test/{a}/v2.0"),
            "tenant-query-ignored" => null,
            // Another app's client-credentials token for our audience: no user, no delegated scope.
            "app-only" => entra.CreateToken(a, TabApiFixture.AppIdUri, scope: null, extraClaims: new Dictionary<string, object> { ["idtyp"] = "app", ["roles"] = new[] { "Releases.Read.All" } }),
            "roles-without-scope" => entra.CreateToken(a, TabApiFixture.AppIdUri, scope: null, extraClaims: new Dictionary<string, object> { ["roles"] = new[] { "Releases.Read.All" } }),
            "other-scope" => entra.CreateToken(a, TabApiFixture.AppIdUri, scope: "User.Read openid"),
            "no-user" => entra.CreateToken(a, TabApiFixture.AppIdUri, oid: null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var (status, body) = await GetAsync($"api/tab/releases/{fixture.ReleaseA.Id}?tenantId={a}&{Query(TabApiFixture.ChannelA)}", token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task List_ForgedToken_Returns401()
    {
        using var otherKey = RSA.Create(2048);

        var (status, body) = await GetAsync($"api/tab/releases?{Query(TabApiFixture.ChannelA)}", fixture.Entra.CreateToken(TabApiFixture.TenantA, TabApiFixture.AppIdUri, signWith: otherKey));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData("index.html", "text/html")]
    [InlineData("config.html", "text/html")]
    [InlineData("dashboard.js", "text/javascript")]
    [InlineData("dashboard.css", "text/css")]
    [InlineData("teams-js.min.js", "text/javascript")]
    [InlineData("chart.umd.min.js", "text/javascript")]
    public async Task TabFile_Known_ServedWithContentType(string file, string contentType)
    {
        using var response = await fixture.Client.GetAsync(fixture.Host.Url("api/tab/" + file));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Theory]
    [InlineData("api/tab/nope.html")]
    [InlineData("api/tab/..%2Fhost.json")]
    [InlineData("api/tab/host.json")]
    [InlineData("api/tab/ReleaseTeamsApp.dll")]
    public async Task TabFile_UnknownOrOutsideTabFolder_Returns404(string path)
    {
        using var response = await fixture.Client.GetAsync(fixture.Host.Url(path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_Index_IsFramedOnlyByTeams()
    {
        using var response = await fixture.Client.GetAsync(fixture.Host.Url("api/tab/index.html"));

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
