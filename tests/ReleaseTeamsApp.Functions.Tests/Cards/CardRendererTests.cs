using System.Net;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.BotProtocol.Tests.Fakes;
using ReleaseTeamsApp.Functions.Tests.Bot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Tests.Graph;
using ReleaseTeamsApp.Testing;
using Xunit.Abstractions;

namespace ReleaseTeamsApp.Functions.Tests.Cards;

/// <summary>
/// Every card the flows post, rendered by the official Adaptive Cards renderer in Chromium with a Teams-like host config,
/// every button pressed with a real click, and what the renderer emitted sent back through /api/messages as Teams sends it.
/// Screenshots and the per-kind size table go to TestResults/cards (or $CARD_SCREENSHOTS).
/// </summary>
[Collection("Azurite")]
public sealed class CardRendererTests : IClassFixture<CardRendererFixture>, IAsyncLifetime
{
    private const string Version = "2.4.0";
    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);

    private readonly AzuriteFixture _azurite;
    private readonly CardRendererFixture _renderer;
    private readonly ITestOutputHelper _output;
    private BotPipeline _bot = null!;
    private CardPresser _press = null!;

    public CardRendererTests(AzuriteFixture azurite, CardRendererFixture renderer, ITestOutputHelper output)
    {
        _azurite = azurite;
        _renderer = renderer;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(_azurite);
        _press = new CardPresser(_renderer, _bot, _output);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task PhaseCards_ChannelOwnerManagerAndStrangerViews_EveryButtonReachesTheBotAndLands()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        var thread = (await StateAsync()).Release.Thread!;
        var ticked = 0;

        foreach (var (phaseId, activityId) in thread.PhaseCardActivityIds)
        {
            var channel = CardAt(activityId);
            var channelView = await _press.ShowAsync("phase: channel", channel);
            Assert.Equal(["Show my items"], channelView.Actions.Where(a => a.Sends).Select(a => a.Title));
            Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], channelView.Refresh!.UserIds.Order(StringComparer.Ordinal));

            // Someone without a role is not refreshed automatically: they press "Show my items" and get the read-only view.
            var shown = Assert.Single(await _press.PressEveryActionAsync("phase: channel", channel, TestUser.Mallory, activityId));
            var strangerView = shown.AnswerCard!;
            Assert.Contains("you have no role in release 2.4.0", strangerView.ToJsonString(), StringComparison.Ordinal);
            await AnswersRenderAsync("phase: stranger view", await _press.PressEveryActionAsync("phase: stranger view", strangerView, TestUser.Mallory, activityId));

            // The owner and the Release Manager are listed in refresh.userIds: Teams fetches their own view as soon as they see the card.
            foreach (var (who, kind) in new[] { (TestUser.Bob, "phase: owner view"), (TestUser.Alice, "phase: RM view") })
            {
                var view = await _press.RefreshAsync(channelView, who, activityId);
                var presses = await _press.PressEveryActionAsync(kind, view, who, activityId);
                ticked += await AssertItemPressesLandedAsync(kind, presses, who, phaseId, activityId);
            }
        }

        Assert.True(ticked >= 3, $"Only {ticked} one-tap Done presses ticked an item.");
        _press.WriteSummary();
    }

    [Fact]
    public async Task PhaseView_RowDoneAfterChoosingAnotherItemInTheForm_TicksTheRowsItem()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        var thread = (await StateAsync()).Release.Thread!;
        var activityId = thread.PhaseCardActivityIds["pre-release"];
        var channelView = await _press.ShowAsync("phase: channel", CardAt(activityId));
        var view = await _press.RefreshAsync(channelView, TestUser.Bob, activityId);
        var rendered = await _press.ShowAsync("phase: owner view", view);
        var row = rendered.Actions.First(a => a.Verb == "item.complete" && a.Data?["item"] is not null);
        var rowItem = row.Data!["item"]!.GetValue<string>();
        var other = rendered.Inputs.Single(i => i.Id == "item").Choices.First(c => c.Value != rowItem).Value;

        var press = await _press.PressAsync("phase: owner view", view, a => a.Index == row.Index, TestUser.Bob, activityId, new Dictionary<string, string> { ["item"] = other });

        Assert.Equal(rowItem, press.Emitted.Data!["item"]!.GetValue<string>());
        var state = await StateAsync();
        Assert.Equal(ItemStatus.Done, state.Item(rowItem)!.Status);
        Assert.Equal(ItemStatus.Open, state.Item(other)!.Status);
        _press.WriteSummary();
    }

    [Fact]
    public async Task PhaseCards_ClientWithoutUniversalActions_FallbackSubmitsReachTheBotAndLand()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        var state = await StateAsync();
        var activityId = state.Release.Thread!.PhaseCardActivityIds["pre-release"];
        var channelView = await _press.ShowAsync("phase: channel", CardAt(activityId));
        var view = await _press.RefreshAsync(channelView, TestUser.Bob, activityId);
        var choice = (await _press.ShowAsync("phase: owner view", view)).Inputs.Single(i => i.Id == "item").Choices[0].Value;

        var presses = await _press.PressEveryActionAsync("phase: owner view", view, TestUser.Bob, activityId, fill: i => i.Id == "item" ? choice : CardPresser.TypedText, legacy: true);
        await _press.PressEveryActionAsync("summary", CardAt(state.Release.Thread.RootActivityId!), TestUser.Alice, state.Release.Thread.RootActivityId, a => a.Data?["verb"]?.GetValue<string>() is not ("rollback.raise" or "roles.assign"), legacy: true);

        Assert.All(presses, p => Assert.Equal("Action.Submit", p.Emitted.Type));
        var done = Assert.Single(presses, p => p.Emitted.Data!["verb"]!.GetValue<string>() == "item.complete");
        Assert.True(done.WasForm);
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.ItemCompleted && a.ItemId == choice && a.Actor.Id == TestUser.Bob.Id);
        Assert.Contains(presses, p => p.Emitted.Data!["verb"]!.GetValue<string>() == "card.refresh" && !p.WasForm);
        _press.WriteSummary();
    }

    [Fact]
    public async Task ReleaseDay_SummaryGoNoGoDeployFollowUpRollbackMetricsReport_EveryCardRendersAndEveryButtonLands()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-10 tz UTC", TestUser.Alice);
        await _bot.SayAsync("assign pm", TestUser.Alice, TestUser.Carol);
        await _bot.SayAsync("assign eng", TestUser.Alice, TestUser.Bob);
        var rootId = (await StateAsync()).Release.Thread!.RootActivityId!;

        // Summary: go/no-go, deploy and refresh are one tap; the rollback form is pressed once the release is deployed
        // (the people pickers' Save roles has its own test, ReleaseFromCardsAlone_…).
        var summaryPresses = await _press.PressEveryActionAsync("summary", CardAt(rootId), TestUser.Alice, rootId, a => a.Verb is not ("rollback.raise" or "roles.assign"));
        Assert.Equal(["gonogo.show", "deploy.show", "release.refresh"], summaryPresses.Select(p => p.Emitted.Verb));
        await AnswersRenderAsync("summary", summaryPresses);
        var goNoGoId = (await StateAsync()).Release.GoNoGo!.CardActivityId!;

        // Sign-offs with a comment typed in the card's field, then every button as the Release Manager with the field empty.
        var bobVote = await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "Vote go", TestUser.Bob, goNoGoId, new Dictionary<string, string> { ["note"] = "Regression suite green" });
        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "Vote go", TestUser.Carol, goNoGoId);
        Assert.Contains("Bob Brown voted go", bobVote.AnswerCard!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.GoNoGoVoted && a.Actor.Id == TestUser.Bob.Id && a.Note == "Regression suite green");
        var managerPresses = await _press.PressEveryActionAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), TestUser.Alice, goNoGoId);
        await AnswersRenderAsync("go/no-go", managerPresses);
        Assert.Contains(managerPresses, p => p.Emitted.Verb == "gonogo.decide.override" && p.AnswerCard!.ToJsonString().Contains("Write the override reason", StringComparison.Ordinal));

        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "GO with override", TestUser.Alice, goNoGoId, new Dictionary<string, string> { ["note"] = "pre-release items tracked in the release board" });
        Assert.Equal("pre-release items tracked in the release board", (await StateAsync()).Release.GoNoGo!.Decision!.OverrideReason);
        var start = _bot.Clock.Set(new DateTimeOffset(2026, 12, 10, 10, 0, 0, TimeSpan.Zero));
        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "Start deployment", TestUser.Alice, goNoGoId);
        Assert.Equal(ReleaseStatus.Deploying, (await StateAsync()).Release.Status);

        _bot.Clock.Set(start.AddMinutes(42));
        var deployPresses = await _press.PressEveryActionAsync("deploy", CardAt(goNoGoId, "Go / no-go"), TestUser.Alice, goNoGoId, a => a.Verb == "deploy.done");
        Assert.Equal(ReleaseStatus.Deployed, (await StateAsync()).Release.Status);
        await _press.ShowAsync("deploy", CardAt(goNoGoId, "Go / no-go"));
        await AnswersRenderAsync("deploy", deployPresses);

        // Follow-ups a day later: confirm in one tap, or raise an issue through the form (a reason is required).
        _bot.ClearConnector();
        _bot.Clock.Set(start.AddHours(25));
        await RunTimerAsync("FollowUps");
        var checkIns = PostedCards(c => c.ToJsonString().Contains("Raise an issue", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(checkIns);
        var blocked = await _press.PressEveryActionAsync("follow-up check-in", checkIns[0], TestUser.Alice, null, a => a.Verb == "item.block");
        var block = Assert.Single(blocked);
        Assert.True(block.WasForm);
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.ItemBlocked && a.ItemId == block.Emitted.Data!["item"]!.GetValue<string>() && a.Note == CardPresser.TypedText);
        foreach (var checkIn in checkIns.Skip(1))
        {
            await AnswersRenderAsync("follow-up check-in", await _press.PressEveryActionAsync("follow-up check-in", checkIn, TestUser.Alice, null, a => a.Verb == "item.complete"));
        }

        // Rollback from the summary's form: held until the reason is typed; then the incident notice and the decision card.
        var summary = CardAt(rootId);
        _bot.ClearConnector();
        var raise = Assert.Single(await _press.PressEveryActionAsync("summary", summary, TestUser.Carol, rootId, a => a.Verb == "rollback.raise"));
        Assert.True(raise.WasForm);
        Assert.Equal(CardPresser.TypedText, Assert.Single((await StateAsync()).Release.Rollbacks).Reason);
        await _press.ShowAsync("incident notice", Assert.Single(PostedCards(c => c.ToJsonString().Contains("Incident", StringComparison.Ordinal))));
        var decisionId = Assert.Single((await StateAsync()).Release.Rollbacks).CardActivityId!;
        await _press.PressAsync("rollback decision", CardAt(decisionId, "Rollback decision"), "Approve rollback", TestUser.Carol, decisionId);
        var overridePress = await _press.PressAsync("rollback decision", CardAt(decisionId, "Rollback decision"), "Override (RM)", TestUser.Alice, decisionId);
        Assert.Contains("Write the override reason first", overridePress.AnswerCard!.ToJsonString(), StringComparison.Ordinal);
        await _press.PressAsync("rollback decision", CardAt(decisionId, "Rollback decision"), "Approve rollback", TestUser.Bob, decisionId);
        var rolledBack = await StateAsync();
        Assert.Equal(ReleaseStatus.RolledBack, rolledBack.Release.Status);

        var rollbackPhaseId = rolledBack.Release.Thread!.PhaseCardActivityIds["rollback"];
        var rollbackChannel = await _press.ShowAsync("phase: channel", CardAt(rollbackPhaseId, "Rollback"));
        var managerView = await _press.RefreshAsync(rollbackChannel, TestUser.Alice, rollbackPhaseId);
        await AssertItemPressesLandedAsync("phase: RM view", await _press.PressEveryActionAsync("phase: RM view", managerView, TestUser.Alice, rollbackPhaseId, a => a.Data?["item"] is not null && a.Verb == "item.complete"), TestUser.Alice, "rollback", rollbackPhaseId);
        var restored = await _press.PressEveryActionAsync("rollback decision", CardAt(decisionId, "Rollback decision"), TestUser.Alice, decisionId);
        await AnswersRenderAsync("rollback decision", restored);
        Assert.NotNull(Assert.Single((await StateAsync()).Release.Rollbacks).RestoredAt);
        await _press.ShowAsync("rollback decision", CardAt(decisionId, "Rollback decision"));

        // The outbox books the retrospective and posts its card; metrics and the closing report follow.
        _bot.ClearConnector();
        await RunTimerAsync("Outbox");
        await _press.ShowAsync("retrospective (outbox)", Assert.Single(PostedCards(c => c.ToJsonString().Contains("Retrospective", StringComparison.Ordinal))));
        _bot.ClearConnector();
        await _bot.SayAsync("metrics", TestUser.Alice);
        await _press.ShowAsync("metrics", Assert.Single(PostedCards(_ => true)));
        _bot.ClearConnector();
        await _bot.SayAsync("close --force rollback follow-ups tracked in the incident", TestUser.Alice);
        await _press.ShowAsync("report", Assert.Single(PostedCards(c => c.ToJsonString().Contains("closed", StringComparison.Ordinal))));
        _press.WriteSummary();
    }

    [Fact]
    public async Task Reminders_DigestEscalationAndMyItems_DoneTicksTheItemForEveryone()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-16 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("assign pm", TestUser.Alice, TestUser.Carol);
        await _bot.SayAsync("assign eng", TestUser.Alice, TestUser.Bob);
        var state = await StateAsync();
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = state.Release.Id, ["item"] = "planning-date-window" }, TestUser.Alice);
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = state.Release.Id, ["item"] = "planning-scope" }, TestUser.Carol);
        var people = new Dictionary<string, TestUser> { [TestUser.Alice.Id] = TestUser.Alice, [TestUser.Bob.Id] = TestUser.Bob, [TestUser.Carol.Id] = TestUser.Carol };

        // Friday 09:30 in Berlin: one digest per person in the thread.
        _bot.ClearConnector();
        _bot.Clock.Set(new DateTimeOffset(2026, 12, 11, 8, 30, 0, TimeSpan.Zero));
        await RunTimerAsync("Reminders");
        var digests = PostedActivities().ToList();
        Assert.NotEmpty(digests);
        var stranger = await _press.PressEveryActionAsync("reminder digest", BotPipeline.CardOf(digests[0].Request), TestUser.Mallory, null, a => a.Verb == "item.complete");
        Assert.All(stranger, p => Assert.Contains("Only ", p.AnswerCard!.ToJsonString(), StringComparison.Ordinal));
        await AnswersRenderAsync("error: refused", stranger);
        foreach (var (request, recipient) in digests)
        {
            var who = people[recipient];
            var presses = await _press.PressEveryActionAsync("reminder digest", BotPipeline.CardOf(request), who);
            Assert.NotEmpty(presses);
            await AssertTickedAsync(presses, who);
            await AnswersRenderAsync("my items", presses);
        }

        // Tuesday: what is still overdue beyond a day goes to the Release Manager as an escalation.
        _bot.ClearConnector();
        _bot.Clock.Set(new DateTimeOffset(2026, 12, 15, 8, 30, 0, TimeSpan.Zero));
        await RunTimerAsync("Reminders");
        var escalation = PostedCards(c => c["body"]![0]!["text"]!.GetValue<string>().StartsWith("Escalation", StringComparison.Ordinal)).First();
        var escalated = await _press.PressEveryActionAsync("escalation", escalation, TestUser.Alice);
        Assert.NotEmpty(escalated);
        await AssertTickedAsync(escalated, TestUser.Alice);

        _bot.ClearConnector();
        await _bot.SayAsync("my items", TestUser.Bob);
        var myItems = Assert.Single(PostedCards(_ => true));
        var mine = await _press.PressEveryActionAsync("my items", myItems, TestUser.Bob);
        Assert.NotEmpty(mine);
        await AssertTickedAsync(mine, TestUser.Bob);
        await AnswersRenderAsync("my items", mine);
        _press.WriteSummary();
    }

    [Fact]
    public async Task Announcement_PreviewSendThenCancel_SentOnceAndEveryCardRenders()
    {
        await _bot.SayAsync($"new release {Version} on 2026-12-10 window 10:00-12:00 tz Europe/Berlin", TestUser.Alice);
        await _bot.SayAsync("stakeholders add vp.sales@contoso.com", TestUser.Alice);
        _bot.ClearConnector();
        await _bot.SayAsync("announce deployment", TestUser.Alice);
        var preview = Assert.Single(PostedCards(_ => true));
        _bot.ClearConnector();

        var presses = await _press.PressEveryActionAsync("announcement preview", preview, TestUser.Alice);

        Assert.Equal(["announce.send", "announce.cancel"], presses.Select(p => p.Emitted.Verb));
        await AnswersRenderAsync("announcement preview", presses);
        await _press.ShowAsync("announcement sent", Assert.Single(PostedCards(c => c.ToJsonString().Contains("Sent by Alice Adams", StringComparison.Ordinal))));
        Assert.Single(await _bot.Store.GetAuditAsync((await StateAsync()).Release.Id, CancellationToken.None), a => a.Action.StartsWith("announcement", StringComparison.Ordinal));
        _press.WriteSummary();
    }

    [Fact]
    public async Task Welcome_AppInstalledInTeam_CardNamesTheAppAndEveryButtonAnswersWithACard()
    {
        var install = _bot.Activity(TestUser.Alice, "installationUpdate");
        install["action"] = "add";
        using var response = await _bot.SendAsync(install);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var welcome = PostedCards(_ => true).First();
        var rendered = await _press.ShowAsync("start: welcome", welcome);
        Assert.Contains($"{ManifestShortName()} is here", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ReleaseTeamsApp", rendered.Text, StringComparison.Ordinal);
        var presses = await _press.PressEveryActionAsync("start: welcome", welcome, TestUser.Alice);
        Assert.Equal(["New release", "My items", "Help"], presses.Select(p => p.Action.Title));
        Assert.All(presses, p => Assert.False(p.WasForm));
        await _press.ShowAsync("start: new release form", presses[0].AnswerCard!);
        await _press.ShowAsync("my items", presses[1].AnswerCard!);
        var help = await _press.ShowAsync("start: help", presses[2].AnswerCard!);
        Assert.Contains("new release 2.5.0 on 2026-12-24", help.Text, StringComparison.Ordinal);
        _press.WriteSummary();
    }

    [Fact]
    public async Task NewReleaseForm_HeldUntilFilledThenRefusedLikeTheCommandThenFixed_ReleaseCreatedFromTheCard()
    {
        _bot.ClearConnector();
        await _bot.SayAsync("help", TestUser.Alice);
        var help = Assert.Single(PostedCards(_ => true));
        var form = (await _press.PressAsync("start: help", help, "New release", TestUser.Alice)).AnswerCard!;

        // Empty, the renderer holds the submit and says what is missing; nothing reaches the bot.
        var held = await _press.ShowAsync("start: new release form", form);
        var create = held.Actions.Single(a => a.Title == "Create release");
        Assert.Empty(await _renderer.ClickAsync(create.Index));
        Assert.NotEmpty(await _renderer.VisibleErrorMessagesAsync());

        // Filled in, but with a window that opens and closes at the same time: refused with the typed command's words, values kept.
        var typed = new Dictionary<string, string>
        {
            ["version"] = Version,
            ["date"] = "2026-12-10",
            ["windowFrom"] = "10:00",
            ["windowTo"] = "10:00",
            ["timeZone"] = "Europe/Berlin",
            ["template"] = TemplateLibrary.BuiltIn.Id,
            ["scope"] = "Checkout redesign",
        };
        _bot.ClearConnector();
        var refused = await _press.PressAsync("start: new release form", form, "Create release", TestUser.Alice, typed: typed);
        Assert.True(refused.WasForm);
        Assert.Equal("2026-12-10", refused.Emitted.Data!["date"]!.GetValue<string>());
        var again = refused.AnswerCard!;
        var problem = NoticeOf(again)!;
        await _bot.SayAsync($"new release {Version} on 2026-12-10 window 10:00-10:00 tz Europe/Berlin", TestUser.Alice);
        var typedReply = JsonNode.Parse(Assert.Single(_bot.ConnectorRequests).Body)!["text"]!.GetValue<string>();
        Assert.StartsWith(problem, typedReply, StringComparison.Ordinal);
        Assert.Null(await _bot.Store.FindIdAsync(Channel, Version, CancellationToken.None));
        var kept = await _press.ShowAsync("error: refused", again);
        Assert.Contains(kept.Inputs, i => i.Id == "version");
        Assert.Equal(Version, await _renderer.Page.Locator("#card [data-input='version']").InputValueAsync());
        Assert.Equal("Checkout redesign", await _renderer.Page.Locator("#card [data-input='scope']").InputValueAsync());

        // Corrected on the returned card: created, with the thread posted and the form's values stored.
        _bot.ClearConnector();
        var created = await _press.PressAsync("start: new release form", again, "Create release", TestUser.Alice, typed: new Dictionary<string, string> { ["windowTo"] = "12:00" });

        var release = (await StateAsync()).Release;
        Assert.Equal((new DateOnly(2026, 12, 10), "10:00–12:00", "Europe/Berlin", "Checkout redesign"), (release.ReleaseDate, release.Window.ToString(), release.TimeZoneId, release.Scope));
        Assert.True(release.Roles.Holds(new Person(TestUser.Alice.Id, TestUser.Alice.Name, TestUser.Alice.AadObjectId), ReleaseTeamsApp.Releases.ReleaseRole.ReleaseManager));
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains($"Release {Version}", StringComparison.Ordinal));
        Assert.Contains($"Release {Version} is set up", (await _press.ShowAsync("start: created", created.AnswerCard!)).Text, StringComparison.Ordinal);
        _press.WriteSummary();
    }

    [Fact]
    public async Task ReleaseFromCardsAlone_FormPeoplePickerTicksAndGoNoGo_CreatedStaffedAndRun()
    {
        // Graph is a local fake behind the real Graph SDK: it knows the people the picker will submit, by Entra object id.
        await using var graph = await FakeGraph.StartAsync();
        graph.Users[TestUser.Dan.AadObjectId] = (TestUser.Dan.AadObjectId, TestUser.Dan.Name);
        graph.Users[TestUser.Erin.AadObjectId] = (TestUser.Erin.AadObjectId, TestUser.Erin.Name);
        await _bot.DisposeAsync();
        _bot = await BotPipeline.StartAsync(_azurite, settings: new Dictionary<string, string?> { ["TeamsApp:AppId"] = TeamsAppId }, services: s => s.AddSingleton<IGraphGateway>(p => graph.Gateway(p.GetRequiredService<IOptions<GraphOptions>>().Value, p.GetRequiredService<TimeProvider>())));
        _bot.MemberProfiles[TestUser.Dan.Id] = (TestUser.Dan.Name, TestUser.Dan.AadObjectId, "dan@contoso.example");
        _bot.MemberProfiles[TestUser.Erin.Id] = (TestUser.Erin.Name, TestUser.Erin.AadObjectId, "erin@contoso.example");
        _press = new CardPresser(_renderer, _bot, _output);

        // Installed: the welcome's New release opens the form; filled in and submitted, the release and its thread exist.
        var install = _bot.Activity(TestUser.Alice, "installationUpdate");
        install["action"] = "add";
        using (await _bot.SendAsync(install))
        {
        }

        var welcome = Assert.Single(PostedCards(_ => true));
        var form = (await _press.PressAsync("start: welcome", welcome, "New release", TestUser.Alice)).AnswerCard!;
        await _press.PressAsync("start: new release form", form, "Create release", TestUser.Alice, typed: new Dictionary<string, string>
        {
            ["version"] = Version,
            ["date"] = "2026-12-10",
            ["windowFrom"] = "09:30",
            ["windowTo"] = "11:00",
            ["timeZone"] = "Europe/Berlin",
        });
        var rootId = (await StateAsync()).Release.Thread!.RootActivityId!;

        // Staffed on the summary card: Assign people, then the people picker per role, as Teams submits it (object ids, comma-separated).
        var summary = CardAt(rootId, $"Release {Version}");
        var shown = await _press.ShowAsync("summary", summary);
        var assign = shown.Actions.Single(a => a.Title == "Assign people");
        var save = shown.Actions.Single(a => a.Verb == RoleStaffing.VerbAssign);
        Assert.Equal("auto", save.AssociatedInputs);
        Assert.Empty(await _renderer.ClickAsync(assign.Index));
        var (_, pickers) = await _renderer.DescribeAsync();
        Assert.Equal(ReleaseRoles.All.Select(ReleaseCards.PickerId), pickers.Where(i => i.Rendered).Select(i => i.Id));
        Assert.All(summary.ToJsonString().Split("\"choices.data\"").Skip(1), p => Assert.StartsWith(":{\"type\":\"Data.Query\",\"dataset\":\"graph.microsoft.com/users\"}", p, StringComparison.Ordinal));
        await _renderer.PickPeopleAsync(ReleaseCards.PickerId(ReleaseRole.QaAutomationEngineer), [TestUser.Dan.AadObjectId, TestUser.Erin.AadObjectId]);
        await _renderer.PickPeopleAsync(ReleaseCards.PickerId(ReleaseRole.EngineeringLead), [TestUser.Dan.AadObjectId]);
        await _renderer.PickPeopleAsync(ReleaseCards.PickerId(ReleaseRole.ProductManager), [TestUser.Erin.AadObjectId]);
        var emitted = Assert.Single(await _renderer.ClickAsync(save.Index));
        Assert.Equal($"{TestUser.Dan.AadObjectId},{TestUser.Erin.AadObjectId}", emitted.Data![ReleaseCards.PickerId(ReleaseRole.QaAutomationEngineer)]!.GetValue<string>());
        Assert.Equal(TestUser.Alice.AadObjectId, emitted.Data[ReleaseCards.PickerId(ReleaseRole.ReleaseManager)]!.GetValue<string>());
        _bot.ClearConnector();
        var saved = (await _press.SendAsync(emitted, TestUser.Alice, rootId))!["value"]!.AsObject();

        var staffed = (await StateAsync()).Release;
        Assert.Equal([TestUser.Dan.Id, TestUser.Erin.Id], staffed.Roles[ReleaseRole.QaAutomationEngineer].Select(p => p.Id));
        Assert.Equal([TestUser.Dan.Name], staffed.Roles[ReleaseRole.EngineeringLead].Select(p => p.Name));
        Assert.Equal([TestUser.Erin.Name], staffed.Roles[ReleaseRole.ProductManager].Select(p => p.Name));
        Assert.Contains(graph.Requests, r => r.Method == "GET" && r.Target.Contains($"/users/{TestUser.Dan.AadObjectId}", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.RoleAssigned && a.After == $"QA Automation Engineer: {TestUser.Dan.Name}, {TestUser.Erin.Name}" && a.Actor.Id == TestUser.Alice.Id);
        var answer = await _press.ShowAsync("summary", saved);
        Assert.Contains($"{TestUser.Dan.Name}, {TestUser.Erin.Name}", answer.Text, StringComparison.Ordinal);
        Assert.Contains(TestUser.Dan.Name, (await _press.ShowAsync("summary", CardAt(rootId))).Text, StringComparison.Ordinal);
        var told = JsonNode.Parse(Assert.Single(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("is now QA Automation Engineer", StringComparison.Ordinal)).Body)!;
        Assert.Equal([TestUser.Dan.Id, TestUser.Erin.Id], told["entities"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "mention").Select(e => e!["mentioned"]!["id"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));

        // Linked: Open dashboard is a Teams deep link to the channel tab with the release as its sub-entity; my items has it too.
        var dashboard = (await _press.ShowAsync("summary", CardAt(rootId))).Actions.Single(a => a.Title == "Open dashboard");
        var opened = Assert.Single(await _renderer.ClickAsync(dashboard.Index));
        var link = new Uri(opened.Url!);
        Assert.Equal($"https://teams.microsoft.com/l/entity/{TeamsAppId}/latest", link.GetLeftPart(UriPartial.Path));
        var context = JsonNode.Parse(System.Web.HttpUtility.ParseQueryString(link.Query)["context"]!)!;
        Assert.Equal((staffed.Id, BotPipeline.ChannelId), (context["subEntityId"]!.GetValue<string>(), context["channelId"]!.GetValue<string>()));
        await _bot.SayAsync("my items", TestUser.Dan);
        var myItems = await _press.ShowAsync("my items", PostedCards(c => c.ToJsonString().Contains($"Open items for {TestUser.Dan.Name}", StringComparison.Ordinal)).Last());
        Assert.Equal(opened.Url, myItems.Actions.Single(a => a.Title == "Open dashboard").Url);

        // Run from the cards: the new owner's own view of a phase (Teams refreshes it for him), his Done presses tick his items.
        var thread = (await StateAsync()).Release.Thread!;
        var ticked = 0;
        foreach (var (phaseId, activityId) in thread.PhaseCardActivityIds.Take(2))
        {
            var channelView = await _press.ShowAsync("phase: channel", CardAt(activityId));
            Assert.Contains(TestUser.Dan.Id, channelView.Refresh!.UserIds);
            var view = await _press.RefreshAsync(channelView, TestUser.Dan, activityId);
            var presses = await _press.PressEveryActionAsync("phase: owner view", view, TestUser.Dan, activityId, a => a.Verb == "item.complete" && a.Data?["item"] is not null);
            ticked += await AssertItemPressesLandedAsync("phase: owner view", presses, TestUser.Dan, phaseId, activityId);
        }

        Assert.True(ticked >= 1, "Dan ticked none of his items from his card.");

        // Go/no-go from the summary: the two sign-offs vote go on the card, the Release Manager decides with a typed reason.
        await _press.PressAsync("summary", CardAt(rootId), "Go/no-go", TestUser.Alice, rootId);
        var goNoGoId = (await StateAsync()).Release.GoNoGo!.CardActivityId!;
        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "Vote go", TestUser.Dan, goNoGoId);
        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "Vote go", TestUser.Erin, goNoGoId);
        await _press.PressAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"), "GO with override", TestUser.Alice, goNoGoId, new Dictionary<string, string> { ["note"] = "open items tracked on the release board" });

        var decided = (await StateAsync()).Release.GoNoGo!;
        Assert.NotNull(decided.Decision);
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.GoNoGoVoted && a.Actor.Id == TestUser.Dan.Id);
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.GoNoGoVoted && a.Actor.Id == TestUser.Erin.Id);
        await _press.ShowAsync("go/no-go", CardAt(goNoGoId, "Go / no-go"));
        _press.WriteSummary();
    }

    private const string TeamsAppId = "0c8f1d52-3b7e-4d8a-9e61-5a2f7c9b4e10";

    private static string ManifestShortName() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Tab.TabRepository.Root(), "appPackage", "manifest.json")))!["name"]!["short"]!.GetValue<string>();

    /// <summary>Every answer card of the presses renders cleanly; an answer that carries a refusal is counted as an error card.</summary>
    private async Task AnswersRenderAsync(string kind, IEnumerable<Press> presses)
    {
        foreach (var card in presses.Select(p => p.AnswerCard).OfType<JsonObject>())
        {
            await _press.ShowAsync(HasStyle(card, "attention") ? "error: refused" : kind, card);
        }
    }

    /// <summary>
    /// Each item press answered with the clicker's refreshed view and a notice saying what happened; each applied Done
    /// is in storage, in the audit and in the channel card everyone sees (a PUT of the phase card). Returns the Done count.
    /// </summary>
    private async Task<int> AssertItemPressesLandedAsync(string kind, IReadOnlyList<Press> presses, TestUser who, string phaseId, string activityId)
    {
        var ticked = 0;
        foreach (var press in presses)
        {
            var answer = press.AnswerCard;
            Assert.NotNull(answer);
            await _press.ShowAsync(HasStyle(answer, "attention") ? "error: refused" : kind, answer);
            if (press.Emitted.Verb?.StartsWith("item.", StringComparison.Ordinal) != true)
            {
                continue;
            }

            var notice = NoticeOf(answer);
            Assert.True(notice is not null, $"{kind}: pressing {press.Action} answered without saying what happened.");
            if (press.Emitted.Verb == "item.complete" && notice!.StartsWith("Done: ", StringComparison.Ordinal))
            {
                var item = press.Emitted.Data!["item"]!.GetValue<string>();
                var text = (await StateAsync()).Item(item)!.Text;
                Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.ItemCompleted && a.ItemId == item && a.Actor.Id == who.Id);
                Assert.Contains(_bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{activityId}", StringComparison.Ordinal) && r.Body.Contains($"✅ {text}", StringComparison.Ordinal));
                Assert.Equal(phaseId, (await StateAsync()).Item(item)!.PhaseId);
                ticked++;
            }
        }

        return ticked;
    }

    /// <summary>Each Done pressed on a list card ticked its item: stored, audited for the person, and the phase card updated for everyone.</summary>
    private async Task AssertTickedAsync(IReadOnlyList<Press> presses, TestUser who)
    {
        var state = await StateAsync();
        var audit = await AuditAsync();
        foreach (var press in presses.Where(p => p.Emitted.Verb == "item.complete"))
        {
            var item = state.Item(press.Emitted.Data!["item"]!.GetValue<string>())!;
            Assert.Equal(ItemStatus.Done, item.Status);
            Assert.Contains(audit, a => a.Action == AuditActions.ItemCompleted && a.ItemId == item.Id && a.Actor.Id == who.Id);
            var phaseCard = state.Release.Thread!.PhaseCardActivityIds[item.PhaseId];
            Assert.Contains(_bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{phaseCard}", StringComparison.Ordinal) && r.Body.Contains($"✅ {item.Text}", StringComparison.Ordinal));
        }
    }

    private async Task<ReleaseState> StateAsync() =>
        (await _bot.Store.GetAsync((await _bot.Store.FindIdAsync(Channel, Version, CancellationToken.None))!, CancellationToken.None))!;

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync() => await _bot.Store.GetAuditAsync((await StateAsync()).Release.Id, CancellationToken.None);

    /// <summary>The card everyone sees in the message: its last update (PUT), else the posted card that contains <paramref name="posted"/>.</summary>
    private JsonObject CardAt(string activityId, string? posted = null)
    {
        var put = _bot.ConnectorRequests.LastOrDefault(r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{Uri.EscapeDataString(activityId)}", StringComparison.Ordinal));
        if (put is not null)
        {
            return BotPipeline.CardOf(put);
        }

        Assert.NotNull(posted);
        return PostedCards(c => c.ToJsonString().Contains(posted, StringComparison.Ordinal)).Last();
    }

    private IEnumerable<JsonObject> PostedCards(Func<JsonObject, bool> match) =>
        PostedActivities().Select(p => BotPipeline.CardOf(p.Request)).Where(match);

    /// <summary>Posted messages that carry a card, with the person they @mention (if any).</summary>
    private IEnumerable<(RecordedRequest Request, string Mentioned)> PostedActivities() =>
        _bot.ConnectorRequests
            .Where(r => r.Method == "POST" && r.Body.Contains("application/vnd.microsoft.card.adaptive", StringComparison.Ordinal))
            .Select(r => (r, JsonNode.Parse(r.Body)?["entities"]?.AsArray().FirstOrDefault(e => e?["type"]?.GetValue<string>() == "mention")?["mentioned"]?["id"]?.GetValue<string>() ?? ""));

    private async Task RunTimerAsync(string name)
    {
        Assert.True(await _bot.RunTimerAsync(name));
        await _bot.DrainQueuesAsync();
    }

    private static string? NoticeOf(JsonObject card) =>
        card["body"]!.AsArray().OfType<JsonObject>().FirstOrDefault(b => b["type"]?.GetValue<string>() == "Container" && b["style"] is not null && b["items"]?[0]?["text"] is not null)?["items"]![0]!["text"]!.GetValue<string>();

    private static bool HasStyle(JsonObject card, string style) =>
        card["body"]!.AsArray().OfType<JsonObject>().Any(b => b["type"]?.GetValue<string>() == "Container" && b["style"]?.GetValue<string>() == style);
}
