using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Tab;

/// <summary>
/// Two teams of one tenant: a member of team A holds a perfectly valid SSO token of the tenant and asks for team B's
/// releases, metrics, reports and templates, and tries to replace B's default checklist. The roster says no: 404.
/// </summary>
public sealed class TeamIsolationFixture : IAsyncLifetime
{
    public const string Tenant = "33333333-3333-4333-8333-333333333333";
    public const string MemberOfA = "aad-member-of-a";
    public const string InstallerOfA = "aad-installer-of-a";
    public static readonly ChannelKey TeamA = new(Tenant, "19:team-a@thread.tacv2", "19:releases-a@thread.tacv2");
    public static readonly ChannelKey TeamB = new(Tenant, "19:team-b@thread.tacv2", "19:releases-b@thread.tacv2");

    private SsoLocalHost? _sso;

    internal SsoLocalHost Sso => _sso!;

    public Release ReleaseA { get; private set; } = null!;

    public Release ReleaseB { get; private set; } = null!;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        _sso = await SsoLocalHost.StartAsync();
        _sso.Strict = true;
        await _sso.InstallAsync(TeamA, InstallerOfA);
        await _sso.InstallAsync(TeamB);
        _sso.AddMember(TeamA.TeamId, MemberOfA);
        _sso.AddMember(TeamA.TeamId, InstallerOfA);
        _sso.AddMember(TeamB.TeamId, TabReleaseSeed.Rm.AadObjectId!);
        ReleaseA = await TabReleaseSeed.CreateAsync(_sso.Host.Store, TeamA, "1.0.0-a");
        ReleaseB = await TabReleaseSeed.CreateAsync(_sso.Host.Store, TeamB, "7.7.7-b-secret");
        await _sso.Host.Store.SaveReportAsync(ReleaseB.Id, ReleaseReportFormat.Markdown, "# 7.7.7-b-secret report", CancellationToken.None);
        await _sso.Host.Store.SaveReportAsync(ReleaseB.Id, ReleaseReportFormat.Csv, "section,item\nb,7.7.7-b-secret", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _sso!.DisposeAsync();
    }
}

public sealed class TeamIsolationTests(TeamIsolationFixture fixture) : IClassFixture<TeamIsolationFixture>
{
    private static readonly ChannelKey A = TeamIsolationFixture.TeamA;
    private static readonly ChannelKey B = TeamIsolationFixture.TeamB;

