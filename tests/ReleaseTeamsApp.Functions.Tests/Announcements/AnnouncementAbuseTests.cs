using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Bot;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Announcements;

/// <summary>
/// The corporate mailbox is not a relay: stakeholders only in the configured domains (and nothing else is mailed even
/// if stored, nor invited to the retrospective), each announcement once per release, a daily announcement limit per
/// person, and announcements only from team channels. Each test performs the abuse through the bot's HTTP pipeline.
/// </summary>
[Collection("Azurite")]
public sealed class AnnouncementAbuseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;

    public async Task InitializeAsync() => _bot = await BotPipeline.StartAsync(azurite, settings: new Dictionary<string, string?>
    {
        ["Graph:AllowedRecipientDomains"] = "contoso.com",
        ["Graph:MaxAnnouncementsPerPersonPerDay"] = "2",
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task StakeholdersAdd_AddressOutsideTheAllowedDomains_RefusedAndNobodyAdded()
    {
        var release = await CreateAsync("1.0.0");

        await _bot.SayAsync("stakeholders add vp.sales@contoso.com, spam-target@victim.example", TestUser.Alice);

        var reply = Assert.Single(Texts());
        Assert.Contains("\"spam-target@victim.example\" is outside the mail domains announcements may go to (contoso.com)", reply, StringComparison.Ordinal);
        Assert.Contains("Graph__AllowedRecipientDomains", reply, StringComparison.Ordinal);
        Assert.Empty((await _bot.Store.GetAsync(release, default))!.Release.Stakeholders);
    }

    [Fact]
    public async Task AnnounceSend_StoredAddressOutsideTheDomains_IsNotMailed()
    {
        var release = await CreateAsync("1.1.0");
        // An address stored before the rule (or before the setting changed).
        await SetStakeholdersAsync(release, "vp.sales@contoso.com", "list@victim.example");

        var sent = await SendAsync(release, "deployment");

        Assert.Equal(200, sent["statusCode"]!.GetValue<int>());
        var payload = await PayloadAsync(release, AnnouncementKind.Deployment);
        Assert.Contains("vp.sales@contoso.com", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("victim.example", payload, StringComparison.Ordinal);
        Assert.Contains("vp.sales@contoso.com", sent["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("victim.example", sent["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["vp.sales@contoso.com", "list@victim.example"], (await _bot.Store.GetAsync(release, default))!.Release.Stakeholders);
    }

    [Fact]
    public async Task AnnouncePreview_StoredAddressOutsideTheDomains_CardNamesWhoIsLeftOutAndWhy()
    {
        var release = await CreateAsync("1.2.0");
        await SetStakeholdersAsync(release, "vp.sales@contoso.com", "list@victim.example");

        await _bot.SayAsync("announce deployment 1.2.0", TestUser.Alice);

        var card = BotPipeline.CardOf(Assert.Single(_bot.ConnectorRequests)).ToJsonString();
        Assert.Contains("list@victim.example gets no announcement: outside the mail domains this app may mail (contoso.com)", card, StringComparison.Ordinal);
        Assert.Contains("Graph__AllowedRecipientDomains", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnounceSend_OnlyStakeholdersOutsideTheDomains_RefusedWithWhatToDoAndNothingQueued()
    {
        var release = await CreateAsync("1.3.0");
        await SetStakeholdersAsync(release, "list@victim.example");

        var sent = await SendAsync(release, "deployment");

        var text = sent["value"]!.ToJsonString();
        Assert.Contains("None of the stakeholders of 1.3.0 (list@victim.example) is in the mail domains this app may mail (contoso.com), so nothing was sent", text, StringComparison.Ordinal);
        Assert.Contains("Graph__AllowedRecipientDomains", text, StringComparison.Ordinal);
        Assert.Empty(await _bot.Host.Services.GetRequiredService<GraphOutbox>().ListAsync(release, default));
    }

    [Fact]
    public async Task RetrospectiveBooked_AttendeeOutsideTheDomains_NotInvitedAndNamedOnTheCard()
    {
        var release = await CreateAsync("1.4.0");
        await SetStakeholdersAsync(release, "vp.sales@contoso.com", "list@victim.example");
        var state = (await _bot.Store.GetAsync(release, default))!;

        await _bot.Host.Services.GetRequiredService<RetrospectiveBooking>().RequestAsync(state, [], null, default);
        Assert.True(await _bot.RunTimerAsync("Outbox"));

        var payload = await PayloadAsync(release, RetrospectiveKeys.Event(release));
        Assert.Contains("vp.sales@contoso.com", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("victim.example", payload, StringComparison.Ordinal);
        var card = BotPipeline.CardOf(Assert.Single(_bot.ConnectorRequests)).ToJsonString();
        Assert.Contains("Alice Adams (alice@contoso.example), list@victim.example get no invitation: outside the mail domains this app may mail (contoso.com)", card, StringComparison.Ordinal);
        Assert.Contains("Graph__AllowedRecipientDomains", card, StringComparison.Ordinal);
        Assert.Contains("list@victim.example", (await _bot.Store.GetAsync(release, default))!.Release.Stakeholders);
    }

    [Fact]
    public async Task AnnounceSend_ThirdAnnouncementOfThePersonToday_RefusedAndNotQueued()
    {
        var first = await CreateAsync("2.0.0");
        var second = await CreateAsync("2.1.0");
        await SetStakeholdersAsync(first, "vp.sales@contoso.com");
        await SetStakeholdersAsync(second, "vp.sales@contoso.com");

        await SendAsync(first, "deployment");
        await SendAsync(second, "deployment");
        var again = await SendAsync(first, "deployment");
        var third = await SendAsync(second, "release");

        Assert.Contains("already sent or queued", again["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("the daily limit per person, so nothing was sent: send this one tomorrow (UTC), or ask another Release Manager or Product Manager of 2.1.0", third["value"]!.ToJsonString(), StringComparison.Ordinal);
        var outbox = _bot.Host.Services.GetRequiredService<GraphOutbox>();
        Assert.Single(await outbox.ListAsync(first, default));
        Assert.Single(await outbox.ListAsync(second, default));
    }

    [Fact]
    public async Task AnnounceSend_LimitReachedYesterday_SentTheNextDay()
    {
        var first = await CreateAsync("2.2.0");
        await SetStakeholdersAsync(first, "vp.sales@contoso.com");
        await SendAsync(first, "deployment");
        await SendAsync(first, "release");
        var refused = await SendAsync(first, "rollback");

        _bot.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await SendAsync(first, "rollback");

        Assert.Contains("the daily limit per person", refused["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Rollback announcement of 2.2.0", nextDay["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(3, (await _bot.Host.Services.GetRequiredService<GraphOutbox>().ListAsync(first, default)).Count);
    }

    [Fact]
    public async Task AnnounceSend_OneReleaseSentAgainAndAgainByBothManagers_EachKindMailedOnce()
    {
        var release = await CreateAsync("2.5.0");
        await _bot.SayAsync("assign pm", TestUser.Alice, TestUser.Bob);
        await SetStakeholdersAsync(release, "vp.sales@contoso.com");
        _bot.ClearConnector();
        var answers = new List<JsonObject>();

        foreach (var (kind, who) in new[] { ("deployment", TestUser.Alice), ("deployment", TestUser.Bob), ("release", TestUser.Bob), ("deployment", TestUser.Alice), ("release", TestUser.Alice), ("release", TestUser.Bob) })
        {
            answers.Add(await SendAsync(release, kind, who));
        }

        var entries = await _bot.Host.Services.GetRequiredService<GraphOutbox>().ListAsync(release, default);
        Assert.Equal([AnnouncementKeys.Outbox(release, AnnouncementKind.Deployment), AnnouncementKeys.Outbox(release, AnnouncementKind.Release)], entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(4, answers.Count(a => a["value"]!.ToJsonString().Contains("was already sent or queued; it is not sent twice. Say **outbox 2.5.0** to see it.", StringComparison.Ordinal)));
        Assert.Equal(2, _bot.ConnectorRequests.Count); // the two announcements posted in the thread, no repeats
    }

    [Theory]
    [InlineData("groupChat", "19:chat-with-outsiders@thread.v2")]
    [InlineData("personal", "a:1personal-chat-with-the-bot")]
    public async Task Announce_FromAChatNotATeamChannel_RefusedAndNothingQueued(string conversationType, string chat)
    {
        var say = _bot.ChatActivity(TestUser.Alice, "message", chat, conversationType);
        say["text"] = "<at>ReleaseBot</at> new release 3.0.0 on 2026-12-10 tz UTC";
        say["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>ReleaseBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotProtocol.Tests.Fakes.FakeBotFrameworkIdentity.AppId, ["name"] = "ReleaseBot" } });
        (await _bot.SendAsync(say)).Dispose();
        var release = (await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, chat, chat), "3.0.0", default))
            ?? throw new InvalidOperationException($"No release was started in the {conversationType} chat.");
        await SetStakeholdersAsync(release, "vp.sales@contoso.com");
        _bot.ClearConnector();

        var announce = _bot.ChatActivity(TestUser.Alice, "message", chat, conversationType);
        announce["text"] = "<at>ReleaseBot</at> announce deployment";
        announce["entities"] = say["entities"]!.DeepClone();
        (await _bot.SendAsync(announce)).Dispose();
        var click = _bot.ChatActivity(TestUser.Alice, "invoke", chat, conversationType);
        click["name"] = "adaptiveCard/action";
        click["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "announce.send", ["data"] = new JsonObject { ["release"] = release, ["kind"] = "deployment" } } };
        using var clicked = await _bot.SendAsync(click);
        var response = JsonNode.Parse(await clicked.Content.ReadAsStringAsync())!;

        Assert.Contains(AnnouncementCommands.OnlyFromChannels, Assert.Single(Texts()), StringComparison.Ordinal);
        Assert.Equal(403, response["statusCode"]!.GetValue<int>());
        Assert.Equal(AnnouncementCommands.OnlyFromChannels, response["value"]!["message"]!.GetValue<string>());
        Assert.Empty(await _bot.Host.Services.GetRequiredService<GraphOutbox>().ListAsync(release, default));
    }

    private async Task<string> CreateAsync(string version)
    {
        await _bot.SayAsync($"new release {version} on 2026-12-10 tz UTC", TestUser.Alice);
        _bot.ClearConnector();
        return (await _bot.Store.FindIdAsync(Channel, version, default))!;
    }

    private async Task SetStakeholdersAsync(string release, params string[] addresses) =>
        await _bot.Store.UpdateAsync(release, s => ReleaseChange.Record(s.Release with { Stakeholders = addresses }).Returning(true), null, default);

    private Task<JsonObject> SendAsync(string release, string kind, TestUser? who = null) =>
        _bot.ClickAsync("announce.send", new JsonObject { ["release"] = release, ["kind"] = kind }, who ?? TestUser.Alice);

    private Task<string> PayloadAsync(string release, AnnouncementKind kind) => PayloadAsync(release, AnnouncementKeys.Outbox(release, kind));

    private async Task<string> PayloadAsync(string release, string key) =>
        (await _bot.Host.Services.GetRequiredService<GraphOutbox>().GetRowAsync(release, key, default))!.Payload;

    private List<string> Texts() => _bot.ConnectorRequests
        .Select(r => JsonNode.Parse(r.Body)!)
        .Select(b => (b["activity"] ?? b)["text"]?.GetValue<string>())
        .OfType<string>()
        .ToList();
}
