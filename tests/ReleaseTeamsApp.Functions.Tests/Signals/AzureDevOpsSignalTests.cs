using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure DevOps end to end: a release from a team template with ado.pipeline items, linked by chat; service hook
/// notifications built from Microsoft's documented sample payloads through POST /api/hooks/azure-devops with the
/// subscription's basic authentication; an Invoke REST API check in callback mode answered by the go/no-go through
/// the plan's events on a fake Azure DevOps.
/// </summary>
[Collection("Azurite")]
public sealed class AzureDevOpsSignalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Template = """
        {
          "id": "ado-checklist", "version": 1, "name": "Azure DevOps checklist",
          "phases": [
            { "id": "readiness", "title": "Readiness", "kind": "preRelease", "sections": [
              { "id": "checks", "title": "Checks", "items": [
                { "id": "ci-green", "text": "CI pipeline green", "owner": "QA Automation Engineer", "due": "-2d", "signal": { "type": "ado.pipeline", "name": "webshop-ci" } }
              ] }
            ] },
            { "id": "ship", "title": "Ship it", "kind": "releaseDay", "sections": [
              { "id": "deploy", "title": "Deploy", "items": [
                { "id": "deploy-prod", "text": "Production stage deployed", "owner": "Engineering Lead", "due": "+30m", "signal": { "type": "ado.pipeline", "name": "webshop-cd", "stage": "Production" } }
              ] }
            ] }
          ]
        }
        """;

    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private FakeAzureDevOps _ado = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _ado = await FakeAzureDevOps.StartAsync();
        _bot = await BotPipeline.StartAsync(azurite, Now, _ado.Settings());
        await _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, Template, "Alice Adams", CancellationToken.None);
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin template ado-checklist");
        await _bot.SayAsync($"link azure-devops {FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}", TestUser.Alice);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _ado.DisposeAsync();
    }

    [Fact]
    public void LinkCommand_AzureDevOpsProject_ListsThePipelineItemsThatNowTickThemselves()
    {
        var reply = _bot.ConnectorRequests.Last(r => r.Body.Contains("Linked release 1.5.0", StringComparison.Ordinal));

        Assert.Contains("CI pipeline green — Azure DevOps: pipeline webshop-ci succeeds", reply.Body, StringComparison.Ordinal);
        Assert.Contains("Azure DevOps: stage Production of webshop-cd succeeds", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("AzureDevOps__Token", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunSucceeded_TicksThePipelineItemWithTheRunAsEvidence()
    {
        _ado.Builds[4700] = ("docs-ci", "refs/heads/release/1.5.0");
        _ado.Builds[4711] = ("webshop-ci", "refs/heads/release/1.5.0");
        using var other = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.RunCompleted("docs-ci", "succeeded", 4700));
        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.RunCompleted("webshop-ci", "succeeded", 4711));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await DrainAsync();

        var item = await ItemAsync("ci-green");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal("https://dev.azure.com/octoacme/Webshop/_build/results?buildId=4711", item.EvidenceUrl);
        Assert.Equal("signal:azure-devops", item.ChangedBy!.Id);
        var audit = (await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None)).Single(a => a.ItemId == "ci-green");
        Assert.Equal("Azure DevOps", audit.Actor.Name);
        Assert.StartsWith("Pipeline webshop-ci succeeded", audit.Note, StringComparison.Ordinal);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("deploy-prod")).Status);
    }

    [Fact]
    public async Task StageFailed_BlocksTheStageItemAndAnotherStageSettlesNothing()
    {
        _ado.Builds[4802] = ("webshop-cd", "refs/heads/release/1.5.0");
        using var staging = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.StageCompleted("webshop-cd", "Staging", "succeeded", 4802));
        await DrainAsync();
        Assert.Equal(ItemStatus.Open, (await ItemAsync("deploy-prod")).Status);

        using var production = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.StageCompleted("webshop-cd", "Production", "failed", 4802));
        await DrainAsync();

        var item = await ItemAsync("deploy-prod");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Equal("Stage Production of webshop-cd ended with failed", item.Note);
        Assert.Equal("https://dev.azure.com/octoacme/Webshop/_build/results?buildId=4802&view=logs", item.EvidenceUrl);
    }

    [Fact]
    public async Task Notification_WithoutOrWithWrongPasswordOrReplayed_Gets401AndChangesNothing()
    {
        var payload = FakeAzureDevOps.RunCompleted("webshop-ci", "succeeded", 4711);
        _ado.Builds[4711] = ("webshop-ci", "refs/heads/release/1.5.0");

        using var anonymous = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload, password: null);
        using var wrong = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload, password: "guess");
        var inbox = _bot.Host.Services.GetRequiredService<SignalInbox>();
        Assert.Equal(0, await inbox.CountPendingAsync(CancellationToken.None));
        using var genuine = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload);
        using var replayed = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("AzureDevOps__WebhookSecret", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains("already received", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await DrainAsync();
        Assert.Single(await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None), a => a.ItemId == "ci-green");
    }

    [Fact]
    public async Task RunSucceededOnAnotherBranch_SettlesNothingAndTheBranchWasReadOverRest()
    {
        _ado.Builds[4712] = ("webshop-ci", "refs/heads/main");

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.RunCompleted("webshop-ci", "succeeded", 4712));
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("ci-green")).Status);
        var read = Assert.Single(_ado.Server.Requests, r => r.Method == "GET");
        Assert.StartsWith($"/{FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}/_apis/pipelines/12/runs/4712?api-version=7.1", read.RawTarget, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunNamingItsBranchInTheNotification_TicksWithoutReadingTheRun()
    {
        var payload = FakeAzureDevOps.RunCompleted("webshop-ci", "succeeded", 4713);
        payload["resource"]!["run"]!["resources"] = new System.Text.Json.Nodes.JsonObject
        {
            ["repositories"] = new System.Text.Json.Nodes.JsonObject { ["self"] = new System.Text.Json.Nodes.JsonObject { ["refName"] = "refs/heads/release/1.5.0" } },
        };

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, payload);
        await DrainAsync();

        Assert.Equal(ItemStatus.Done, (await ItemAsync("ci-green")).Status);
        Assert.DoesNotContain(_ado.Server.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task Reconciler_ServiceHookLost_TicksThePipelineItemFromTheLatestRunOnTheReleaseBranch()
    {
        _ado.CompletedRuns[4901] = new("webshop-ci", "refs/heads/release/1.5.0", "succeeded");
        _ado.CompletedRuns[4902] = new("webshop-ci", "refs/heads/main", "failed");

        var changed = await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);

        Assert.Equal(1, changed);
        var item = await ItemAsync("ci-green");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal("https://dev.azure.com/octoacme/Webshop/_build/results?buildId=4901", item.EvidenceUrl);
        Assert.Equal("signal:azure-devops", item.ChangedBy!.Id);
        Assert.Equal(0, await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reconciler_StageFailedInTheRun_BlocksTheStageItem()
    {
        _ado.CompletedRuns[4903] = new("webshop-cd", "refs/heads/release/1.5.0", "failed", new Dictionary<string, string> { ["Staging"] = "succeeded", ["Production"] = "failed" });

        await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);

        var item = await ItemAsync("deploy-prod");
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Equal("Stage Production of webshop-cd ended with failed", item.Note);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("ci-green")).Status);
    }

    [Fact]
    public async Task Check_GoRecorded_CompletesTheCheckSucceededWithTheJobToken()
    {
        _ado.Builds[4802] = ("webshop-cd", "refs/heads/release/1.5.0");

        using var response = await _ado.InvokeCheckAsync(_bot.Client, 4802, "5c4b3a29-1807-4f6e-9d5c-4b3a29180706");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await DrainAsync();

        Assert.Empty(_ado.PlanEvents);
        Assert.Contains(_bot.ConnectorRequests, r => r.Method == "POST" && r.Body.Contains("Go/no-go 1.5.0", StringComparison.Ordinal));
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Azure DevOps holds run 4802 of **webshop-cd**", StringComparison.Ordinal));

        await _bot.SayAsync("go 1.5.0 --override check rehearsal", TestUser.Alice);
        await DrainAsync();

        var decision = Assert.Single(_ado.PlanEvents);
        Assert.Equal($"/{FakeAzureDevOps.Organization}/{FakeAzureDevOps.ProjectId}/_apis/distributedtask/hubs/build/plans/5c4b3a29-1807-4f6e-9d5c-4b3a29180706/events", decision.Path);
        Assert.Equal($"Bearer {FakeAzureDevOps.JobToken}", decision.Authorization);
        Assert.Equal("TaskCompleted", decision.Body["name"]!.GetValue<string>());
        Assert.Equal("aa11bb22-cc33-4d44-ae55-ff6677889900", decision.Body["taskId"]!.GetValue<string>());
        Assert.Equal("9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0", decision.Body["jobId"]!.GetValue<string>());
        Assert.Equal("succeeded", decision.Body["result"]!.GetValue<string>());
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Passed the Azure DevOps check of run 4802", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_NoGoRecorded_FailsTheCheckOnce()
    {
        _ado.Builds[4803] = ("webshop-cd", "refs/heads/release/1.5.0");
        using var response = await _ado.InvokeCheckAsync(_bot.Client, 4803, "6d5c4b3a-2918-4706-8e5d-4c3b2a190807");
        using var again = await _ado.InvokeCheckAsync(_bot.Client, 4803, "6d5c4b3a-2918-4706-8e5d-4c3b2a190807");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await DrainAsync();

        await _bot.SayAsync("no-go 1.5.0", TestUser.Alice);
        await DrainAsync();
        await DrainAsync();

        var decision = Assert.Single(_ado.PlanEvents);
        Assert.Equal("failed", decision.Body["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Check_ForARunOfAnotherBranch_IsNotAnsweredByThisRelease()
    {
        _ado.Builds[4804] = ("webshop-cd", "refs/heads/main");
        using var response = await _ado.InvokeCheckAsync(_bot.Client, 4804, "7e6d5c4b-3a29-4807-9f6e-5d4c3b2a1908");
        await DrainAsync();

        await _bot.SayAsync("no-go 1.5.0", TestUser.Alice);
        await DrainAsync();

        Assert.Empty(_ado.PlanEvents);
    }

    [Fact]
    public async Task Check_UnauthenticatedOrWithAForeignPlanUrl_IsRefusedAndNoTokenLeaves()
    {
        _ado.Builds[4805] = ("webshop-cd", "refs/heads/release/1.5.0");

        using var anonymous = await _ado.InvokeCheckAsync(_bot.Client, 4805, "8f7e6d5c-4b3a-4908-a07f-6e5d4c3b2a19", password: null);
        using var foreign = await _ado.InvokeCheckAsync(_bot.Client, 4805, "8f7e6d5c-4b3a-4908-a07f-6e5d4c3b2a19", planUrl: "https://attacker.example/octoacme/");
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("AzureDevOps__ApiBaseUrl", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_ado.Server.Requests);
    }

    private async Task<ChecklistItem> ItemAsync(string id) => (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item(id)!;

    private Task DrainAsync() => _bot.DrainSignalsAsync();
}
