using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Tab;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Metrics;

/// <summary>
/// The local host with the tab's SSO against a fake Entra and releases of two tenants in Azurite: one deployed in 40
/// minutes and rolled back (restored 30 minutes after it was raised), one still planning, one in the other tenant.
/// </summary>
public sealed class ReleaseMetricsApiFixture : IAsyncLifetime
{
    public static readonly ChannelKey ChannelA = TabApiFixture.ChannelA;
    public static readonly ChannelKey OtherTeamA = new(TabApiFixture.TenantA, "19:team-a2@thread.skype", "19:releases-a2@thread.tacv2");
    public static readonly ChannelKey ChannelB = TabApiFixture.ChannelB;

    private SsoLocalHost? _sso;

    internal TabLocalHost Host => _sso!.Host;

    internal FakeEntraIdentity Entra => _sso!.Entra;

    public Release RolledBackA { get; private set; } = null!;

    public Release PlanningA { get; private set; } = null!;

    public Release ReleaseB { get; private set; } = null!;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        _sso = await SsoLocalHost.StartAsync();
        await _sso.InstallAsync(ChannelA);
        await _sso.InstallAsync(OtherTeamA);
        await _sso.InstallAsync(ChannelB);
        RolledBackA = await TabReleaseSeed.CreateAsync(Host.Store, ChannelA, "4.0.0");
        var t = RolledBackA.Start;
        var rm = TabReleaseSeed.Rm;
        await StepAsync(RolledBackA.Id, s => ReleaseDaySteps.StartDeployment(s, rm, "hotfix window agreed", t));
        await StepAsync(RolledBackA.Id, s => ReleaseDaySteps.FinishDeployment(s, rm, t.AddMinutes(40)));
        await StepAsync(RolledBackA.Id, s => ReleaseDaySteps.RaiseRollback(s, rm, "error rate 12%", "rb1", t.AddMinutes(60)));
        await StepAsync(RolledBackA.Id, s => ReleaseDaySteps.ApproveRollback(s, rm, "PM and Eng Lead unreachable", t.AddMinutes(65)));
        await StepAsync(RolledBackA.Id, s => ReleaseDaySteps.Restore(s, rm, t.AddMinutes(90)));
        PlanningA = await TabReleaseSeed.CreateAsync(Host.Store, ChannelA, "4.1.0", createdDaysBefore: 14);
        ReleaseB = await TabReleaseSeed.CreateAsync(Host.Store, ChannelB, "9.9.9-secret");
        await CloseAsync(ReleaseB.Id, "abandoned");
    }

    public Task StepAsync(string releaseId, Func<ReleaseState, ReleaseChange> step) =>
        Host.Store.UpdateAsync(releaseId, state =>
        {
            var outcome = step(state);
            Assert.True(outcome.Applied, outcome.Message);
            return outcome.Returning(true);
        }, idempotencyKey: null, CancellationToken.None);

    /// <summary>The Release Manager closes the release with a force reason: the one close (<see cref="ReleaseClosing"/>), which archives the reports.</summary>
    public async Task CloseAsync(string releaseId, string forceReason)
    {
        var (change, _) = await Host.Services.GetRequiredService<ReleaseClosing>().CloseAsync(releaseId, new Closer.Manager(TabReleaseSeed.Rm, forceReason), turn: null, idempotencyKey: null, CancellationToken.None);
        Assert.True(change.Applied, change.Message);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _sso!.DisposeAsync();
    }
}

