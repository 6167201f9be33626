using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>Azure Monitor alerts (common alert schema, secret in the URL) against a watched resource, and quiet windows ticked by the reconciler.</summary>
[Collection("Azurite")]
public sealed class MonitorSignalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "monitor-hook-secret";
    private const string Resource = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.Web/sites/webshop";
    private static readonly DateTimeOffset DeployAt = new(2026, 12, 10, 9, 0, 0, TimeSpan.Zero);

    private FakeGitHub _github = null!;
    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        var settings = _github.Settings();
        settings["AzureMonitor:WebhookSecret"] = Secret;
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), settings);
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin", ("eng", TestUser.Bob));
        await _bot.SayAsync($"watch {Resource}", TestUser.Alice);
        _bot.Clock.Set(DeployAt);
        await _bot.SayAsync("go 1.5.0 --override monitoring rehearsal", TestUser.Alice);
        await _bot.SayAsync("deploy start 1.5.0", TestUser.Alice);
        _bot.ClearConnector();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task Sev1AlertOnAWatchedResourceAfterTheDeployment_BlocksNoCriticalErrorsAndOffersTheRollback()
    {
        using var response = await SendAsync(Alert("Sev1", "Fired", DeployAt.AddMinutes(20)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await DrainAsync();

        var item = (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("deploy-no-critical-errors")!;
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Contains("\"HTTP 5xx on webshop\" (Sev1)", item.Note, StringComparison.Ordinal);
        Assert.Equal("signal:azure-monitor", item.ChangedBy!.Id);
        var offer = _bot.ConnectorRequests.Single(r => r.Method == "POST" && r.Body.Contains("raise the rollback on this card", StringComparison.Ordinal));
        Assert.Contains("Raise rollback", offer.Body, StringComparison.Ordinal);
        Assert.Contains("rollback.raise", offer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sev3Alert_IsBelowTheThresholdAndChangesNothing()
    {
        using var response = await SendAsync(Alert("Sev3", "Fired", DeployAt.AddMinutes(20)));
        await DrainAsync();

        Assert.Equal(ItemStatus.Open, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("deploy-no-critical-errors")!.Status);
    }

    [Fact]
    public async Task AlertHook_WrongOrMissingToken_Gets401AndQueuesNothing()
    {
        using var wrong = await SendAsync(Alert("Sev1", "Fired", DeployAt.AddMinutes(20)), "guess");
        using var missing = await SendAsync(Alert("Sev1", "Fired", DeployAt.AddMinutes(20)), null);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(0, await _bot.Host.Services.GetRequiredService<SignalInbox>().CountPendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QuietWindowPassed_ReconcilerTicksNoCriticalErrorsWithEvidence()
    {
        _bot.Clock.Set(DeployAt.AddMinutes(30));
        await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);
        Assert.Equal(ItemStatus.Open, (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("deploy-no-critical-errors")!.Status);

        _bot.Clock.Set(DeployAt.AddMinutes(61));
        await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);
        await _bot.Host.Services.GetRequiredService<SignalReconciler>().RunAsync(CancellationToken.None);

        var state = (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!;
        var item = state.Item("deploy-no-critical-errors")!;
        Assert.Equal(ItemStatus.Done, item.Status);
        Assert.StartsWith("https://portal.azure.com/", item.EvidenceUrl, StringComparison.Ordinal);
        Assert.Contains("No Sev1 or worse alert on the watched resources from Thu 10 Dec 10:00 to Thu 10 Dec 11:00", item.Note, StringComparison.Ordinal);
        Assert.Single(await _bot.Store.GetAuditAsync(_releaseId, CancellationToken.None), a => a.ItemId == "deploy-no-critical-errors");
        // The 24 h window counts from the deployment's finish, which has not happened.
        Assert.Equal(ItemStatus.Open, state.Item("postdeploy-monitoring-48h")!.Status);
    }

    private static JsonObject Alert(string severity, string condition, DateTimeOffset fired)
    {
        var alert = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads", "azure-monitor.common-alert.json")))!.AsObject();
        var essentials = alert["data"]!["essentials"]!;
        essentials["alertId"] = $"/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/{Guid.NewGuid()}";
        essentials["alertRule"] = "HTTP 5xx on webshop";
        essentials["severity"] = severity;
        essentials["monitorCondition"] = condition;
        essentials["alertTargetIDs"] = new JsonArray(Resource.ToLowerInvariant());
        essentials["firedDateTime"] = fired.ToString("O");
        return alert;
    }

    private async Task<HttpResponseMessage> SendAsync(JsonObject alert, string? token = Secret)
    {
        using var content = new StringContent(alert.ToJsonString(), Encoding.UTF8, "application/json");
        return await _bot.Client.PostAsync(token is null ? "/api/hooks/azure-monitor" : $"/api/hooks/azure-monitor?token={token}", content);
    }

    private async Task DrainAsync()
    {
        var inbox = _bot.Host.Services.GetRequiredService<SignalInbox>();
        var evaluator = _bot.Host.Services.GetRequiredService<SignalEvaluator>();
        for (var attempt = 0; attempt < 100 && (await evaluator.DrainAsync(CancellationToken.None) >= 0) && await inbox.CountPendingAsync(CancellationToken.None) > 0; attempt++)
        {
            await Task.Delay(100);
        }
    }
}
