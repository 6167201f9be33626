using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Items that tick themselves, end to end: a release made and linked by chat, signed deliveries built from GitHub's
/// sample payloads through POST /api/hooks/github, the queue drained, GitHub's REST API on a fake, the cards updated.
/// </summary>
[Collection("Azurite")]
public sealed class GitHubSignalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private FakeGitHub _github = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _bot = await BotPipeline.StartAsync(azurite, Now, _github.Settings());
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin", ("eng", TestUser.Bob));
        await _bot.SayAsync($"link github {FakeGitHub.Repository}", TestUser.Alice);
        _github.Milestones["1.5.0"] = 7;
        _github.Pulls[11] = new FakePull(11, "1.5.0", Merged: true, Sha: "sha11");
        _github.Pulls[12] = new FakePull(12, "1.5.0", Merged: false, Sha: "sha12");
        _github.Checks["sha11"] = [("build", "completed", "success")];
        _github.Checks["sha12"] = [("build", "completed", "success"), ("e2e", "completed", "success")];
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public void LinkCommand_ReleaseManager_ListsTheItemsThatNowTickThemselves()
    {
        var reply = _bot.ConnectorRequests.Last(r => r.Body.Contains("Linked release 1.5.0", StringComparison.Ordinal));

        Assert.Contains("All PRs tagged for release are merged and tested", reply.Body, StringComparison.Ordinal);
        Assert.Contains("Final smoke tests passed on staging", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Release scope finalized", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkCommand_NotTheReleaseManager_IsRefusedAndLinksNothing()
    {
        await _bot.SayAsync("link github octoacme/other", TestUser.Bob);

        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Only the Release Manager of 1.5.0", StringComparison.Ordinal));
        await _bot.SayAsync("links", TestUser.Bob);
        var list = _bot.ConnectorRequests[^1];
        Assert.Contains(FakeGitHub.Repository, list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("octoacme/other", list.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergingTheLastPullRequestOfTheMilestone_TicksPrsMergedWithTheMilestoneAsEvidence()
    {
        using var first = await FakeGitHub.DeliverAsync(_bot.Client, "pull_request", FakeGitHub.PullRequestMerged(11, "1.5.0", 7));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await DrainAsync();
        Assert.Equal(ItemStatus.Open, (await ItemAsync("planning-prs-merged")).Status);

        _github.Pulls[12] = _github.Pulls[12] with { Merged = true };
        _bot.ClearConnector();
        using var last = await FakeGitHub.DeliverAsync(_bot.Client, "pull_request", FakeGitHub.PullRequestMerged(12, "1.5.0", 7));
        Assert.Equal(HttpStatusCode.Accepted, last.StatusCode);
        await DrainAsync();

        var item = await ItemAsync("planning-prs-merged");
        Assert.True(item.Status == ItemStatus.Done, string.Join("\n", _github.Server.Requests.Select(r => $"{r.Method} {r.RawTarget}")));
        Assert.Equal($"https://github.com/{FakeGitHub.Repository}/milestone/7", item.EvidenceUrl);
        Assert.Equal("signal:github", item.ChangedBy!.Id);
        var audit = (await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None)).Last(a => a.ItemId == "planning-prs-merged");
        Assert.Equal(AuditActions.ItemCompleted, audit.Action);
        Assert.Equal("GitHub", audit.Actor.Name);
        Assert.Contains("All 2 pull request(s) of milestone 1.5.0 merged, checks green", audit.Note, StringComparison.Ordinal);
        // The shared phase card was replaced for everyone, with the evidence link on it.
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "PUT" && r.Body.Contains("milestone/7", StringComparison.Ordinal));
        Assert.True(_github.TokensIssued >= 1);
    }

    [Fact]
    public async Task MergedPullRequestWithAFailedCheck_BlocksPrsMergedNamingThePullRequest()
    {
        _github.Pulls[12] = _github.Pulls[12] with { Merged = true };
        _github.Checks["sha12"] = [("build", "completed", "success"), ("e2e", "completed", "failure")];

        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "pull_request", FakeGitHub.PullRequestMerged(12, "1.5.0", 7));
        await DrainAsync();

        var item = await ItemAsync("planning-prs-merged");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Contains("#12 (e2e)", item.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GreenSmokeWorkflowOnTheReleaseBranch_TicksStagingSmokeTestsWithTheRun()
    {
        using var other = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "main", "success", 1));
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success", 2));
        await DrainAsync();

        var item = await ItemAsync("preflight-staging-smoke");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal($"https://github.com/{FakeGitHub.Repository}/actions/runs/2", item.EvidenceUrl);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("deploy-prod-smoke")).Status);
    }

    [Fact]
    public async Task ProductionDeployment_InProgressThenSuccess_RecordsTheDeploymentAndTicksDeploymentInitiated()
    {
        _bot.Clock.Set(new DateTimeOffset(2026, 12, 10, 9, 5, 0, TimeSpan.Zero));
        var started = FakeGitHub.DeploymentStatus("production", "v1.5.0", "in_progress");
        started["deployment_status"]!["created_at"] = "2026-12-10T09:05:00Z";
        var finished = FakeGitHub.DeploymentStatus("production", "v1.5.0", "success");
        finished["deployment_status"]!["created_at"] = "2026-12-10T09:47:00Z";

        using var first = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_status", started);
        await DrainAsync();
        using var second = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_status", finished);
        await DrainAsync();

        var state = (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!;
        Assert.Equal(ReleaseStatus.Deployed, state.Release.Status);
        Assert.Equal(TimeSpan.FromMinutes(42), state.Release.Deployment!.Duration);
        var item = state.Item("deploy-initiated")!;
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal($"https://github.com/{FakeGitHub.Repository}/actions/runs/77", item.EvidenceUrl);
        Assert.Equal(ItemStatus.Open, state.Item("infra-staging-smoke")!.Status);
    }

    [Fact]
    public async Task FailedStagingDeployment_BlocksTheStagingItemWithTheReason()
    {
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_status", FakeGitHub.DeploymentStatus("staging", "release/1.5.0", "failure"));
        await DrainAsync();

        var item = await ItemAsync("infra-staging-smoke");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Equal("Deployment of release/1.5.0 to staging ended with failure", item.Note);
    }

    [Fact]
    public async Task Delivery_ForgedUnsignedOrReplayed_Gets401AndChangesNothing()
    {
        var payload = FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success");
        var delivery = Guid.NewGuid().ToString();

        using var forged = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, secret: "not the secret");
        using var unsigned = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, secret: null);
        using var garbage = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, signature: "sha256=zz");
        var inbox = _bot.Host.Services.GetRequiredService<SignalInbox>();
        Assert.Equal(0, await inbox.CountPendingAsync(CancellationToken.None));
        using var genuine = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, delivery);
        using var replayed = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, delivery);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains("already received", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await DrainAsync();
        var audit = await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None);
        Assert.Single(audit, a => a.ItemId == "preflight-staging-smoke");
    }

    [Fact]
    public async Task Delivery_ReplayedAfterItWasEvaluated_Gets401AndChangesNothing()
    {
        var payload = FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success");
        var delivery = Guid.NewGuid().ToString();
        using var genuine = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, delivery);
        await DrainAsync();
        var inbox = _bot.Host.Services.GetRequiredService<SignalInbox>();
        var evaluated = await inbox.GetAsync("github", delivery, CancellationToken.None);

        using var replayed = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", payload, delivery);

        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.NotNull(evaluated?.EvaluatedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(0, await inbox.CountPendingAsync(CancellationToken.None));
        Assert.Equal(evaluated, await inbox.GetAsync("github", delivery, CancellationToken.None));
        Assert.Single(await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None), a => a.ItemId == "preflight-staging-smoke");
    }

    [Fact]
    public async Task Signal_AfterAPersonBlockedTheItem_LeavesItAndSaysSoInTheThread()
    {
        await _bot.ClickAsync("item.block", new JsonObject { ["release"] = _releaseId, ["item"] = "preflight-staging-smoke", ["note"] = "staging DB is broken" }, TestUser.Alice);
        _bot.ClearConnector();

        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success"));
        await DrainAsync();

        var item = await ItemAsync("preflight-staging-smoke");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Equal("staging DB is broken", item.Note);
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("Alice Adams set", StringComparison.Ordinal) && r.Body.Contains("by hand, so I left it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersonReopeningASignalTick_NeedsAReasonWhichIsAudited()
    {
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success"));
        await DrainAsync();

        var refused = await _bot.ClickAsync("item.reopen", new JsonObject { ["release"] = _releaseId, ["item"] = "preflight-staging-smoke", ["phase"] = "release-day" }, TestUser.Alice);
        Assert.Contains("To override it, write the reason", refused.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(ItemStatus.Done, (await ItemAsync("preflight-staging-smoke")).Status);
        await _bot.ClickAsync("item.reopen", new JsonObject { ["release"] = _releaseId, ["item"] = "preflight-staging-smoke", ["phase"] = "release-day", ["note"] = "ran against the old build" }, TestUser.Alice);
        using var again = await FakeGitHub.DeliverAsync(_bot.Client, "workflow_run", FakeGitHub.WorkflowRunCompleted("Smoke tests (staging)", "release/1.5.0", "success", 3));
        await DrainAsync();

        var item = await ItemAsync("preflight-staging-smoke");
        Assert.Equal(ItemStatus.Open, item.Status);
        var audit = (await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None)).Last(a => a.ItemId == "preflight-staging-smoke");
        Assert.Equal(AuditActions.ItemReopened, audit.Action);
        Assert.Equal("overrides GitHub: ran against the old build", audit.Note);
    }

    [Fact]
    public async Task ProtectionRule_GoRecorded_ApprovesTheDeploymentThroughTheCallback()
    {
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_protection_rule", _github.ProtectionRuleRequested("production", "v1.5.0", 5001));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await DrainAsync();

        Assert.Empty(_github.Reviews);
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("Go/no-go 1.5.0", StringComparison.Ordinal));
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("GitHub holds the deployment of **v1.5.0** to **production**", StringComparison.Ordinal));
        var card = (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Release.GoNoGo!.CardActivityId;
        Assert.False(string.IsNullOrEmpty(card));

        await _bot.SayAsync("go 1.5.0 --override gate rehearsal", TestUser.Alice);
        await DrainAsync();

        var review = Assert.Single(_github.Reviews);
        Assert.Equal($"/api/v3/repos/{FakeGitHub.Repository}/actions/runs/5001/deployment_protection_rule", review.Path);
        Assert.Equal($"Bearer {FakeGitHub.InstallationToken}", review.Authorization);
        Assert.Equal("approved", review.Body["state"]!.GetValue<string>());
        Assert.Equal("production", review.Body["environment_name"]!.GetValue<string>());
        Assert.Contains("GO recorded by Alice Adams", review.Body["comment"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(card, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Release.GoNoGo!.CardActivityId);
    }

    [Fact]
    public async Task ProtectionRule_NoGoRecorded_RejectsTheDeploymentOnce()
    {
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_protection_rule", _github.ProtectionRuleRequested("production", "v1.5.0", 5002));
        await DrainAsync();

        await _bot.SayAsync("no-go 1.5.0", TestUser.Alice);
        await DrainAsync();
        await DrainAsync();

        var review = Assert.Single(_github.Reviews);
        Assert.Equal("rejected", review.Body["state"]!.GetValue<string>());
        Assert.Contains("NO-GO recorded by Alice Adams", review.Body["comment"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtectionRule_ForAnotherRelease_IsNotAnsweredByThisOne()
    {
        using var response = await FakeGitHub.DeliverAsync(_bot.Client, "deployment_protection_rule", _github.ProtectionRuleRequested("production", "v2.0.0", 5003));
        await DrainAsync();
        await _bot.SayAsync("no-go 1.5.0", TestUser.Alice);
        await DrainAsync();

        Assert.Empty(_github.Reviews);
    }

    private async Task<ChecklistItem> ItemAsync(string id) => (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item(id)!;

    private Task DrainAsync() => _bot.DrainSignalsAsync();
}
