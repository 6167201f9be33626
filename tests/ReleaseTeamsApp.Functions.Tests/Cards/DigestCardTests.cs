using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Testing;
using Xunit.Abstractions;

namespace ReleaseTeamsApp.Functions.Tests.Cards;

/// <summary>
/// The reminder digest as the official renderer shows it, pressed with real clicks and sent back through /api/messages:
/// "Snooze 1 day" on an item and "Open dashboard" per release. The release is on Wed 16 Dec 2026, 10:00 Berlin; on
/// Thursday 10 Dec at 10:30 Bob (Engineering Lead) has one item due soon, the -5d "all PRs merged" (Fri 10:00).
/// </summary>
[Collection("Azurite")]
public sealed class DigestCardTests : IClassFixture<CardRendererFixture>, IAsyncLifetime
{
    private const string TeamsAppId = "0c8f1d52-3b7e-4d8a-9e61-5a2f7c9b4e10";
    private static readonly DateTimeOffset ThursdayMorning = new(2026, 12, 10, 9, 30, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite;
    private readonly CardRendererFixture _renderer;
    private readonly ITestOutputHelper _output;
    private BotPipeline _bot = null!;
    private CardPresser _press = null!;
    private string _releaseId = "";

    public DigestCardTests(AzuriteFixture azurite, CardRendererFixture renderer, ITestOutputHelper output)
    {
        _azurite = azurite;
        _renderer = renderer;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(_azurite, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), new Dictionary<string, string?> { ["TeamsApp:AppId"] = TeamsAppId });
        _press = new CardPresser(_renderer, _bot, _output);
        _releaseId = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-16 tz Europe/Berlin", ("pm", TestUser.Carol), ("eng", TestUser.Bob));
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Snooze_StrangerThenOwnerPress_StrangerToldWhoCanOwnerConfirmedAndTheItemWaitsUntilThisTimeTomorrow()
    {
        _bot.ClearConnector();
        _bot.Clock.Set(ThursdayMorning);
        await RunRemindersAsync();
        var digest = DigestOf(TestUser.Bob);

        var refused = await _press.PressAsync("reminder digest", digest, "Snooze 1 day", TestUser.Mallory);
        var snoozed = await _press.PressAsync("reminder digest", digest, "Snooze 1 day", TestUser.Bob);

        // Anyone else: one sentence saying who can, nothing stored.
        var refusal = (await _press.ShowAsync("error: refused", refused.AnswerCard!)).Text;
        Assert.Contains($"Only {TestUser.Bob.Name} (Engineering Lead) or the Release Manager ({TestUser.Alice.Name}) can snooze this item; ask one of them, or tick it when it is done.", refusal, StringComparison.Ordinal);
        // The owner: the confirmation on their item list, the snooze stored for them until 10:30 tomorrow, and audited.
        Assert.Equal(("reminder.snooze", "planning-prs-merged", TestUser.Bob.Id), (snoozed.Emitted.Verb, snoozed.Emitted.Data!["item"]!.GetValue<string>(), snoozed.Emitted.Data["for"]!.GetValue<string>()));
        var confirmation = (await _press.ShowAsync("my items", snoozed.AnswerCard!)).Text;
        Assert.Contains("Snoozed: \"All PRs tagged for release are merged", confirmation, StringComparison.Ordinal);
        Assert.Contains("stays out of your reminders until Fri 11 Dec 10:30 (Europe/Berlin)", confirmation, StringComparison.Ordinal);
        var state = (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!;
        var stored = Assert.Single(state.Item("planning-prs-merged")!.Snoozes!);
        Assert.Equal(TestUser.Bob.Id, stored.PersonId);
        Assert.InRange(stored.Until, ThursdayMorning.AddDays(1), ThursdayMorning.AddDays(1).AddMinutes(1));
        var audit = Assert.Single(await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None), a => a.Action == AuditActions.ItemSnoozed);
        Assert.Equal(TestUser.Bob.Id, audit.Actor.Id);

        // Friday 09:30: Bob's only item is snoozed, so no message; 10:45: the snooze is over, his message of the day has it.
        _bot.ClearConnector();
        _bot.Clock.Set(ThursdayMorning.AddDays(1).AddHours(-1));
        await RunRemindersAsync();
        Assert.DoesNotContain(Digests(), d => d.Mentioned == TestUser.Bob.Id);
        _bot.Clock.Set(ThursdayMorning.AddDays(1).AddMinutes(15));
        await RunRemindersAsync();
        var friday = await _press.ShowAsync("reminder digest", DigestOf(TestUser.Bob));
        Assert.Contains("All PRs tagged for release are merged", friday.Text, StringComparison.Ordinal);
        _press.WriteSummary();
    }

    [Fact]
    public async Task OpenDashboard_OnTheDigest_DeepLinksToTheChannelTabWithTheRelease()
    {
        _bot.Clock.Set(ThursdayMorning);
        await RunRemindersAsync();

        var rendered = await _press.ShowAsync("reminder digest", DigestOf(TestUser.Bob));
        var opened = Assert.Single(await _renderer.ClickAsync(rendered.Actions.Single(a => a.Title == "Open dashboard").Index));

        var link = new Uri(opened.Url!);
        Assert.Equal($"https://teams.microsoft.com/l/entity/{TeamsAppId}/latest", link.GetLeftPart(UriPartial.Path));
        var context = JsonNode.Parse(System.Web.HttpUtility.ParseQueryString(link.Query)["context"]!)!;
        Assert.Equal((_releaseId, BotPipeline.ChannelId), (context["subEntityId"]!.GetValue<string>(), context["channelId"]!.GetValue<string>()));
    }

    private async Task RunRemindersAsync()
    {
        Assert.True(await _bot.RunTimerAsync("Reminders"));
        await _bot.DrainQueuesAsync();
    }

    private JsonObject DigestOf(TestUser who) =>
        BotPipeline.CardOf(Assert.Single(_bot.ConnectorRequests, r => r.Method == "POST" && Mentioned(r) == who.Id && r.Body.Contains("application/vnd.microsoft.card.adaptive", StringComparison.Ordinal)));

    private List<(string Mentioned, JsonObject Body)> Digests() => _bot.ConnectorRequests
        .Where(r => r.Method == "POST" && Mentioned(r) is not null)
        .Select(r => (Mentioned(r)!, JsonNode.Parse(r.Body)!.AsObject()))
        .ToList();

    private static string? Mentioned(RecordedRequest request) =>
        JsonNode.Parse(request.Body)?["entities"]?.AsArray().FirstOrDefault(e => e?["type"]?.GetValue<string>() == "mention")?["mentioned"]?["id"]?.GetValue<string>();
}
