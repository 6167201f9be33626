using System.Text.Json.Nodes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Functions.Tests.Bot;

namespace ReleaseTeamsApp.Functions.Tests.Checklist;

/// <summary>Team members tick their items on the cards (Universal Actions) through the real pipeline.</summary>
[Collection("Azurite")]
public sealed class ChecklistTickTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BotPipeline _bot = null!;
    private ReleaseState _release = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        await _bot.SayAsync("new release 2.4.0 on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "2.4.0", CancellationToken.None);
        _release = (await _bot.Store.GetAsync(id!, CancellationToken.None))!;
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Complete_ByItemOwner_AnswersWithRefreshedCardAndUpdatesChannelCardsAndAudits()
    {
        var response = await _bot.ClickAsync("item.complete", Data("team-automation-coverage"), TestUser.Bob);

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", response["type"]!.GetValue<string>());
        var card = response["value"]!.AsObject();
        Assert.Contains("Done: QA Automation Engineer confirms automated test coverage", card.ToJsonString());
        AdaptiveCardSchema.AssertValid(card, "the refreshed card");
        var puts = _bot.ConnectorRequests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, puts.Count);
        var phaseCardId = _release.Release.Thread!.PhaseCardActivityIds["pre-release"];
        var phasePut = Assert.Single(puts, p => p.RawTarget.EndsWith($"/activities/{phaseCardId}", StringComparison.Ordinal));
        Assert.Contains("✅ QA Automation Engineer confirms automated test coverage", phasePut.Body);
        Assert.Contains(puts, p => p.RawTarget.EndsWith($"/activities/{_release.Release.Thread.RootActivityId}", StringComparison.Ordinal));
        var stored = await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Done, stored!.Item("team-automation-coverage")!.Status);
        var audit = await _bot.Store.GetAuditAsync(_release.Release.Id, CancellationToken.None);
        var completed = Assert.Single(audit, a => a.Action == AuditActions.ItemCompleted);
        Assert.Equal(("team-automation-coverage", "Open", "Done", TestUser.Bob.Id), (completed.ItemId, completed.Before, completed.After, completed.Actor.Id));
    }

    [Fact]
    public async Task Complete_ByNonOwner_IsRefusedWithReadableMessageAndChangesNothing()
    {
        var response = await _bot.ClickAsync("item.complete", Data("team-automation-coverage"), TestUser.Mallory);

        var card = response["value"]!.ToJsonString();
        Assert.Contains("Only Bob Brown or the Release Manager can change", card);
        Assert.DoesNotContain(_bot.ConnectorRequests, r => r.Method == "PUT");
        var stored = await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Open, stored!.Item("team-automation-coverage")!.Status);
        Assert.DoesNotContain(await _bot.Store.GetAuditAsync(_release.Release.Id, CancellationToken.None), a => a.ItemId == "team-automation-coverage");
    }

    [Fact]
    public async Task Complete_SameInvokeDeliveredTwice_ChangesStateOnceAndAuditsOnce()
    {
        await _bot.ClickAsync("item.complete", Data("team-automation-coverage"), TestUser.Bob, activityId: "invoke-1");
        await _bot.ClickAsync("item.reopen", Data("team-automation-coverage"), TestUser.Bob, activityId: "invoke-2");

        await _bot.ClickAsync("item.reopen", Data("team-automation-coverage"), TestUser.Bob, activityId: "invoke-2");
        await _bot.ClickAsync("item.complete", Data("team-automation-coverage"), TestUser.Bob, activityId: "invoke-1");

        var stored = await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Open, stored!.Item("team-automation-coverage")!.Status);
        var audit = await _bot.Store.GetAuditAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(2, audit.Count(a => a.ItemId == "team-automation-coverage"));
    }

    [Fact]
    public async Task NotApplicable_OnRequiredItem_IsRefusedAndOnOptionalItemIsApplied()
    {
        var refused = await _bot.ClickAsync("item.na", Data("planning-scope"), TestUser.Alice);
        var applied = await _bot.ClickAsync("item.na", Data("infra-db-migrations"), TestUser.Alice);

        Assert.Contains("is required, so it cannot be marked N/A", refused["value"]!.ToJsonString());
        Assert.Contains("N/A: Database migrations tested (if applicable)", applied["value"]!.ToJsonString());
        var stored = await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Open, stored!.Item("planning-scope")!.Status);
        Assert.Equal(ItemStatus.NotApplicable, stored.Item("infra-db-migrations")!.Status);
    }

    [Fact]
    public async Task Block_WithReasonFromCardInput_IsStoredWithTheReason()
    {
        var data = Data("team-automation-coverage");
        data["note"] = "Nightly suite red since Tuesday";

        await _bot.ClickAsync("item.block", data, TestUser.Bob);

        var item = (await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None))!.Item("team-automation-coverage")!;
        Assert.Equal((ItemStatus.Blocked, "Nightly suite red since Tuesday"), (item.Status, item.Note));
    }

    [Fact]
    public async Task Refresh_ForRoleHolder_ShowsTheirItemsHighlightedWithButtons()
    {
        var response = await _bot.ClickAsync("card.refresh", new JsonObject { ["release"] = _release.Release.Id, ["phase"] = "pre-release" }, TestUser.Bob);

        var card = response["value"]!.AsObject();
        AdaptiveCardSchema.AssertValid(card, "Bob's view");
        var rows = card.ToJsonString();
        Assert.Contains("Bob Brown: QA Automation Engineer. Your items are highlighted.", rows);
        var buttons = Actions(card).Where(a => a["verb"]?.GetValue<string>() == "item.complete" && a["data"]!["item"] is not null).Select(a => a["data"]!["item"]!.GetValue<string>()).ToList();
        Assert.Equal(["team-automation-coverage", "infra-staging-smoke"], buttons);
        var formChoices = card.ToJsonString().Contains("\"id\":\"item\"", StringComparison.Ordinal);
        Assert.True(formChoices, "Bob's view has the form to note, block or tick any of his items");
        Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], card["refresh"]!["userIds"]!.AsArray().Select(u => u!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Invoke_WithoutReleaseInData_AnswersErrorResponse()
    {
        var response = await _bot.ClickAsync("item.complete", new JsonObject { ["item"] = "x" }, TestUser.Bob);

        Assert.Equal(400, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", response["type"]!.GetValue<string>());
        Assert.Contains("incomplete", response["value"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConcurrentTicks_ManyPeopleOnOneRelease_NoneLostAllAudited()
    {
        var ids = _release.Items.Where(i => i.DueAt is not null).Select(i => i.Id).Take(20).ToList();

        await Task.WhenAll(ids.Select(id => _bot.ClickAsync("item.complete", Data(id), TestUser.Alice)));

        var stored = await _bot.Store.GetAsync(_release.Release.Id, CancellationToken.None);
        Assert.All(ids, id => Assert.Equal(ItemStatus.Done, stored!.Item(id)!.Status));
        var audit = await _bot.Store.GetAuditAsync(_release.Release.Id, CancellationToken.None);
        Assert.Equal(ids.Order(), audit.Where(a => a.Action == AuditActions.ItemCompleted).Select(a => a.ItemId!).Order());
    }

    private JsonObject Data(string item) => new() { ["release"] = _release.Release.Id, ["item"] = item };

    private static IEnumerable<JsonObject> Actions(JsonNode node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Action.Execute" => [o],
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Actions),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Actions),
        _ => [],
    };
}
