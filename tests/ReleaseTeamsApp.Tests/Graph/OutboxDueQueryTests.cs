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
        var counter = new TableRequestCounter();
        var prefix = azurite.NewTablePrefix();
        var tables = azurite.CreateTables(prefix, counter.Options());
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
        counter.Reset();

        var completed = await worker.RunAsync(default);
        var notices = await outbox.GetThreadNoticesDueAsync(default);

        Assert.Equal("rel-due", Assert.Single(completed).ReleaseId);
        Assert.Empty(notices);
        var queries = counter.QueriesOf("Outbox");
        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.Matches("^PartitionKey eq '~(due|notice)'", q.Filter));
        Assert.Equal(1, queries.Sum(q => q.Rows));
    }
}
