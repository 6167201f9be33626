using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Templates;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Signals;

/// <summary>Azure resources declared in the team template: a release from it watches them without anyone saying watch.</summary>
[Collection("Azurite")]
public sealed class TemplateWatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "monitor-hook-secret";
    private const string Resource = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.Web/sites/webshop";
    private const string Other = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.Web/sites/blog";
    private static readonly DateTimeOffset DeployAt = new(2026, 12, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly string Template = $$"""
        {
          "id": "watched-checklist", "version": 1, "name": "Watched",
          "phases": [
            { "id": "ship", "title": "Ship it", "kind": "releaseDay", "sections": [
              { "id": "deploy", "title": "Deploy", "items": [
                { "id": "deploy-prod", "text": "Deploy to production", "owner": "Engineering Lead", "due": "+0m" },
                { "id": "quiet", "text": "No critical errors in logs", "owner": "Engineering Lead", "due": "+1h",
                  "signal": { "type": "monitor.quiet", "severity": "Sev1", "window": "1h", "resources": ["{{Resource}}"] } }
              ] }
            ] }
          ]
        }
        """;

    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), new Dictionary<string, string?> { ["AzureMonitor:WebhookSecret"] = Secret });
        await _bot.Host.Services.GetRequiredService<TemplateLibrary>().SaveAsync(BotPipeline.TenantId, BotPipeline.TeamId, Template, "Alice Adams", CancellationToken.None);
        _releaseId = await _bot.CreateReleaseAsync("new release 1.5.0 on 2026-12-10 tz Europe/Berlin template watched-checklist");
        _bot.Clock.Set(DeployAt);
        await _bot.SayAsync("go 1.5.0 --override template watch rehearsal", TestUser.Alice);
        await _bot.SayAsync("deploy start 1.5.0", TestUser.Alice);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Links_ReleaseFromATemplateWithResources_ListsThemAsWatchedByTheTemplate()
    {
        await _bot.SayAsync("links", TestUser.Alice);

        Assert.Contains($"Azure resource **{Resource}** (linked by {TemplateWatchedResources.LinkedBy})", _bot.ConnectorRequests[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sev1AlertOnTheTemplatesResource_BlocksTheItemWithoutAWatchCommand()
    {
        using var other = await SendAsync(Alert(Other, DeployAt.AddMinutes(10)));
        await _bot.Host.Services.GetRequiredService<SignalEvaluator>().DrainAsync(CancellationToken.None);
        Assert.Equal(ItemStatus.Open, (await ItemAsync()).Status);

        using var response = await SendAsync(Alert(Resource, DeployAt.AddMinutes(20)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _bot.Host.Services.GetRequiredService<SignalEvaluator>().DrainAsync(CancellationToken.None);

        var item = await ItemAsync();
        Assert.Equal(ItemStatus.Blocked, item.Status);
        Assert.Contains("\"HTTP 5xx on webshop\" (Sev1)", item.Note, StringComparison.Ordinal);
    }

    private async Task<ChecklistItem> ItemAsync() => (await _bot.Store.GetAsync(_releaseId, CancellationToken.None))!.Item("quiet")!;

    private static JsonObject Alert(string resource, DateTimeOffset fired)
    {
        var alert = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signals", "Payloads", "azure-monitor.common-alert.json")))!.AsObject();
        var essentials = alert["data"]!["essentials"]!;
        essentials["alertId"] = $"/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/{Guid.NewGuid()}";
        essentials["alertRule"] = "HTTP 5xx on webshop";
        essentials["severity"] = "Sev1";
        essentials["monitorCondition"] = "Fired";
        essentials["alertTargetIDs"] = new JsonArray(resource.ToLowerInvariant());
        essentials["firedDateTime"] = fired.ToString("O");
        return alert;
    }

    private async Task<HttpResponseMessage> SendAsync(JsonObject alert)
    {
        using var content = new StringContent(alert.ToJsonString(), Encoding.UTF8, "application/json");
        return await _bot.Client.PostAsync($"/api/hooks/azure-monitor?token={Secret}", content);
    }
}