public sealed class ReleaseMetricsApiTests(ReleaseMetricsApiFixture fixture) : IClassFixture<ReleaseMetricsApiFixture>
{
    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(string relative, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Host.Url(relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private string TokenA() => fixture.Entra.CreateToken(TabApiFixture.TenantA, TabApiFixture.AppIdUri);

    private static string Team(ChannelKey channel) => $"api/teams/metrics?teamId={Uri.EscapeDataString(channel.TeamId)}";

    [Fact]
    public async Task ReleaseMetrics_OwnTenantsRolledBackRelease_ReturnsDurationRollbackAndTimeToRestore()
    {
        var (status, body, contentType) = await GetAsync($"api/releases/{fixture.RolledBackA.Id}/metrics", TokenA());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("4.0.0", json.GetProperty("version").GetString());
        Assert.Equal("rolledBack", json.GetProperty("status").GetString());
        Assert.Equal("00:40:00", json.GetProperty("deploymentDuration").GetString());
        Assert.Equal(1, json.GetProperty("rollbackEvents").GetInt32());
        Assert.Equal(1, json.GetProperty("issuesRaised").GetInt32());
        Assert.Equal(["00:30:00"], json.GetProperty("timesToRestore").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TeamMetrics_OwnTenantsTeam_ReturnsCountsFailureRateAndMeans()
    {
        var (status, body, _) = await GetAsync(Team(ReleaseMetricsApiFixture.ChannelA), TokenA());

        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((2, 1), (json.GetProperty("releases").GetInt32(), json.GetProperty("deployed").GetInt32()));
        Assert.Equal(1.0, json.GetProperty("changeFailureRate").GetDouble());
        Assert.Equal("00:30:00", json.GetProperty("meanTimeToRestore").GetString());
        Assert.Equal("00:40:00", json.GetProperty("meanDeploymentDuration").GetString());
    }

    [Fact]
    public async Task TeamMetrics_OtherTenantsTeam_RevealsNothing()
    {
        var (byTeam, teamBody, _) = await GetAsync(Team(ReleaseMetricsApiFixture.ChannelB), TokenA());
        var (byQuery, _, _) = await GetAsync(Team(ReleaseMetricsApiFixture.ChannelB) + "&tenantId=" + TabApiFixture.TenantB, TokenA());

        // Not a team of the caller's tenant, so not a team the caller is in: 404 like a missing team.
        Assert.Equal(HttpStatusCode.NotFound, byTeam);
        Assert.DoesNotContain("releases", teamBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, byQuery);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("report.md")]
    [InlineData("report.csv")]
    public async Task Release_OtherTenantsRelease_Returns404WithoutData(string resource)
    {
        var (status, body, _) = await GetAsync($"api/releases/{fixture.ReleaseB.Id}/{resource}", TokenA());
        var (missing, _, _) = await GetAsync($"api/releases/rel-does-not-exist/{resource}", TokenA());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.DoesNotContain("9.9.9-secret", body, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RefusedCalls
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var path in new[] { "releases/{id}/metrics", "teams/metrics?teamId=19%3Ateam-a%40thread.skype", "releases/{id}/report.md", "releases/{id}/report.csv" })
            {
                foreach (var kind in new[] { "none", "garbage", "forged", "expired" })
                {
                    data.Add(path, kind);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public async Task Get_MissingOrBadToken_Returns401WithNoDetail(string path, string kind)
    {
        using var otherKey = RSA.Create(2048);
        var a = TabApiFixture.TenantA;
        var token = kind switch
        {
            "none" => null,
            "garbage" => "not-a-jwt",
            "forged" => fixture.Entra.CreateToken(a, TabApiFixture.AppIdUri, signWith: otherKey),
            "expired" => fixture.Entra.CreateToken(a, TabApiFixture.AppIdUri, expiresIn: TimeSpan.FromMinutes(-10)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var (status, body, _) = await GetAsync("api/" + path.Replace("{id}", fixture.RolledBackA.Id, StringComparison.Ordinal), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Report_BeforeAndAfterClose_404ThenMarkdownAndCsv()
    {
        var release = await TabReleaseSeed.CreateAsync(fixture.Host.Store, ReleaseMetricsApiFixture.OtherTeamA, "5.0.0");
        var (mdBefore, _, _) = await GetAsync($"api/releases/{release.Id}/report.md", TokenA());
        var (csvBefore, _, _) = await GetAsync($"api/releases/{release.Id}/report.csv", TokenA());

        await fixture.CloseAsync(release.Id, "release cancelled");
        var (mdStatus, markdown, mdType) = await GetAsync($"api/releases/{release.Id}/report.md", TokenA());
        var (csvStatus, csv, csvType) = await GetAsync($"api/releases/{release.Id}/report.csv", TokenA());

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (mdBefore, csvBefore));
        Assert.Equal((HttpStatusCode.OK, "text/markdown"), (mdStatus, mdType));
        Assert.StartsWith("# Release 5.0.0 — report", markdown, StringComparison.Ordinal);
        Assert.Contains("| Closed with open items | release cancelled |", markdown, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "text/csv"), (csvStatus, csvType));
        Assert.StartsWith(ReleaseReport.CsvHeader + "\r\n", csv, StringComparison.Ordinal);
    }
}
