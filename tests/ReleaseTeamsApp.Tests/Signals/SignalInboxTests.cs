using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Signals;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ReleaseTeamsApp.Tests.Signals;

/// <summary>The signal inbox against Azurite: the evaluator's scan reads pending rows only, replays stay refused for the replay window, markers past it go.</summary>
[Collection(AzuriteTests.Name)]
public sealed partial class SignalInboxTests(AzuriteFixture azurite)
{
    private const string Secret = "inbox-test-secret";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ClaimAsync_AfterManyEvaluatedDeliveries_ScansOnlyThePendingRows()
    {
        var queries = new ConcurrentQueue<string>();
        var (tables, inbox) = await CreateAsync(new QueryRecorder(queries));
        for (var n = 0; n < 40; n++)
        {
            await inbox.AcceptAsync("github", $"old-{n}", Signal(), default);
        }

        foreach (var delivery in await inbox.ClaimAsync(100, default))
        {
            await inbox.CompleteAsync(delivery, "evaluated", default);
        }

        for (var n = 0; n < 3; n++)
        {
            await inbox.AcceptAsync("github", $"new-{n}", Signal(), default);
        }

        queries.Clear();

        var claimed = await inbox.ClaimAsync(100, default);

        // What the storage service reads for a query is what its key conditions select; the rest of a filter only drops rows it read.
        var read = 0;
        foreach (var filter in queries)
        {
            var keys = string.Join(" and ", KeyCondition().Matches(filter).Select(m => m.Value));
            read += await tables.Inbox.QueryAsync<TableEntity>(keys, select: ["RowKey"]).CountAsync();
        }

        var rows = await tables.Inbox.QueryAsync<TableEntity>(select: ["RowKey"]).CountAsync();
        Assert.Equal(["new-0", "new-1", "new-2"], claimed.Select(d => d.DeliveryId).Order());
        Assert.Equal(3, read);
        Assert.True(rows >= 43, $"the 40 evaluated deliveries keep their markers ({rows} rows)");
        Assert.Equal(40, (await Task.WhenAll(Enumerable.Range(0, 40).Select(n => inbox.GetAsync("github", $"old-{n}", default)))).Count(r => r is { EvaluatedAt: not null }));
    }

    [Fact]
    public async Task ReceiveAsync_ReplayInsideTheReplayWindow_Is401AndItsMarkerGoesAfterTheWindow()
    {
        var (_, inbox) = await CreateAsync();
        var receiver = new GitHubWebhookReceiver(MsOptions.Create(new GitHubOptions { WebhookSecret = Secret }), inbox, new HookTraffic(), NullLogger<GitHubWebhookReceiver>.Instance);
        var body = await File.ReadAllBytesAsync(Path.Combine(AzuriteFixture.RepositoryRoot(), "tests", "ReleaseTeamsApp.Functions.Tests", "Signals", "Payloads", "workflow_run.completed.json"));
        var first = await receiver.ReceiveAsync(Delivery("delivery-1", body), default);
        await inbox.AcceptAsync("github", "never-evaluated", Signal(), default);
        foreach (var delivery in (await inbox.ClaimAsync(100, default)).Where(d => d.DeliveryId == "delivery-1"))
        {
            await inbox.CompleteAsync(delivery, "evaluated", default);
        }

        _time.Advance(TimeSpan.FromDays(29));
        var removedInside = await inbox.ExpireAsync(default, force: true);
        var replayInside = await receiver.ReceiveAsync(Delivery("delivery-1", body), default);
        _time.Advance(TimeSpan.FromDays(2));
        var removedAfter = await inbox.ExpireAsync(default, force: true);

        Assert.Equal(202, first.Status);
        Assert.Equal((0, 401), (removedInside, replayInside.Status));
        Assert.Equal(1, removedAfter);
        Assert.Null(await inbox.GetAsync("github", "delivery-1", default));
        // A delivery that was never evaluated keeps its marker and stays queued, however old.
        Assert.NotNull(await inbox.GetAsync("github", "never-evaluated", default));
        Assert.Equal(1, await inbox.CountPendingAsync(default));
    }

    [Fact]
    public async Task ExpireAsync_MarkerWrittenBeforePendingRowsExisted_IsQueuedForTheEvaluator()
    {
        var (tables, inbox) = await CreateAsync();
        await inbox.AcceptAsync("github", "legacy-1", null, default);
        var marker = await tables.Inbox.QueryAsync<TableEntity>().SingleAsync();
        // The row an older version wrote for a waiting delivery: the marker itself held the event.
        marker["Pending"] = true;
        marker["Event"] = SignalKinds.WorkflowRunCompleted;
        marker["Data"] = StoredJson.Write(Signal());
        marker["LeasedUntil"] = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await tables.Inbox.UpdateEntityAsync(marker, marker.ETag, TableUpdateMode.Replace);
        var before = await inbox.ClaimAsync(10, default);

        await inbox.ExpireAsync(default, force: true);
        var claimed = await inbox.ClaimAsync(10, default);
        await inbox.CompleteAsync(claimed.Single(), "evaluated", default);

        Assert.Empty(before);
        Assert.Equal("legacy-1", claimed.Single().DeliveryId);
        Assert.Equal("evaluated", (await inbox.GetAsync("github", "legacy-1", default))?.Outcome);
        Assert.False(await inbox.AcceptAsync("github", "legacy-1", Signal(), default));
        Assert.Equal(0, await inbox.CountPendingAsync(default));
    }

    private async Task<(SignalTables Tables, SignalInbox Inbox)> CreateAsync(HttpPipelinePolicy? policy = null)
    {
        var prefix = azurite.NewTablePrefix();
        var options = new TableClientOptions();
        if (policy is not null)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        var tables = new SignalTables(azurite.CreateTables(prefix, options), MsOptions.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }));
        await tables.CreateIfNotExistsAsync(default);
        return (tables, new SignalInbox(tables, MsOptions.Create(new SignalInboxOptions()), _time));
    }

    private static SignalEvent Signal() => new("github", SignalKinds.WorkflowRunCompleted, "octoacme/webshop") { Name = "Smoke tests (staging)", Ref = "release/1.0.0" };

    private static HttpRequest Delivery(string id, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.Headers["X-GitHub-Event"] = "workflow_run";
        context.Request.Headers["X-GitHub-Delivery"] = id;
        context.Request.Headers["X-Hub-Signature-256"] = WebhookSignature.Sign(Secret, body);
        return context.Request;
    }

    [GeneratedRegex(@"(PartitionKey|RowKey) (eq|ge|gt|le|lt) '[^']*'")]
    private static partial Regex KeyCondition();

    /// <summary>Records the $filter of every table query the inbox sends.</summary>
    private sealed class QueryRecorder(ConcurrentQueue<string> filters) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var query = System.Web.HttpUtility.ParseQueryString(message.Request.Uri.Query);
            if (query["$filter"] is { } filter)
            {
                filters.Enqueue(filter);
            }
        }
    }
}
