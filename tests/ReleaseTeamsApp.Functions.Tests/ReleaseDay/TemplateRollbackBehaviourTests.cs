using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.ReleaseDay;

/// <summary>A team template whose rollback checklist uses its own phase and item ids: the declared behaviours drive the rollback.</summary>
[Collection("Azurite")]
public sealed class TemplateRollbackBehaviourTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Template = """
        {
          "id": "app-store",
          "version": 1,
          "name": "App store release",
          "phases": [
            { "id": "ship", "title": "Ship", "kind": "releaseDay", "sections": [
              { "id": "rollout", "title": "Rollout", "items": [ { "id": "staged-rollout", "text": "Staged rollout at 10%", "owner": "rm", "due": "+30m" } ] } ] },
            { "id": "pull-back", "title": "Pull the release", "kind": "rollback", "sections": [
              { "id": "halt", "title": "Halt", "items": [
                { "id": "page-on-call", "text": "On-call paged", "owner": "Engineering Lead", "due": "+0m", "behaviour": "rollback.incident" },
                { "id": "halt-decided", "text": "Halt agreed with PM", "owner": "Engineering Lead", "due": "+10m", "behaviour": "rollback.decision" },
                { "id": "previous-build-live", "text": "Previous build is live again", "owner": "Engineering Lead", "due": "+1h", "behaviour": "rollback.restore" }
              ] } ] }
          ]
        }
        """;

    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        var saved = await _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, Template, "Alice Adams", CancellationToken.None);
        Assert.True(saved.IsStored, string.Join("; ", saved.Problems));
        await _bot.SayAsync("new release 7.1.0 on 2026-12-10 tz UTC template app-store", TestUser.Alice);
        await _bot.SayAsync("assign pm", TestUser.Alice, TestUser.Carol);
        await _bot.SayAsync("assign eng", TestUser.Alice, TestUser.Bob);
        _id = (await _bot.Store.FindIdAsync(Channel, "7.1.0", CancellationToken.None))!;
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task TickRestoreItem_CustomTemplateApprovedRollback_MarksTheRollbackRestored()
    {
        var raisedAt = _bot.Clock.Set(new DateTimeOffset(2026, 12, 10, 11, 0, 0, TimeSpan.Zero));
        await _bot.SayAsync("rollback --reason crash on launch", TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(), TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(), TestUser.Bob);
        var approved = await State();
        _bot.Clock.Set(raisedAt.AddMinutes(40));

        var ticked = await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _id, ["item"] = "previous-build-live", ["phase"] = "pull-back" }, TestUser.Bob);

        Assert.Equal(ReleaseStatus.RolledBack, approved.Release.Status);
        Assert.True(approved.Release.Thread!.PhaseCardActivityIds.ContainsKey("pull-back"));
        Assert.All(approved.Phase("pull-back"), i => Assert.NotNull(i.DueAt));
        Assert.Equal((ItemStatus.Done, "crash on launch"), (approved.Item("page-on-call")!.Status, approved.Item("page-on-call")!.Note));
        Assert.Equal(ItemStatus.Done, approved.Item("halt-decided")!.Status);
        Assert.Equal(ItemStatus.Open, approved.Item("previous-build-live")!.Status);
        AdaptiveCardSchema.AssertValid(ticked["value"]!, "rollback phase after the tick");
        var rollback = Assert.Single((await State()).Release.Rollbacks);
        Assert.InRange(rollback.TimeToRestore!.Value, TimeSpan.FromMinutes(39.9), TimeSpan.FromMinutes(40.1));
        Assert.Single(await _bot.Store.GetAuditAsync(_id, CancellationToken.None), a => a.Action == AuditActions.RollbackRestored);
    }

    [Fact]
    public async Task RollbackRestoredCommand_CustomTemplate_TicksTheRestoreItem()
    {
        await _bot.SayAsync("rollback --reason crash on launch", TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(), TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(), TestUser.Bob);

        await _bot.SayAsync("rollback restored", TestUser.Alice);

        var state = await State();
        Assert.NotNull(Assert.Single(state.Release.Rollbacks).RestoredAt);
        Assert.Equal(ItemStatus.Done, state.Item("previous-build-live")!.Status);
    }

    private async Task<ReleaseState> State() => (await _bot.Store.GetAsync(_id, CancellationToken.None))!;

    private JsonObject Data() => new() { ["release"] = _id, ["view"] = "rollback" };
}
