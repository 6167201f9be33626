using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Templates;

/// <summary>Releases started from a team's own template, through the real bot pipeline.</summary>
[Collection(AzuriteTests.Name)]
public sealed class CustomTemplateReleaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private Task<TemplateSaveResult> UploadAsync(int version) =>
        _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, TeamTemplate.Json(version), "Alice Adams", CancellationToken.None);

    private async Task<ReleaseState> ReleaseAsync(string version) =>
        (await _bot.Store.GetAsync((await _bot.Store.FindIdAsync(Channel, version, CancellationToken.None))!, CancellationToken.None))!;

    private static string Title(RecordedRequest request) => BotPipeline.CardOf(request)["body"]![0]!["text"]!.GetValue<string>();

    [Fact]
    public async Task NewRelease_WithTeamTemplate_PostsThatTemplatesPhasesWithTheirTitles()
    {
        await UploadAsync(1);

        await _bot.SayAsync("new release 5.0.0 on 2026-12-10 tz Europe/Berlin template team-checklist", TestUser.Alice);

        var requests = _bot.ConnectorRequests;
        Assert.Equal(["Release 5.0.0", "5.0.0 · Readiness v1", "5.0.0 · Ship it v1"], requests.Select(Title));
        Assert.Contains("Checks v1", BotPipeline.CardOf(requests[1]).ToJsonString(), StringComparison.Ordinal);
        foreach (var request in requests)
        {
            AdaptiveCardSchema.AssertValid(BotPipeline.CardOf(request), $"card posted to {request.RawTarget}");
        }

        var state = await ReleaseAsync("5.0.0");
        Assert.Equal((TeamTemplate.Id, 1), (state.Release.TemplateId, state.Release.TemplateVersion));
        Assert.Equal(["smoke-v1", "deploy-prod"], state.Items.OrderBy(i => i.Order).Select(i => i.Id));
    }

    [Fact]
    public async Task Release_NewerTemplateVersionUploaded_KeepsItsVersionItemsAndCards()
    {
        await UploadAsync(1);
        await _bot.SayAsync("new release 5.1.0 on 2026-12-10 tz Europe/Berlin template team-checklist", TestUser.Alice);
        await UploadAsync(2);
        _bot.ClearConnector();

        await _bot.SayAsync("move release 5.1.0 to 2026-12-11", TestUser.Alice);
        await _bot.SayAsync("status 5.1.0", TestUser.Alice);

        var state = await ReleaseAsync("5.1.0");
        Assert.Equal(1, state.Release.TemplateVersion);
        Assert.Equal(["smoke-v1", "deploy-prod"], state.Items.OrderBy(i => i.Order).Select(i => i.Id));
        var posted = _bot.ConnectorRequests.Where(r => r.Body.Contains("attachments", StringComparison.Ordinal)).ToList();
        Assert.Contains("5.1.0 · Readiness v1", posted.Select(Title));
        var cards = posted.Select(r => BotPipeline.CardOf(r).ToJsonString()).ToList();
        Assert.Contains(cards, c => c.Contains("Readiness v1", StringComparison.Ordinal) && c.Contains("Ship it v1", StringComparison.Ordinal));
        Assert.DoesNotContain(cards, c => c.Contains(" v2", StringComparison.Ordinal));
        await _bot.SayAsync("new release 5.2.0 on 2026-12-10 template team-checklist", TestUser.Alice);
        Assert.Equal(2, (await ReleaseAsync("5.2.0")).Release.TemplateVersion);
    }

    [Fact]
    public async Task NewRelease_UnknownTemplate_RepliesWithTheTeamsTemplatesAndCreatesNothing()
    {
        await UploadAsync(3);

        await _bot.SayAsync("new release 6.0.0 on 2026-12-10 template no-such-checklist", TestUser.Alice);

        var reply = Assert.Single(_bot.ConnectorRequests);
        var text = JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>();
        Assert.Contains("no checklist template \"no-such-checklist\"", text, StringComparison.Ordinal);
        Assert.Contains("**team-checklist** v3", text, StringComparison.Ordinal);
        Assert.Contains($"**{ChecklistTemplateLoader.Default.Id}** v{ChecklistTemplateLoader.Default.Version}", text, StringComparison.Ordinal);
        Assert.Null(await _bot.Store.FindIdAsync(Channel, "6.0.0", CancellationToken.None));
    }
}
