using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Outbox;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Graph;

/// <summary>People lookup, stakeholders, announcements and the outbox through the bot's real HTTP pipeline (Graph in Recording mode).</summary>
[Collection("Azurite")]
public sealed class GraphPipelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Version = "2.4.0";

    private BotPipeline _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        await _bot.SayAsync($"new release {Version} on 2026-12-10 window 10:00-12:00 tz Europe/Berlin", TestUser.Alice);
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task AssignByEmail_KnownAddress_RoleHolderHasResolvedNameEntraIdAndEmail()
    {
        await _bot.SayAsync("assign pm jane.doe@contoso.com", TestUser.Alice);

        var state = await StateAsync();
        var jane = Assert.Single(state.Release.Roles[ReleaseRole.ProductManager]);
        Assert.Equal("Jane Doe", jane.Name);
        Assert.Equal("jane.doe@contoso.com", jane.Email);
        Assert.True(Guid.TryParse(jane.AadObjectId, out _));
        Assert.Equal("aad:" + jane.AadObjectId, jane.Id);
        Assert.Contains(Texts(), t => t.Contains("is now Product Manager on release 2.4.0", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.RoleAssigned && a.After == "Product Manager: Jane Doe");
    }

    [Fact]
    public async Task AssignByEmail_UnknownAddress_RepliesNamingTheAddressAndAssignsNobody()
    {
        await _bot.SayAsync("assign pm ghost@nowhere.invalid", TestUser.Alice);

        var reply = Assert.Single(Texts());
        Assert.Contains("ghost@nowhere.invalid", reply, StringComparison.Ordinal);
        Assert.Contains("Nobody in your organization has the address", reply, StringComparison.Ordinal);
        Assert.Empty((await StateAsync()).Release.Roles[ReleaseRole.ProductManager]);
    }

    [Fact]
    public async Task Stakeholders_AddThenList_StoredAuditedAndListed()
    {
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com, Partner@fabrikam.example", TestUser.Alice);
        await _bot.SayAsync("stakeholders list", TestUser.Bob);

        Assert.Equal(["vp.sales@contoso.com", "partner@fabrikam.example"], (await StateAsync()).Release.Stakeholders);
        var changed = Assert.Single(await AuditAsync(), a => a.Action == GraphAuditActions.StakeholdersChanged);
        Assert.Equal(("", "vp.sales@contoso.com, partner@fabrikam.example", TestUser.Alice.Id), (changed.Before, changed.After, changed.Actor.Id));
        var texts = Texts();
        Assert.Contains("vp.sales@contoso.com — Vp Sales", texts[0], StringComparison.Ordinal);
        Assert.Equal("Stakeholders of 2.4.0 (2): vp.sales@contoso.com, partner@fabrikam.example. They get the announcements and the retrospective invite.", texts[1]);
    }

    [Fact]
    public async Task Stakeholders_NotReleaseManagerOrInvalidAddress_RefusedAndNothingStored()
    {
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Bob);
        await _bot.SayAsync("stakeholders add vp.sales@contoso", TestUser.Alice);
        await _bot.SayAsync("stakeholders add ops@contoso.com", TestUser.Alice);
        await _bot.SayAsync("stakeholders remove ops@contoso.com", TestUser.Alice);

        var texts = Texts();
        Assert.StartsWith("Only the Release Manager of 2.4.0", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("\"vp.sales@contoso\" is not an email address", texts[1], StringComparison.Ordinal);
        Assert.Equal("Removed ops@contoso.com from the stakeholders of 2.4.0. They get no further announcements.", texts[3]);
        Assert.Empty((await StateAsync()).Release.Stakeholders);
        Assert.Equal(2, (await AuditAsync()).Count(a => a.Action == GraphAuditActions.StakeholdersChanged));
    }

    [Fact]
    public async Task Announce_NoStakeholders_TellsHowToAddThem()
    {
        await _bot.SayAsync("announce deployment", TestUser.Alice);

        var reply = Assert.Single(Texts());
        Assert.Contains("has no stakeholders yet", reply, StringComparison.Ordinal);
        Assert.Contains("stakeholders add", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announce_PreviewThenSendTwice_OneOutboxEntryOneAuditOneCardInThread()
    {
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Alice);
        _bot.ClearConnector();

        await _bot.SayAsync("announce deployment", TestUser.Alice);
        var preview = Assert.Single(Cards());
        var send = FindAction(preview, "Send");
        var first = await _bot.ClickAsync(send["verb"]!.GetValue<string>(), send["data"]!.DeepClone().AsObject(), TestUser.Alice);
        var postedAfterFirst = Cards();
        var second = await _bot.ClickAsync(send["verb"]!.GetValue<string>(), send["data"]!.DeepClone().AsObject(), TestUser.Alice);

        AdaptiveCardSchema.AssertValid(preview, "announcement preview");
        Assert.Equal("Preview: deployment announcement of 2.4.0", preview["body"]![0]!["text"]!.GetValue<string>());
        var summary = preview["body"]![2]!["items"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("Deployment of 2.4.0 on Thursday 10 December 2026, 10:00–12:00 (Europe/Berlin)\n\nRelease 2.4.0 will be deployed", summary, StringComparison.Ordinal);
        Assert.Contains("\n\nDeployment window: 10:00–12:00 (Europe/Berlin)\n\n", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("<", summary, StringComparison.Ordinal);
        Assert.Equal("announce.send", send["verb"]!.GetValue<string>());
        var state = await StateAsync();
        var entry = Assert.Single(await OutboxAsync(state.Release.Id));
        Assert.Equal((OutboxKind.AnnouncementMail, AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Deployment)), (entry.Kind, entry.Key));
        var audit = Assert.Single(await AuditAsync(), a => a.Action == GraphAuditActions.AnnouncementSent);
        Assert.Equal((TestUser.Alice.Id, "deployment to vp.sales@contoso.com"), (audit.Actor.Id, audit.After));
        Assert.Equal(2, postedAfterFirst.Count);
        var inThread = postedAfterFirst[1];
        AdaptiveCardSchema.AssertValid(inThread, "announcement in the thread");
        Assert.Contains("Sent by Alice Adams to 1 stakeholder(s)", inThread.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(GraphCards.RecordedNote, inThread.ToJsonString(), StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(first["value"]!, "Send response");
        Assert.Equal(postedAfterFirst.Count, Cards().Count);
        Assert.Contains("already sent or queued", second["value"]!.ToJsonString(), StringComparison.Ordinal);
        AdaptiveCardSchema.AssertValid(second["value"]!, "second Send response");
    }

    [Fact]
    public async Task AnnounceSend_ByTeamMemberWithoutRole_RefusedOnTheCardAndNothingQueued()
    {
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Alice);
        var id = (await StateAsync()).Release.Id;

        var response = await _bot.ClickAsync("announce.send", new JsonObject { ["release"] = id, ["kind"] = "release" }, TestUser.Mallory);

        Assert.Contains("Only the Release Manager or the Product Manager", response["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync(id));
    }

    [Fact]
    public async Task OutboxRun_RetrospectiveCreated_JoinLinkPostedOnceEvenWhenRunTwice()
    {
        await _bot.SayAsync("assign pm jane.doe@contoso.com", TestUser.Alice);
        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Alice);
        var state = await StateAsync();
        await _bot.Host.Services.GetRequiredService<RetrospectiveBooking>().RequestAsync(state, [], null, default);
        _bot.ClearConnector();

        var firstRun = await _bot.RunTimerAsync("Outbox");
        var secondRun = await _bot.RunTimerAsync("Outbox");

        Assert.True(firstRun && secondRun);
        var card = Assert.Single(Cards());
        AdaptiveCardSchema.AssertValid(card, "retrospective card");
        Assert.Equal("Retrospective of release 2.4.0 is booked", card["body"]![0]!["text"]!.GetValue<string>());
        var json = card.ToJsonString();
        Assert.Contains(GraphCards.RecordedNote, json, StringComparison.Ordinal);
        Assert.Contains("Monday 14 December 2026, 14:00 (Europe/Berlin)", json, StringComparison.Ordinal); // first working day ≥ T+3, default time
        Assert.Contains("\"4 people\"", json, StringComparison.Ordinal); // Alice and Bob (emails from the team roster), Jane (resolved by email) and the stakeholder
        Assert.DoesNotContain("has no known email address", json, StringComparison.Ordinal);
        var join = card["actions"]![0]!.AsObject();
        Assert.Equal("Action.OpenUrl", join["type"]!.GetValue<string>());
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/recorded-", join["url"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(await OutboxAsync(state.Release.Id));
        Assert.Equal(OutboxStatus.Recorded, entry.Status);
    }

    [Fact]
    public async Task OutboxRunAndCommand_DeadEntry_RmToldOnceAndListedFirstWithItsError()
    {
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Alice);
        var state = await StateAsync();
        var services = _bot.Host.Services;
        await services.GetRequiredService<StakeholderAnnouncements>().EnqueueAsync(state, AnnouncementKind.Release, new Person(TestUser.Alice.Id, TestUser.Alice.Name), fromTeamChannel: true, default);
        await services.GetRequiredService<RetrospectiveBooking>().RequestAsync(state, [], null, default);
        await KillAsync(state.Release.Id, AnnouncementKeys.Outbox(state.Release.Id, AnnouncementKind.Release), "Graph answered 403 (ErrorAccessDenied) to the request to send the announcement: Access is denied.");
        _bot.ClearConnector();

        var dispatch = await services.GetRequiredService<OutboxDispatcher>().RunAsync(default);
        var again = await services.GetRequiredService<OutboxDispatcher>().RunAsync(default);
        var posted = _bot.ConnectorRequests.Count;
        await _bot.SayAsync($"outbox {Version}", TestUser.Bob);

        Assert.Equal((1, 1), (dispatch.JoinLinksPosted, dispatch.FailuresPosted));
        Assert.Equal((0, 0), (again.JoinLinksPosted, again.FailuresPosted));
        Assert.Equal(2, posted);
        var texts = Texts();
        var notice = Assert.Single(texts, t => t.Contains("could not be sent", StringComparison.Ordinal));
        Assert.StartsWith("<at>Alice Adams</at>: the announcement mail of release 2.4.0", notice, StringComparison.Ordinal);
        var report = texts[^1];
        Assert.StartsWith("**Outbox of 2.4.0**: 2 request(s), 1 failed, 0 waiting.", report, StringComparison.Ordinal);
        var lines = report.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("- ⛔ **announcement mail** — failed after 1 attempt(s). Last error: Graph answered 403", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("- 📼 **retrospective meeting** — recorded, not sent (local mode) · [join link](https://teams.microsoft.com/l/meetup-join/recorded-", lines[1], StringComparison.Ordinal);
    }

    private async Task<ReleaseState> StateAsync()
    {
        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), Version, default);
        return (await _bot.Store.GetAsync(id!, default))!;
    }

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync() => await _bot.Store.GetAuditAsync((await StateAsync()).Release.Id, default);

    private Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string releaseId) => _bot.Host.Services.GetRequiredService<GraphOutbox>().ListAsync(releaseId, default);

    /// <summary>Makes an entry dead the way the worker would after a 403 (Recording mode never fails on its own).</summary>
    private async Task KillAsync(string releaseId, string key, string error)
    {
        var outbox = _bot.Host.Services.GetRequiredService<GraphOutbox>();
        var row = (await outbox.GetRowAsync(releaseId, key, default))!;
        row.Status = nameof(OutboxStatus.Dead);
        row.Attempts = 1;
        row.LastError = error;
        row.ThreadNotice = ThreadNotices.Due;
        Assert.True(await outbox.TryReplaceAsync(row, default));
    }

    private List<string> Texts() => _bot.ConnectorRequests
        .Select(r => JsonNode.Parse(r.Body)!)
        .Select(b => (b["activity"] ?? b)["text"]?.GetValue<string>())
        .OfType<string>()
        .ToList();

    private List<JsonObject> Cards() => _bot.ConnectorRequests
        .Where(r => (JsonNode.Parse(r.Body)!["activity"] ?? JsonNode.Parse(r.Body)!)["attachments"] is JsonArray { Count: > 0 })
        .Select(BotPipeline.CardOf)
        .ToList();

    private static JsonObject FindAction(JsonNode node, string title) =>
        node switch
        {
            JsonObject o when o["title"]?.GetValue<string>() == title && o["verb"] is not null => o,
            JsonObject o => o.Select(p => p.Value is null ? null : TryFind(p.Value, title)).FirstOrDefault(f => f is not null) ?? throw new InvalidOperationException($"No action {title}."),
            JsonArray a => a.Select(v => v is null ? null : TryFind(v, title)).FirstOrDefault(f => f is not null) ?? throw new InvalidOperationException($"No action {title}."),
            _ => throw new InvalidOperationException($"No action {title}."),
        };

    private static JsonObject? TryFind(JsonNode node, string title)
    {
        try
        {
            return FindAction(node, title);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
