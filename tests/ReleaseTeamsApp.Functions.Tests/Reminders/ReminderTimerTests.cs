using System.Net;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Reminders;

/// <summary>The Reminders timer through the real pipeline: a release made by chat, people assigned by mention, the clock moved to a due morning.</summary>
[Collection("Azurite")]
public sealed class ReminderTimerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Thread = $"{BotPipeline.ChannelId};messageid=101";

    // Friday 11 Dec 2026, 09:30 in Berlin: half an hour before the T-5 items of a release on 16 Dec (Engineering Lead, Technical Writer).
    private static readonly DateTimeOffset DueMorning = new(2026, 12, 11, 8, 30, 0, TimeSpan.Zero);

    private BotPipeline _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        var id = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-16 tz Europe/Berlin", ("pm", TestUser.Carol), ("eng", TestUser.Bob));

        // The T-14 and T-12 items are done, so nothing is overdue long enough to escalate to the Release Manager.
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = id, ["item"] = "planning-date-window" }, TestUser.Alice);
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = id, ["item"] = "planning-scope" }, TestUser.Carol);
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task RemindersTimer_ItemsDueOnAWeekdayMorning_PostsOneDigestPerPersonIntoTheThreadWithTheirMention()
    {
        _bot.Clock.Set(DueMorning);

        await RunTimerAsync();

        var digests = PostedDigests();
        Assert.NotEmpty(digests);
        Assert.All(digests, d => Assert.Equal($"/v3/conversations/{Uri.EscapeDataString(Thread)}/activities", d.Target));
        // Bob owns the Engineering Lead item; the Technical Writer role is unassigned, so its two items go to the Release Manager.
        var recipients = digests.Select(d => MentionedId(d.Activity)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], recipients);
        Assert.All(digests, d =>
        {
            var mention = d.Activity["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "mention")!;
            Assert.Contains(mention["text"]!.GetValue<string>(), d.Activity["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("release 2.4.0", d.Activity["text"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Contains("2 items", digests.Single(d => MentionedId(d.Activity) == TestUser.Alice.Id).Activity["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemindersTimer_RunAgainTheSameMorning_PostsNothingNew()
    {
        _bot.Clock.Set(DueMorning);
        await RunTimerAsync();
        var first = PostedDigests();
        _bot.ClearConnector();

        _bot.Clock.Set(DueMorning.AddMinutes(15));
        await RunTimerAsync();

        Assert.NotEmpty(first);
        Assert.Empty(_bot.ConnectorRequests);
    }

    [Fact]
    public async Task RemindersTimer_SaturdayMorning_PostsNothing()
    {
        _bot.Clock.Set(new DateTimeOffset(2026, 12, 12, 9, 30, 0, TimeSpan.Zero));

        await RunTimerAsync();

        Assert.Empty(_bot.ConnectorRequests);
    }

    [Fact]
    public async Task MuteReminders_ByTheReleaseManager_NoDigestUntilUnmutedThenTheOwnersHearAgain()
    {
        _bot.Clock.Set(DueMorning.AddMinutes(-30));
        await _bot.SayAsync("mute reminders 2.4.0", TestUser.Alice);
        var muted = Texts();
        _bot.ClearConnector();

        _bot.Clock.Set(DueMorning);
        await RunTimerAsync();
        var whileMuted = PostedDigests();
        await _bot.SayAsync("unmute reminders", TestUser.Alice);
        var unmuted = Texts();
        _bot.ClearConnector();
        _bot.Clock.Set(DueMorning.AddMinutes(5));
        await RunTimerAsync();

        Assert.Contains(muted, t => t.Contains("Reminders of 2.4.0 are muted", StringComparison.Ordinal));
        Assert.Empty(whileMuted);
        Assert.Contains(unmuted, t => t.Contains("Reminders of 2.4.0 are back on", StringComparison.Ordinal));
        Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], PostedDigests().Select(d => MentionedId(d.Activity)).Order(StringComparer.Ordinal));
        var id = await _bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "2.4.0", CancellationToken.None);
        var audit = await _bot.Store.GetAuditAsync(id!, CancellationToken.None);
        Assert.Equal([AuditActions.RemindersMuted, AuditActions.RemindersUnmuted], audit.Where(a => a.Action.StartsWith("reminders.", StringComparison.Ordinal)).Select(a => a.Action));
    }

    [Fact]
    public async Task MuteReminders_BySomeoneElse_IsRefusedWithWhoCanAndDigestsStillGoOut()
    {
        await _bot.SayAsync("mute reminders", TestUser.Bob);
        var refused = Texts();
        _bot.ClearConnector();
        _bot.Clock.Set(DueMorning);

        await RunTimerAsync();

        Assert.Contains(refused, t => t.Contains("Only the Release Manager of 2.4.0", StringComparison.Ordinal));
        Assert.NotEmpty(PostedDigests());
    }

    [Fact]
    public async Task Help_ListsMuteAndUnmuteReminders()
    {
        await _bot.SayAsync("help", TestUser.Bob);

        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("mute reminders, unmute reminders", StringComparison.Ordinal));
    }

    private List<string> Texts() => _bot.ConnectorRequests
        .Select(r => JsonNode.Parse(r.Body)?["text"]?.GetValue<string>() ?? "")
        .ToList();

    private async Task RunTimerAsync() => Assert.True(await _bot.RunTimerAsync("Reminders"));

    private List<(string Target, JsonObject Activity)> PostedDigests() => _bot.ConnectorRequests
        .Where(r => r.Method == "POST")
        .Select(r => (r.RawTarget, JsonNode.Parse(r.Body)!.AsObject()))
        .ToList();

    private static string MentionedId(JsonObject activity) =>
        activity["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "mention")!["mentioned"]!["id"]!.GetValue<string>();
}
