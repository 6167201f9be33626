using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Housekeeping;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ReleaseTeamsApp.Tests.Housekeeping;

/// <summary>Rows that are no longer needed expire in the daily cleanup; rows that still say "once" stay.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ExpiredRowsTests(AzuriteFixture azurite)
{
    // Table Storage stamps rows with the real time, so the cleanup's clock starts at the real now.
    private readonly DateTimeOffset _written = DateTimeOffset.UtcNow;

    [Fact]
    public async Task RunAsync_RowsOfEachKindPastTheirAge_AreDeletedAndTheOthersKept()
    {
        var tables = azurite.CreateTables(azurite.NewTablePrefix());
        var store = new TableReleaseStore(tables);
        var time = new FakeTimeProvider(_written);
        var planned = new ReleaseBuilder().WithVersion("40.0.0").BuildPlanned();
        var id = planned.Release.Id;
        await store.CreateAsync(planned.Release, planned.Items, planned.Created, default);
        await store.UpdateAsync(id, s => ReleaseChange.Record(s.Release with { Scope = "changed" }).Returning(true), "act-42", default);
        var markers = new SentMarkers(tables, MsOptions.Create(new RemindersOptions()), time);
        await markers.MarkSentAsync((await markers.TryClaimAsync(id, "2026-06-11|due|29:alice|ABCDEF", "29:alice", "x", default))!, default);
        await markers.MarkSentAsync((await markers.TryClaimAsync(id, "followup-24h", "", "", default))!, default);
        await tables.Reminders.UpsertEntityAsync(new TableEntity(TableKeys.Escape(id), SentMarkers.LedgerKey("2026-06-11")) { ["c_due_x"] = "a" });
        var outbox = new GraphOutbox(tables, time);
        await outbox.EnqueueAsync(id, AnnouncementKeys.Outbox(id, AnnouncementKind.Deployment), OutboxKind.AnnouncementMail, new MailPayload("s", "<p>h</p>", ["a@octoacme.test"]), default);
        await outbox.EnqueueAsync(id, RetrospectiveKeys.Event(id), OutboxKind.RetrospectiveEvent, new RetrospectivePayload("r", "<p>a</p>", [], _written, _written.AddDays(1), _written, TimeSpan.FromHours(1), Guid.NewGuid()), default);
        var graph = new GraphOptions();
        await new OutboxWorker(outbox, new RecordingGraphGateway(graph, time), MsOptions.Create(graph), time, NullLogger<OutboxWorker>.Instance).RunAsync(default);

        var week = await Cleanup(tables, outbox, 8).RunAsync(default);
        var dedupeGone = !(await tables.Releases.GetEntityIfExistsAsync<TableEntity>(id, TableKeys.Dedupe("act-42"))).HasValue;
        var month = await Cleanup(tables, outbox, 31).RunAsync(default);
        var quarter = await Cleanup(tables, outbox, 91).RunAsync(default);

        Assert.True(dedupeGone);
        Assert.Equal((1, 0, 0), (week.DedupeMarkers, week.SentMarkers, week.OutboxEntries));
        Assert.Equal((0, 2, 0), (month.DedupeMarkers, month.SentMarkers, month.OutboxEntries));
        Assert.Equal((0, 0, 1), (quarter.DedupeMarkers, quarter.SentMarkers, quarter.OutboxEntries));
        Assert.NotNull(await markers.GetAsync(id, "followup-24h", default));
        Assert.Null(await markers.GetAsync(id, "2026-06-11|due|29:alice|ABCDEF", default));
        Assert.Equal([OutboxKind.RetrospectiveEvent], (await outbox.ListAsync(id, default)).Select(e => e.Kind));
        Assert.Equal("changed", (await store.GetAsync(id, default))!.Release.Scope);
    }

    [Fact]
    public async Task RunAsync_TwiceTheSameDay_RunsOnceEvenFromTwoHosts()
    {
        var tables = azurite.CreateTables(azurite.NewTablePrefix());
        var outbox = new GraphOutbox(tables, new FakeTimeProvider(_written));

        var first = await Cleanup(tables, outbox, 1).RunAsync(default);
        var otherHost = await Cleanup(tables, outbox, 1).RunAsync(default);

        Assert.Equal((true, false), (first.Ran, otherHost.Ran));
    }

    [Fact]
    public async Task RunAsync_OutboxEntryWrittenBeforeDuePointers_IsIndexedAndThenSent()
    {
        var tables = azurite.CreateTables(azurite.NewTablePrefix());
        var time = new FakeTimeProvider(_written);
        var outbox = new GraphOutbox(tables, time);
        await tables.Outbox.AddEntityAsync(new OutboxRow
        {
            PartitionKey = "rel-legacy",
            RowKey = "announce|deployment|rel-legacy",
            ReleaseId = "rel-legacy",
            Key = "announce|deployment|rel-legacy",
            Kind = nameof(OutboxKind.AnnouncementMail),
            Payload = StoredJson.Write(new MailPayload("s", "<p>h</p>", ["a@octoacme.test"])),
            NextAttemptAt = _written,
            CreatedAt = _written,
            UpdatedAt = _written,
        });
        var graph = new GraphOptions();
        var worker = new OutboxWorker(outbox, new RecordingGraphGateway(graph, time), MsOptions.Create(graph), time, NullLogger<OutboxWorker>.Instance);
        var before = await worker.RunAsync(default);

        var cleanup = await Cleanup(tables, outbox, 0).RunAsync(default);
        var after = await worker.RunAsync(default);

        Assert.Empty(before);
        Assert.Equal(1, cleanup.OutboxIndexed);
        Assert.Equal("rel-legacy", Assert.Single(after).ReleaseId);
    }

    private static ExpiredRows Cleanup(ReleaseTables tables, GraphOutbox outbox, int daysLater) =>
        new(tables, outbox, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(daysLater)), NullLogger<ExpiredRows>.Instance);
}
