using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// The local host's stand-in for an Azure DevOps service hook (POST /_dev/azure-devops): a sample notification sent
/// with the subscription's basic authentication ticks the pipeline item of a linked release in the dev channel, and
/// sending the same delivery again is refused as a replay; the pull request sample is received too, and without
/// AzureDevOps__Token the log says why it ticks nothing.
/// </summary>
[Collection("Azurite")]
public sealed class DevAzureDevOpsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string DevTenant = "00000000-0000-0000-0000-00000000dev0";
    private const string DevTeam = "19:dev-team@thread.tacv2";
    private const string Template = """
        {
          "id": "ado-dev", "version": 1, "name": "Azure DevOps dev checklist",
          "phases": [
            { "id": "readiness", "title": "Readiness", "kind": "preRelease", "sections": [
              { "id": "checks", "title": "Checks", "items": [
                { "id": "ci-green", "text": "CI pipeline green", "owner": "QA Automation Engineer", "due": "-2d", "signal": { "type": "ado.pipeline", "name": "webshop-ci" } },
                { "id": "prs-merged", "text": "All PRs tagged for release are merged", "owner": "Engineering Lead", "due": "-3d", "signal": { "type": "ado.pulls" } }
              ] }
            ] }
          ]
        }
        """;

    private LocalHostServer _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "",
            ["AzureDevOps:WebhookSecret"] = "local-devops-secret",
            ["LocalHost:ClockStart"] = "2026-12-03T09:00:00Z",
        });
        await _host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(DevTenant, DevTeam, Template, "Alice Adams", CancellationToken.None);
        await SayAsync("new release 1.5.0 on 2026-12-10 template ado-dev");
        await SayAsync("link azure-devops octoacme/Webshop");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DevAzureDevOps_SampleRunSucceeded_TicksThePipelineItemAndTheSameDeliveryAgainIsRefused()
    {
        var notification = new JsonObject
        {
            ["sample"] = "azure-devops.run-state-changed",
            ["delivery"] = "demo-ado-1",
            ["patch"] = new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["run"] = new JsonObject
                    {
                        ["result"] = "succeeded",
                        ["resources"] = new JsonObject { ["repositories"] = new JsonObject { ["self"] = new JsonObject { ["refName"] = "refs/heads/release/1.5.0" } } },
                    },
                },
            },
        };

        using var first = await _host.Client.PostAsJsonAsync("/_dev/azure-devops", notification);
        var firstAnswer = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        await DrainAsync();
        using var again = await _host.Client.PostAsJsonAsync("/_dev/azure-devops", new JsonObject { ["sample"] = "azure-devops.run-state-changed", ["delivery"] = "demo-ado-1" });
        var againAnswer = await again.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("demo-ado-1", firstAnswer["delivery"]!.GetValue<string>());
        Assert.Equal(202, firstAnswer["status"]!.GetValue<int>());
        var item = await ItemAsync("ci-green");
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.Equal("signal:azure-devops", item.ChangedBy!.Id);
        Assert.Equal("https://dev.azure.com/octoacme/Webshop/_build/results?buildId=4711", item.EvidenceUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("Notification demo-ado-1 was already received", againAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevAzureDevOps_UnknownSample_SaysWhichNamesExistAndSendsNothing()
    {
        using var response = await _host.Client.PostAsJsonAsync("/_dev/azure-devops", new JsonObject { ["sample"] = "azure-devops.nothing", ["delivery"] = "demo-ado-2" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("e.g. azure-devops.run-state-changed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await _host.Services.GetRequiredService<SignalInbox>().GetAsync(AzureDevOpsDeliveries.Source, "demo-ado-2", CancellationToken.None));
    }

    [Fact]
    public async Task DevAzureDevOps_PullRequestMergedSampleWithoutToken_IsReceivedAndTheLogSaysWhyNothingTicks()
    {
        using var response = await _host.Client.PostAsJsonAsync("/_dev/azure-devops", new JsonObject { ["sample"] = "azure-devops.pullrequest-merged", ["delivery"] = "demo-ado-pr-1" });
        var answer = await response.Content.ReadAsStringAsync();
        await DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("git.pullrequest.merged received; it is evaluated within seconds", answer, StringComparison.Ordinal);
        Assert.NotNull((await _host.Services.GetRequiredService<SignalInbox>().GetAsync(AzureDevOpsDeliveries.Source, "demo-ado-pr-1", CancellationToken.None))?.EvaluatedAt);
        Assert.Equal(ItemStatus.Open, (await ItemAsync("prs-merged")).Status);
        Assert.Contains(_host.Logs.Entries, e => e.Message.Contains("Azure DevOps pull request notifications settle nothing: AzureDevOps:Token is not set", StringComparison.Ordinal));
    }

    private async Task SayAsync(string text)
    {
        using var response = await _host.Client.PostAsJsonAsync("/_dev/say", new { text });
        response.EnsureSuccessStatusCode();
    }

    private async Task<ChecklistItem> ItemAsync(string id)
    {
        var store = _host.Services.GetRequiredService<IReleaseStore>();
        var releaseId = await store.FindIdAsync(new ChannelKey(DevTenant, DevTeam, DevTeam), "1.5.0", CancellationToken.None);
        return (await store.GetAsync(releaseId!, CancellationToken.None))!.Item(id)!;
    }

    private async Task DrainAsync()
    {
        var evaluator = _host.Services.GetRequiredService<SignalEvaluator>();
        var inbox = _host.Services.GetRequiredService<SignalInbox>();
        for (var attempt = 0; attempt < 50 && await inbox.CountPendingAsync(CancellationToken.None) > 0; attempt++)
        {
            await evaluator.DrainAsync(CancellationToken.None);
        }
    }
}
