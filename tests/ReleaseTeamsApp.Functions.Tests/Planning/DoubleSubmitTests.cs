using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Planning;

/// <summary>The same command sent several times at once (a double click, a retried send): one release, one thread, no tombstones.</summary>
[Collection("Azurite")]
public sealed class DoubleSubmitTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task NewRelease_TenIdenticalCommandsAtOnce_PostsOneThreadDeletesNothingAndTellsTheOthersItExists()
    {
        var sends = Enumerable.Range(0, 10).Select(_ => _bot.SayAsync("new release 3.0.0 on 2026-12-10 scope Checkout", TestUser.Alice));

        await Task.WhenAll(sends);

        var requests = _bot.ConnectorRequests;
        Assert.Single(requests, r => r.Method == "POST" && r.RawTarget == "/v3/conversations");
        Assert.DoesNotContain(requests, r => r.Method == "DELETE");
        var replies = requests.Where(r => r.Method == "POST" && r.RawTarget != "/v3/conversations")
            .Select(r => JsonNode.Parse(r.Body)!["text"]?.GetValue<string>() ?? "")
            .Where(t => t.StartsWith("Release 3.0.0 already exists in this channel.", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(9, replies.Count);
        var releases = await _bot.Store.ListAsync(BotPipeline.TenantId, BotPipeline.TeamId, CancellationToken.None);
        var created = Assert.Single(releases, r => r.Version == "3.0.0");
        var state = await _bot.Store.GetAsync(created.ReleaseId, CancellationToken.None);
        Assert.Equal(3, state!.Release.Thread!.PhaseCardActivityIds.Count);
        Assert.Equal(3, requests.Count(r => r.Method == "POST" && r.RawTarget == $"/v3/conversations/{Uri.EscapeDataString(state.Release.Thread.ConversationId)}/activities"));
    }
}
