using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Functions.Tests.Bot;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;

namespace ReleaseTeamsApp.Functions.Tests.Reminders;

/// <summary>
/// Reminders fanned out on the reminder-work queue (Reminders:FanOut): the timer puts one work item per release on
/// Azurite's queue, the local host runs the ReminderWork queue trigger (the same function class as in Azure), and the
/// sent-markers keep "never twice" when a work item is delivered again; a message that fails every attempt is poison.
/// </summary>
[Collection("Azurite")]
public sealed class ReminderFanOutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Friday 11 Dec 2026, 09:30 in Berlin: the T-5 items of a release on 16 Dec are due soon (Engineering Lead, Technical Writer).
    private static readonly DateTimeOffset DueMorning = new(2026, 12, 11, 8, 30, 0, TimeSpan.Zero);

    private BotPipeline _bot = null!;
    private string _releaseId = "";

    public async Task InitializeAsync()
    {
        _bot = await BotPipeline.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["Reminders:FanOut"] = "true",
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.100",
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "3",
        });
        _releaseId = await _bot.CreateReleaseAsync("new release 2.4.0 on 2026-12-16 tz Europe/Berlin", ("pm", TestUser.Carol), ("eng", TestUser.Bob));
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _releaseId, ["item"] = "planning-date-window" }, TestUser.Alice);
        await _bot.ClickAsync("item.complete", new JsonObject { ["release"] = _releaseId, ["item"] = "planning-scope" }, TestUser.Carol);
        _bot.ClearConnector();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task RemindersTimer_FanOut_QueueTriggerPostsOneDigestPerPerson()
    {
        _bot.Clock.Set(DueMorning);

        await RunTimerAsync();
        await _bot.DrainQueuesAsync();

        Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], DigestRecipients());
    }

    [Fact]
    public async Task ReminderWork_SameWorkItemDeliveredAgain_SendsNothingTwice()
    {
        _bot.Clock.Set(DueMorning);
        await RunTimerAsync();
        await _bot.DrainQueuesAsync();
        var first = DigestRecipients();

        // The release's work item once more, as the queue redelivers a message whose delete was lost.
        var queues = _bot.Host.Services.GetRequiredService<ReleaseQueues>();
        var now = _bot.Clock.GetUtcNow();
        var due = await _bot.Store.GetDueAsync(now - TimeSpan.FromDays(30), now + TimeSpan.FromHours(24), CancellationToken.None);
        var again = new ReminderWorkItem(_releaseId, due.Where(d => d.ReleaseId == _releaseId).Select(d => new ReminderWorkEntry(d.ItemId, d.DueAt)).ToList());
        await queues.ReminderWork.SendMessageAsync(JsonSerializer.Serialize(again, StoredJson.Options));
        await _bot.DrainQueuesAsync();

        Assert.Equal([TestUser.Alice.Id, TestUser.Bob.Id], first);
        Assert.Equal(first, DigestRecipients());
        Assert.Equal(0, (await queues.ReminderWork.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ReminderWork_MessageFailsEveryAttempt_LandsInThePoisonQueue()
    {
        var queues = _bot.Host.Services.GetRequiredService<ReleaseQueues>();

        await queues.ReminderWork.SendMessageAsync("{\"releaseId\": ");
        await _bot.DrainQueuesAsync();

        var poison = await queues.PoisonOf(ReleaseQueues.ReminderWorkName).PeekMessagesAsync(10);
        Assert.Equal("{\"releaseId\": ", Assert.Single(poison.Value).Body.ToString());
        Assert.Equal(0, (await queues.ReminderWork.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private async Task RunTimerAsync() => Assert.True(await _bot.RunTimerAsync("Reminders"));

    private List<string> DigestRecipients() => _bot.ConnectorRequests
        .Where(r => r.Method == "POST")
        .Select(r => JsonNode.Parse(r.Body)!["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "mention")!["mentioned"]!["id"]!.GetValue<string>())
        .Order(StringComparer.Ordinal)
        .ToList();
}
