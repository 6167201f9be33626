using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ReleaseTeamsApp.Tests.Graph;

/// <summary>The outbox sweep runs every minute: it must read what is due, not every entry ever written.</summary>
[Collection("Azurite")]
public sealed class OutboxDueQueryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 17, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_ManyFinishedAndFutureEntriesOneDue_QueriesOnlyTheDuePointersAndReadsOnlyWhatIsDue()
    {
        var counter = new QueryCounter();
        var prefix = azurite.NewTablePrefix();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var tables = azurite.CreateTables(prefix, options);
        var time = new FakeTimeProvider(Now);
        var outbox = new GraphOutbox(tables, time);
        var graph = new GraphOptions();
        var worker = new OutboxWorker(outbox, new RecordingGraphGateway(graph, time), MsOptions.Create(graph), time, NullLogger<OutboxWorker>.Instance);
        for (var i = 0; i < 60; i++)
        {
            await outbox.EnqueueAsync($"rel-done-{i:D2}", $"announce|deployment|rel-done-{i:D2}", OutboxKind.AnnouncementMail, new MailPayload("s", "<p>h</p>", ["a@octoacme.test"]), default);
        }

        while ((await worker.RunAsync(default)).Count > 0)
        {
        }

        var later = new GraphOutbox(tables, new FakeTimeProvider(Now.AddHours(3)));
        for (var i = 0; i < 30; i++)
        {
            await later.EnqueueAsync($"rel-later-{i:D2}", $"announce|deployment|rel-later-{i:D2}", OutboxKind.AnnouncementMail, new MailPayload("s", "<p>h</p>", ["a@octoacme.test"]), default);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        await outbox.EnqueueAsync("rel-due", "announce|deployment|rel-due", OutboxKind.AnnouncementMail, new MailPayload("s", "<p>h</p>", ["a@octoacme.test"]), default);
        counter.Queries.Clear();

        var completed = await worker.RunAsync(default);
        var notices = await outbox.GetThreadNoticesDueAsync(default);

        Assert.Equal("rel-due", Assert.Single(completed).ReleaseId);
        Assert.Empty(notices);
        Assert.Equal(2, counter.Queries.Count);
        Assert.All(counter.Queries, q => Assert.Matches("^PartitionKey eq '~(due|notice)'", q.Filter));
        Assert.Equal(1, counter.Queries.Sum(q => q.Rows));
    }

    /// <summary>Records the $filter of each table query and how many rows its answer carried.</summary>
    private sealed class QueryCounter : HttpPipelinePolicy
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Filter, int Rows)> Queries { get; } = new();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Record(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Record(message);
        }

        private void Record(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            if (message.Request.Method != RequestMethod.Get || !uri.AbsolutePath.Contains("Outbox()", StringComparison.Ordinal))
            {
                return;
            }

            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            var rows = 0;
            if (message.Response.ContentStream is { CanSeek: true } body)
            {
                using var json = JsonDocument.Parse(body, default);
                rows = json.RootElement.TryGetProperty("value", out var value) ? value.GetArrayLength() : 0;
                body.Position = 0;
            }

            Queries.Enqueue((query["$filter"] ?? "", rows));
        }
    }
}
