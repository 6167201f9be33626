using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure Repos pull requests tick ado.pulls items: Microsoft's documented git.pullrequest.merged sample through
/// POST /api/hooks/azure-devops with the subscription's basic authentication; the release's other pull requests are
/// re-read from the fake's Git REST API (Get Pull Requests By Project, 7.1) with AzureDevOps__Token.
/// </summary>
[Collection("Azurite")]
public sealed class AzureDevOpsPullsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Template = """
        {
          "id": "ado-pulls", "version": 1, "name": "Azure DevOps pull requests",
          "phases": [
            { "id": "readiness", "title": "Readiness", "kind": "preRelease", "sections": [
              { "id": "code", "title": "Code", "items": [
                { "id": "prs-merged", "text": "All PRs tagged for release are merged", "owner": "Engineering Lead", "due": "-3d", "signal": { "type": "ado.pulls" } },
                { "id": "hotfixes-merged", "text": "Hotfix PRs merged", "owner": "Engineering Lead", "due": "-3d", "signal": { "type": "ado.pulls", "label": "hotfix-{version}" } }
              ] }
            ] }
          ]
        }
        """;

    private const string ReleaseBranch = "refs/heads/release/1.5.0";
    private const string CompletedList = FakeAzureDevOps.RepositoryUrl + "/pullrequests?_a=completed";

    private FakeAzureDevOps _ado = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _ado = await FakeAzureDevOps.StartAsync();
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), _ado.Settings());
        await _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, Template, "Alice Adams", CancellationToken.None);
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin template ado-pulls");
        await _bot.SayAsync($"link azure-devops {FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}", TestUser.Alice);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _ado.DisposeAsync();
    }

    [Fact]
    public void LinkCommand_AzureDevOpsProject_ListsThePullRequestItems()
    {
        var reply = _bot.ConnectorRequests.Last(r => r.Body.Contains("Linked release 1.5.0", StringComparison.Ordinal));

        Assert.Contains("Azure DevOps: every pull request into release/1.5.0 merged", reply.Body, StringComparison.Ordinal);
        Assert.Contains("Azure DevOps: every pull request labelled hotfix-1.5.0 merged", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullRequestMerged_TheLastOneIntoTheReleaseBranch_TicksWithThePullRequestListAuditedAsTheSignal()
    {
        _ado.Pulls[87] = new(ReleaseBranch, "completed");
        _ado.Pulls[90] = new("refs/heads/main");

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(87, ReleaseBranch));
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = await ItemAsync("prs-merged");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal(CompletedList, item.EvidenceUrl);
        Assert.Equal("signal:azure-devops", item.ChangedBy!.Id);
        var audit = (await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None)).Single(a => a.ItemId == "prs-merged");
        Assert.Equal("Azure DevOps", audit.Actor.Name);
        Assert.StartsWith("All pull requests into release/1.5.0 merged (the last: !87 Checkout: retry payment capture)", audit.Note, StringComparison.Ordinal);
        var read = Assert.Single(_ado.Server.Requests);
        Assert.Equal($"/{FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}/_apis/git/pullrequests?searchCriteria.status=active&searchCriteria.targetRefName=refs%2Fheads%2Frelease%2F1.5.0&$top=100&$skip=0&api-version=7.1", read.RawTarget);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("hotfixes-merged")).Status);
    }

    [Fact]
    public async Task PullRequestMerged_WhileAnotherOfTheReleaseIsActive_DoesNotTickAndTheItemStillWaits()
    {
        _ado.Pulls[87] = new(ReleaseBranch, "completed");
        _ado.Pulls[88] = new(ReleaseBranch);

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(87, ReleaseBranch));
        await DrainAsync();

        var item = await ItemAsync("prs-merged");
        Assert.Equal(ItemStatus.Open, item.Status);
        Assert.Null(item.ChangedBy);
        Assert.Contains(_ado.Server.Requests, r => r.RawTarget.Contains("/_apis/git/pullrequests?searchCriteria.status=active", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullRequestMerged_MergeCommitOfAStillActivePullRequest_WaitsUntilItCompletes()
    {
        _ado.Pulls[89] = new(ReleaseBranch);

        // Azure DevOps creates merge commits of active pull requests too: the notification says status active.
        using var attempted = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(89, ReleaseBranch, status: "active"));
        await DrainAsync();
        Assert.Equal(ItemStatus.Open, (await ItemAsync("prs-merged")).Status);

        _ado.Pulls[89] = new(ReleaseBranch, "completed");
        var completed = FakeAzureDevOps.PullRequestMerged(89, ReleaseBranch);
        completed["eventType"] = "git.pullrequest.updated";
        using var updated = await FakeAzureDevOps.DeliverAsync(_bot.Client, completed);
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        var item = await ItemAsync("prs-merged");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal(CompletedList, item.EvidenceUrl);
    }

    [Fact]
    public async Task PullRequestMerged_IntoAnotherBranchReplayedOrUnsigned_SettlesNothingAndReadsNothing()
    {
        var payload = FakeAzureDevOps.PullRequestMerged(91, "refs/heads/main");

        using var other = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload);
        using var replayed = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload);
        using var unsigned = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(92, ReleaseBranch), password: null);
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("prs-merged")).Status);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("hotfixes-merged")).Status);
        Assert.Empty(_ado.Server.Requests);
    }

    [Fact]
    public async Task PullRequestMerged_WithTheReleaseLabel_TicksTheLabelItemOnceNoLabelledOneIsActive()
    {
        _ado.Pulls[95] = new("refs/heads/main", "active", "docs");
        _ado.Pulls[96] = new("refs/heads/main", "active", "hotfix-1.5.0");

        using var first = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(94, "refs/heads/main", "completed", "hotfix-1.5.0"));
        await DrainAsync();
        Assert.Equal(ItemStatus.Open, (await ItemAsync("hotfixes-merged")).Status);

        _ado.Pulls[96] = new("refs/heads/main", "completed", "hotfix-1.5.0");
        using var last = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(96, "refs/heads/main", "completed", "hotfix-1.5.0"));
        await DrainAsync();

        var item = await ItemAsync("hotfixes-merged");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.StartsWith("All pull requests labelled hotfix-1.5.0 merged", item.Note, StringComparison.Ordinal);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("prs-merged")).Status);
    }

    [Fact]
    public async Task PullRequestMerged_AfterAPersonBlockedTheItem_LeavesItAndSaysSoInTheThread()
    {
        await _bot.ClickAsync("item.block", new JsonObject { ["release"] = _releaseId, ["item"] = "prs-merged", ["note"] = "the payment PR needs another review" }, TestUser.Alice);
        _bot.ClearConnector();

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(87, ReleaseBranch));
        await DrainAsync();

        var item = await ItemAsync("prs-merged");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Equal("the payment PR needs another review", item.Note);
        Assert.Equal("Alice Adams", item.ChangedBy!.Name);
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("Azure DevOps reports: All pull requests into release/1.5.0 merged", StringComparison.Ordinal)
            && r.Body.Contains("by hand, so I left it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciler_MergedNotificationLost_TicksThePullsItemOnceNoPullRequestIsActive()
    {
        var reconciler = _bot.Host.Services.GetRequiredService<SignalReconciler>();
        _ado.Pulls[87] = new(ReleaseBranch, "completed");
        _ado.Pulls[88] = new(ReleaseBranch);

        Assert.Equal(0, await reconciler.RunAsync(CancellationToken.None));
        Assert.Equal(ItemStatus.Open, (await ItemAsync("prs-merged")).Status);

        _ado.Pulls[88] = new(ReleaseBranch, "completed");
        var changed = await reconciler.RunAsync(CancellationToken.None);

        Assert.Equal(1, changed);
        var item = await ItemAsync("prs-merged");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal(CompletedList, item.EvidenceUrl);
        Assert.Equal("All pull requests into release/1.5.0 merged", item.Note);
        Assert.Equal("signal:azure-devops", item.ChangedBy!.Id);
        // No pull request carries the hotfix label: "every one merged" is not true of none.
        Assert.Equal(ItemStatus.Open, (await ItemAsync("hotfixes-merged")).Status);
        Assert.Equal(0, await reconciler.RunAsync(CancellationToken.None));
    }

    private async Task<ChecklistItem> ItemAsync(string id) => (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item(id)!;

    private Task DrainAsync() => _bot.DrainSignalsAsync();
}