    private string Token(string oid) => fixture.Sso.Entra.CreateToken(TeamIsolationFixture.Tenant, SsoLocalHost.AppIdUri, oid: oid);

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string relative, string oid, string? body = null)
    {
        using var request = new HttpRequestMessage(method, fixture.Sso.Host.Url(relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(oid));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Team(ChannelKey channel) => $"teamId={Uri.EscapeDataString(channel.TeamId)}";

    private static string TeamAndChannel(ChannelKey channel) => $"{Team(channel)}&channelId={Uri.EscapeDataString(channel.ChannelId)}";

    public static TheoryData<string> ReadsOfTeamB => new()
    {
        "api/tab/releases?{B}",
        "api/tab/releases?{Bc}",
        "api/tab/releases/latest?{Bc}",
        "api/tab/releases/{rb}",
        "api/tab/releases/{rb}?{A}",
        "api/teams/metrics?{B}",
        "api/releases/{rb}/metrics",
        "api/releases/{rb}/report.md",
        "api/releases/{rb}/report.csv",
        "api/templates?{B}",
    };

    private string Expand(string path) => path
        .Replace("{Bc}", TeamAndChannel(B), StringComparison.Ordinal)
        .Replace("{B}", Team(B), StringComparison.Ordinal)
        .Replace("{A}", Team(A), StringComparison.Ordinal)
        .Replace("{rb}", fixture.ReleaseB.Id, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(ReadsOfTeamB))]
    public async Task Get_TeamBAsMemberOfTeamAOnly_Returns404WithoutData(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, Expand(path), TeamIsolationFixture.MemberOfA);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("7.7.7-b-secret", body, StringComparison.Ordinal);
        Assert.Equal("", body);
    }

    [Theory]
    [MemberData(nameof(ReadsOfTeamB))]
    public async Task Get_TeamBAsItsMember_Returns200(string path)
    {
        var (status, _) = await SendAsync(HttpMethod.Get, Expand(path).Replace($"?{Team(A)}", "", StringComparison.Ordinal), TabReleaseSeed.Rm.AadObjectId!);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Get_OwnTeamAsMember_SeesOwnReleaseOnly()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"api/tab/releases?{Team(A)}", TeamIsolationFixture.MemberOfA);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1.0.0-a", body, StringComparison.Ordinal);
        Assert.DoesNotContain("7.7.7-b-secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadTemplate_BuiltInIdHigherVersionIntoTeamB_Returns404AndBKeepsItsChecklist()
    {
        var hijack = TeamTemplate.Json(TemplateLibrary.BuiltIn.Version + 1, id: TemplateLibrary.BuiltIn.Id);

        var (status, body) = await SendAsync(HttpMethod.Post, $"api/templates?{Team(B)}", TeamIsolationFixture.MemberOfA, hijack);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("", body);
        var library = (TemplateLibrary)fixture.Sso.Host.Services.GetService(typeof(TemplateLibrary))!;
        var used = await library.GetAsync(TeamIsolationFixture.Tenant, B.TeamId, TemplateLibrary.BuiltIn.Id, null, CancellationToken.None);
        Assert.Equal(TemplateLibrary.BuiltIn.Version, used!.Version);
    }

    [Fact]
    public async Task UploadTemplate_MemberWhoIsNeitherReleaseManagerNorInstaller_Returns403AndStoresNothing()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"api/templates?{Team(A)}", TeamIsolationFixture.MemberOfA, TeamTemplate.Json(3));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Release Managers", body, StringComparison.Ordinal);
        var library = (TemplateLibrary)fixture.Sso.Host.Services.GetService(typeof(TemplateLibrary))!;
        Assert.DoesNotContain(await library.ListAsync(TeamIsolationFixture.Tenant, A.TeamId, CancellationToken.None), t => t.Id == TeamTemplate.Id);
    }

    [Theory]
    [InlineData(TeamIsolationFixture.InstallerOfA, "a")]
    [InlineData("aad-alice", "b")]
    public async Task UploadTemplate_InstallerOrReleaseManagerOfTheTeam_Returns201(string oid, string team)
    {
        var target = team == "a" ? A : B;

        var (status, body) = await SendAsync(HttpMethod.Post, $"api/templates?{Team(target)}", oid, TeamTemplate.Json(team == "a" ? 5 : 6, id: "own-" + team));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("own-" + team, JsonDocument.Parse(body).RootElement.GetProperty("id").GetString());
    }
}

/// <summary>The roster answer is cached per tenant, team and user; a Teams outage refuses (503, nothing shown) and is not cached.</summary>
public sealed class TeamMembershipCacheTests : IAsyncLifetime
{
    private SsoLocalHost _sso = null!;

    public async Task InitializeAsync()
    {
        _sso = await SsoLocalHost.StartAsync();
        _sso.Strict = true;
        await _sso.InstallAsync(TeamIsolationFixture.TeamA);
        _sso.AddMember(TeamIsolationFixture.TeamA.TeamId, "aad-cached");
        await TabReleaseSeed.CreateAsync(_sso.Host.Store, TeamIsolationFixture.TeamA, "2.0.0");
    }

    public async Task DisposeAsync() => await _sso.DisposeAsync();

    private async Task<HttpStatusCode> ListAsync(string oid)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _sso.Host.Url($"api/tab/releases?teamId={Uri.EscapeDataString(TeamIsolationFixture.TeamA.TeamId)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _sso.Entra.CreateToken(TeamIsolationFixture.Tenant, SsoLocalHost.AppIdUri, oid: oid));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task List_RepeatedWithinMinutes_AsksTheRosterOnce()
    {
        var first = await ListAsync("aad-cached");
        var second = await ListAsync("aad-cached");
        var third = await ListAsync("aad-cached");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first, second, third));
        Assert.Equal(1, _sso.RosterLookups);
    }

    [Fact]
    public async Task List_TeamsUnreachable_Returns503AndAsksAgainNextTime()
    {
        _sso.RosterDown = true;
        var down = await ListAsync("aad-cached");
        var lookupsWhileDown = _sso.RosterLookups;
        _sso.RosterDown = false;
        var back = await ListAsync("aad-cached");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal(HttpStatusCode.OK, back);
        Assert.Equal(lookupsWhileDown + 1, _sso.RosterLookups);
    }
}
