using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Functions.Tests.Bot;

namespace ReleaseTeamsApp.Functions.Tests.Teams;

/// <summary>
/// Teams is answered in time: a tick is answered from stored state, and everyone's cards are updated afterwards by the
/// card-updates queue trigger (Azurite's queue service, run by the local host like the Functions host runs it),
/// including after a crash right after the answer, a failed attempt, and a message that fails every attempt.
/// </summary>
[Collection("Azurite")]
public sealed class CardUpdatesTests(AzuriteFixture azurite)
{
    private const string Item = "team-automation-coverage";

    // Fast redelivery and three attempts, so a poison message lands within the test (host.json says 5 s and 5 attempts).
    private static readonly Dictionary<string, string?> FastQueues = new()
    {
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.100",
        ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "3",
        ["Bot:Connector:MaxAttempts"] = "1",
    };

    [Fact]
    public async Task Tick_ConnectorTakesTwoSecondsPerUpdate_AnswersBeforeAnyCardUpdateAndUpdatesThemAfter()
    {
        await using var bot = await BotPipeline.StartAsync(azurite);
        var release = await CreateReleaseAsync(bot);
        var slow = new TaskCompletionSource();
        bot.OnPut = async _ =>
        {
            await slow.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        };

        var watch = Stopwatch.StartNew();
        var answer = await bot.ClickAsync("item.complete", Data(release, Item), TestUser.Bob, drainQueues: false);
        var answeredIn = watch.Elapsed;
        var putsAnsweredBefore = bot.ConnectorRequests.Count(r => r.Method == "PUT");
        slow.SetResult();
        await bot.DrainQueuesAsync();

        Assert.Contains("Done: QA Automation Engineer confirms automated test coverage", answer["value"]!.ToJsonString());
        Assert.True(answeredIn < TimeSpan.FromSeconds(2), $"the invoke waited {answeredIn.TotalMilliseconds:F0} ms for the connector");
        Assert.Equal(0, putsAnsweredBefore);
        var phaseCard = release.Release.Thread!.PhaseCardActivityIds["pre-release"];
        var put = Assert.Single(bot.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{phaseCard}", StringComparison.Ordinal));
        Assert.Contains("✅ QA Automation Engineer confirms automated test coverage", put.Body);
    }

    [Fact]
    public async Task Tick_HostStopsRightAfterTheAnswer_NextHostUpdatesTheCards()
    {
        // The first host answers but never runs its queue trigger: it is gone right after the answer.
        await using var first = await BotPipeline.StartAsync(azurite, settings: new Dictionary<string, string?> { ["AzureWebJobs.CardUpdates.Disabled"] = "true" });
        var release = await CreateReleaseAsync(first);
        var answer = await first.ClickAsync("item.complete", Data(release, Item), TestUser.Bob);
        var putsBeforeStop = first.ConnectorRequests.Count(r => r.Method == "PUT");
        await first.Host.StopAsync();

        await using var second = await BotPipeline.StartAsync(azurite, settings: FastQueues, prefix: first.Prefix);
        await second.DrainQueuesAsync();

        Assert.Contains("Done: QA Automation Engineer confirms automated test coverage", answer["value"]!.ToJsonString());
        Assert.Equal(0, putsBeforeStop);
        // The thread's connector (Teams) got the update from the next host.
        var phaseCard = release.Release.Thread!.PhaseCardActivityIds["pre-release"];
        var put = Assert.Single(first.ConnectorRequests, r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{phaseCard}", StringComparison.Ordinal));
        Assert.Contains("✅ QA Automation Engineer confirms automated test coverage", put.Body);
        Assert.Empty(await second.Host.Services.GetRequiredService<ReleaseQueues>().PoisonedAsync(release.Release.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Tick_FirstUpdateAttemptFails_MessageIsRedeliveredAndTheCardsUpdated()
    {
        await using var bot = await BotPipeline.StartAsync(azurite, settings: FastQueues);
        var release = await CreateReleaseAsync(bot);
        var failures = 1;
        bot.OnPut = async context => await FailWhileAsync(context, () => Interlocked.Decrement(ref failures) >= 0);

        await bot.ClickAsync("item.complete", Data(release, Item), TestUser.Bob);

        var phaseCard = release.Release.Thread!.PhaseCardActivityIds["pre-release"];
        var attempts = bot.ConnectorRequests.Where(r => r.Method == "PUT" && r.RawTarget.EndsWith($"/activities/{phaseCard}", StringComparison.Ordinal)).ToList();
        Assert.True(attempts.Count >= 2, "the failed update was not retried from the queue");
        Assert.Contains("✅ QA Automation Engineer confirms automated test coverage", attempts[^1].Body);
        var queues = bot.Host.Services.GetRequiredService<ReleaseQueues>();
        Assert.Empty(await queues.PoisonedAsync(release.Release.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Tick_EveryUpdateAttemptFails_MessageGoesToPoisonQueueAndOutboxReportShowsIt()
    {
        await using var bot = await BotPipeline.StartAsync(azurite, settings: FastQueues);
        var release = await CreateReleaseAsync(bot);
        bot.OnPut = async context => await FailWhileAsync(context, () => true);

        await bot.ClickAsync("item.complete", Data(release, Item), TestUser.Bob);
        bot.OnPut = null;
        bot.ClearConnector();
        await bot.SayAsync("outbox 2.4.0", TestUser.Alice);

        var queues = bot.Host.Services.GetRequiredService<ReleaseQueues>();
        var poisoned = Assert.Single(await queues.PoisonedAsync(release.Release.Id, CancellationToken.None));
        Assert.Equal(ReleaseQueues.CardUpdatesName, poisoned.Queue);
        var reply = Assert.Single(bot.ConnectorRequests, r => r.Method == "POST");
        Assert.Contains("Card update for everyone", reply.Body);
        Assert.Contains("card-updates-poison", reply.Body);
        var stored = await bot.Store.GetAsync(release.Release.Id, CancellationToken.None);
        Assert.Equal(ItemStatus.Done, stored!.Item(Item)!.Status);
    }

    private static async Task<bool> FailWhileAsync(HttpContext context, Func<bool> fail)
    {
        if (!fail())
        {
            return true;
        }

        context.Response.StatusCode = 503;
        await context.Response.WriteAsync("""{"error":{"code":"ServiceUnavailable","message":"try later"}}""");
        return false;
    }

    private static async Task<ReleaseState> CreateReleaseAsync(BotPipeline bot)
    {
        await bot.SayAsync("new release 2.4.0 on 2026-12-10 tz Europe/Berlin", TestUser.Alice);
        await bot.SayAsync("assign qa", TestUser.Alice, TestUser.Bob);
        var id = await bot.Store.FindIdAsync(new ChannelKey(BotPipeline.TenantId, BotPipeline.TeamId, BotPipeline.ChannelId), "2.4.0", CancellationToken.None);
        bot.ClearConnector();
        return (await bot.Store.GetAsync(id!, CancellationToken.None))!;
    }

    private static JsonObject Data(ReleaseState release, string item) => new() { ["release"] = release.Release.Id, ["item"] = item };
}
