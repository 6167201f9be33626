using System.Text.Json.Nodes;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.ReleaseDay;

/// <summary>A whole release day through the real pipeline: go/no-go with a veto, GO, deployment, rollback with two approvals, metrics and close.</summary>
[Collection("Azurite")]
public sealed class ReleaseDayFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ChannelKey Channel = new(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId);
    private BotPipeline _bot = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite);
        _id = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-10 tz UTC", ("pm", TestUser.Carol), ("eng", TestUser.Bob));
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ReleaseDay_VetoGoDeployRollbackClose_RecordsEverythingAndValidCards()
    {
        await _bot.SayAsync("go/no-go", TestUser.Alice);
        var veto = await _bot.ClickAsync("gonogo.vote.nogo", Data("db migration untested"), TestUser.Bob);
        AdaptiveCardSchema.AssertValid(veto["value"]!, "go/no-go after a veto");
        Assert.Contains("NO-GO (veto)", veto["value"]!.ToJsonString(), StringComparison.Ordinal);
        var goNoGoCard = (await State()).Release.GoNoGo!.CardActivityId!;
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{goNoGoCard}", StringComparison.Ordinal));

        await _bot.SayAsync("go", TestUser.Alice);
        Assert.Null((await State()).Release.GoNoGo!.Decision);
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("GO refused", StringComparison.Ordinal) && r.Body.Contains("db migration untested", StringComparison.Ordinal));

        await _bot.ClickAsync("gonogo.vote.go", Data("fixed"), TestUser.Bob);
        await _bot.ClickAsync("gonogo.vote.go", Data(null), TestUser.Carol);
        await _bot.SayAsync("go --override pre-release items tracked in the release board", TestUser.Alice);
        var decided = (await State()).Release.GoNoGo!.Decision!;
        Assert.Equal(GoNoGoVote.Go, decided.Outcome);
        Assert.Equal("pre-release items tracked in the release board", decided.OverrideReason);

        var start = _bot.Clock.Set(new DateTimeOffset(2026, 12, 10, 10, 0, 0, TimeSpan.Zero));
        await _bot.SayAsync("deploy start", TestUser.Alice);
        _bot.Clock.Set(start.AddMinutes(42));
        await _bot.SayAsync("deploy done", TestUser.Alice);
        var deployed = (await State()).Release;
        Assert.Equal(ReleaseStatus.Deployed, deployed.Status);
        Assert.InRange(deployed.Deployment!.Duration!.Value, TimeSpan.FromMinutes(41.9), TimeSpan.FromMinutes(42.1));

        await _bot.SayAsync("rollback --reason error rate 12% after deploy", TestUser.Carol);
        var refused = await _bot.ClickAsync("rollback.approve", Data(null, "rollback"), TestUser.Mallory);
        Assert.Contains("you are neither", refused["value"]!.ToJsonString(), StringComparison.Ordinal);
        await _bot.ClickAsync("rollback.approve", Data(null, "rollback"), TestUser.Carol);
        Assert.Equal(ReleaseStatus.Deployed, (await State()).Release.Status);
        var approved = await _bot.ClickAsync("rollback.approve", Data(null, "rollback"), TestUser.Bob);
        AdaptiveCardSchema.AssertValid(approved["value"]!, "rollback decision");
        var rolledBack = await State();
        Assert.Equal(ReleaseStatus.RolledBack, rolledBack.Release.Status);
        Assert.True(rolledBack.Release.Thread!.PhaseCardActivityIds.ContainsKey("rollback"));
        Assert.All(rolledBack.Phase("rollback"), i => Assert.NotNull(i.DueAt));

        _bot.Clock.Set(start.AddMinutes(42 + 30));
        await _bot.SayAsync("rollback restored", TestUser.Alice);
        var restored = Assert.Single((await State()).Release.Rollbacks);
        Assert.InRange(restored.TimeToRestore!.Value, TimeSpan.FromMinutes(29.9), TimeSpan.FromMinutes(30.1));

        _bot.ClearConnector();
        await _bot.SayAsync("metrics", TestUser.Alice);
        var metricsCard = BotPipeline.CardOf(Assert.Single(_bot.ConnectorRequests, r => r.Method == "POST"));
        AdaptiveCardSchema.AssertValid(metricsCard, "metrics");
        Assert.Contains("42 min", metricsCard.ToJsonString(), StringComparison.Ordinal);

        await _bot.SayAsync("close", TestUser.Alice);
        Assert.Equal(ReleaseStatus.RolledBack, (await State()).Release.Status);
        await _bot.SayAsync("close --force rollback follow-ups tracked in the incident", TestUser.Alice);
        Assert.Equal(ReleaseStatus.Closed, (await State()).Release.Status);
        var markdown = await _bot.Store.GetReportAsync(_id, ReleaseReportFormat.Markdown, CancellationToken.None);
        var csv = await _bot.Store.GetReportAsync(_id, ReleaseReportFormat.Csv, CancellationToken.None);
        Assert.Contains("Rollback procedure executed", markdown, StringComparison.Ordinal);
        var lines = csv!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ReleaseReport.CsvHeader, lines[0]);
        Assert.Equal((await State()).Items.Count, lines.Count(l => l.StartsWith("item,", StringComparison.Ordinal)));
        var audit = await _bot.Store.GetAuditAsync(_id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == AuditActions.GoNoGoOverridden);
        Assert.Contains(audit, a => a.Action == AuditActions.ReleaseClosed);
    }

    [Fact]
    public async Task GoNoGo_TwoReleasesInTheChannel_AsksWhichRelease()
    {
        await _bot.SayAsync("new release 2.5.0 on 2026-12-17 tz UTC", TestUser.Alice);
        _bot.ClearConnector();

        await _bot.SayAsync("deploy start", TestUser.Alice);

        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Which release?", StringComparison.Ordinal) && r.Body.Contains("2.5.0", StringComparison.Ordinal));
        Assert.Null((await State()).Release.Deployment);
    }

    [Fact]
    public async Task RollbackRaised_IncidentNotice_MentionsReleaseManagerProductManagerAndEngineeringLead()
    {
        await _bot.SayAsync("rollback --reason checkout errors", TestUser.Carol);

        var notice = Assert.Single(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("Rollback of 2.4.0 raised", StringComparison.Ordinal));
        var activity = JsonNode.Parse(notice.Body)!.AsObject();
        var text = activity["text"]!.GetValue<string>();
        var mentions = activity["entities"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "mention").Select(e => (Id: e!["mentioned"]!["id"]!.GetValue<string>(), Text: e["text"]!.GetValue<string>())).ToList();
        Assert.Equal([(TestUser.Alice.Id, "<at>Alice Adams</at>"), (TestUser.Carol.Id, "<at>Carol Chen</at>"), (TestUser.Bob.Id, "<at>Bob Brown</at>")], mentions.OrderBy(m => m.Text == "<at>Alice Adams</at>" ? 0 : m.Text == "<at>Carol Chen</at>" ? 1 : 2));
        Assert.All(mentions, m => Assert.Contains(m.Text, text, StringComparison.Ordinal));
        AdaptiveCardSchema.AssertValid(BotPipeline.CardOf(notice), "incident notice");
    }

    [Fact]
    public async Task TickRollbackExecuted_ApprovedRollback_MarksItRestoredInTheSameChange()
    {
        var raisedAt = _bot.Clock.Set(new DateTimeOffset(2026, 12, 10, 11, 0, 0, TimeSpan.Zero));
        await _bot.SayAsync("rollback --reason checkout errors", TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(null, "rollback"), TestUser.Carol);
        await _bot.ClickAsync("rollback.approve", Data(null, "rollback"), TestUser.Bob);
        _bot.Clock.Set(raisedAt.AddMinutes(25.5));
        _bot.ClearConnector();

        var ticked = await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _id, ["item"] = "rollback-executed", ["phase"] = "rollback" }, TestUser.Alice);

        AdaptiveCardSchema.AssertValid(ticked["value"]!, "rollback phase after the tick");
        var state = await State();
        var rollback = Assert.Single(state.Release.Rollbacks);
        Assert.Equal(ItemStatus.Done, state.Item("rollback-executed")!.Status);
        Assert.InRange(rollback.TimeToRestore!.Value, TimeSpan.FromMinutes(25.4), TimeSpan.FromMinutes(25.6));
        var audit = await _bot.Store.GetAuditAsync(_id, CancellationToken.None);
        var restored = Assert.Single(audit, a => a.Action == AuditActions.RollbackRestored);
        Assert.Equal(TestUser.Alice.Id, restored.Actor.Id);
        var facts = ReleaseDayCards.RollbackDecision(state, rollback)["body"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "FactSet")!["facts"]!.AsArray();
        Assert.EndsWith("(25m after it was raised)", facts.Single(f => f!["title"]!.GetValue<string>() == "Restored")!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var decisionUpdate = Assert.Single(_bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{rollback.CardActivityId}", StringComparison.Ordinal));
        Assert.Contains("(25m after it was raised)", decisionUpdate.Body, StringComparison.Ordinal);
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{state.Release.Thread!.RootActivityId}", StringComparison.Ordinal) && r.Body.Contains("RolledBack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TickRollbackExecuted_RollbackNotYetApproved_LeavesItOpen()
    {
        await _bot.SayAsync("rollback --reason checkout errors", TestUser.Carol);

        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _id, ["item"] = "rollback-executed", ["phase"] = "rollback" }, TestUser.Alice);

        var state = await State();
        Assert.Equal(ItemStatus.Done, state.Item("rollback-executed")!.Status);
        Assert.Null(Assert.Single(state.Release.Rollbacks).RestoredAt);
        Assert.DoesNotContain(await _bot.Store.GetAuditAsync(_id, CancellationToken.None), a => a.Action == AuditActions.RollbackRestored);
    }

    private async Task<ReleaseState> State() => (await _bot.Store.GetAsync(_id, CancellationToken.None))!;

    private JsonObject Data(string? note, string view = "gonogo")
    {
        var data = new JsonObject { ["release"] = _id, ["view"] = view };
        if (note is not null)
        {
            data["note"] = note;
        }

        return data;
    }
}
