using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>A team default link set before the team has any release: its releases follow the repository from the start.</summary>
[Collection("Azurite")]
public sealed class TeamLinkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeGitHub _github = null!;
    private BotPipeline _bot = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), _github.Settings());
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task LinkTeam_WithoutAnyRelease_LinksTheTeamAndItsNextReleaseTicksFromIt()
    {
        await _bot.SayAsync($"link github {FakeGitHub.Repository} team", TestUser.Bob);

        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains($"Linked every release of this team without its own GitHub link to GitHub {FakeGitHub.Repository}", StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.ConnectorRequests, r => r.Body.Contains("There is no active release", StringComparison.Ordinal));

        await _bot.SayAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("links", TestUser.Alice);
        Assert.Contains($"GitHub **{FakeGitHub.Repository}** (team default, linked by {TestUser.Bob.Name})", _bot.ConnectorRequests[^1].Body, StringComparison.Ordinal);
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _bot.Host.Services.GetRequiredService<SignalEvaluator>().DrainAsync(CancellationToken.None);

        var id = (await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "1.5.0", CancellationToken.None))!;
        Assert.Equal(ItemStatus.Done, (await _bot.Store.GetAsync(id, CancellationToken.None))!.Item("preflight-staging-smoke")!.Status);
    }

    [Fact]
    public async Task LinkTeam_ByNoReleaseManagerWhileTheTeamHasOpenReleases_IsRefused()
    {
        await _bot.SayAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("new release 1.6.0 on 2026-12-17 tz Europe/Berlin", TestUser.Alice);
        _bot.ClearConnector();

        await _bot.SayAsync($"link github {FakeGitHub.Repository} team", TestUser.Bob);

        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Team links are set by a Release Manager of one of this team's open releases (1.5.0, 1.6.0)", StringComparison.Ordinal));
        await _bot.SayAsync("links 1.5.0", TestUser.Alice);
        Assert.DoesNotContain(FakeGitHub.Repository, _bot.ConnectorRequests[^1].Body, StringComparison.Ordinal);
    }
}
