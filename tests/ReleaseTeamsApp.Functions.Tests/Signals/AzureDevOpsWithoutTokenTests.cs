using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Functions.Tests.Testing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>
/// Azure DevOps with the service hook secret but no AzureDevOps__Token: the branch of a run cannot be read, so a run
/// notification settles nothing (rather than ticking a release's item from a run of another branch), nor does a merged
/// pull request (the release's other pull requests cannot be re-read), the link reply and the log say what is missing,
/// and the reconciler reads nothing.
/// </summary>
[Collection("Azurite")]
public sealed class AzureDevOpsWithoutTokenTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private const string Template = """
        {
          "id": "ado-checklist", "version": 1, "name": "Azure DevOps checklist",
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

    private readonly CapturedLogs _logs = new();
    private FakeAzureDevOps _ado = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _ado = await FakeAzureDevOps.StartAsync();
        var settings = _ado.Settings();
        settings.Remove("AzureDevOps:Token");
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), settings, services: s => s.AddSingleton<ILoggerProvider>(_logs));
        await _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, Template, "Alice Adams", CancellationToken.None);
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin template ado-checklist");
        await _bot.SayAsync($"link azure-devops {FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}", TestUser.Alice);
    }

    public void Dispose() => _logs.Dispose();

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

    [Fact]
    public async Task PullRequestMerged_WithoutToken_SettlesNothingReadsNothingAndTheLogSaysToSetTheToken()
    {
        using var response = await FakeAzureDevOps.DeliverAsync(_bot.Client, FakeAzureDevOps.PullRequestMerged(87, "refs/heads/release/1.5.0"));
        await _bot.DrainSignalsAsync();
        await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(ItemStatus.Open, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("prs-merged")!.Status);
        Assert.Empty(_ado.Server.Requests);
        var warning = Assert.Single(_logs.Containing("Azure DevOps pull request notifications settle nothing"));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AzureDevOps:Token is not set", warning.Message, StringComparison.Ordinal);
        Assert.Single(_logs.Containing("ado.pulls items not at all"));
        Assert.Contains(_bot.ConnectorRequests, r => r.Body.Contains("Linked release 1.5.0", StringComparison.Ordinal) && r.Body.Contains("which pull requests are still open", StringComparison.Ordinal));
    }
}
