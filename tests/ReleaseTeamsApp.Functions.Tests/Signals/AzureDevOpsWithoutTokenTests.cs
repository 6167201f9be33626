using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure DevOps with the service hook secret but no AzureDevOps__Token: the branch of a run cannot be read, so a run
/// notification settles nothing (rather than ticking a release's item from a run of another branch), the link reply
/// says what is missing, and the reconciler reads nothing.
/// </summary>
[Collection("Azurite")]
public sealed class AzureDevOpsWithoutTokenTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Template = """
        {
          "id": "ado-checklist", "version": 1, "name": "Azure DevOps checklist",
          "phases": [
            { "id": "readiness", "title": "Readiness", "kind": "preRelease", "sections": [
              { "id": "checks", "title": "Checks", "items": [
                { "id": "ci-green", "text": "CI pipeline green", "owner": "QA Automation Engineer", "due": "-2d", "signal": { "type": "ado.pipeline", "name": "webshop-ci" } }
              ] }
            ] }
          ]
        }
        """;

    private FakeAzureDevOps _ado = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _ado = await FakeAzureDevOps.StartAsync();
        var settings = _ado.Settings();
        settings.Remove("AzureDevOps:Token");
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), settings);
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
    public async Task RunNotificationAndReconciler_WithoutToken_SettleNothingReadNothingAndTheLinkReplySaysWhy()
    {
        _ado.Builds[4711] = ("webshop-ci", "refs/heads/release/1.5.0");
        _ado.CompletedRuns[4711] = new("webshop-ci", "refs/heads/release/1.5.0", "succeeded");

        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.RunCompleted("webshop-ci", "succeeded", 4711));
        await _bot.DrainSignalsAsync();
        var changed = await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, changed);
        Assert.Equal(ItemStatus.Open, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("ci-green")!.Status);
        Assert.Empty(_ado.Server.Requests);
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Linked release 1.5.0", StringComparison.Ordinal) && r.Body.Contains("AzureDevOps__Token", StringComparison.Ordinal));
    }
}
