using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Storage;

/// <summary>The reminder sweep reads the due index for a window: it must see exactly the items due in it.</summary>
[Collection(AzuriteTests.Name)]
public sealed class TableReleaseStoreDueIndexTests(AzuriteFixture azurite)
{
    private readonly IReleaseStore _store = azurite.StoreFor(typeof(TableReleaseStoreDueIndexTests));

    [Fact]
    public async Task GetDueAsync_WindowAroundOneReleaseDay_ReturnsOnlyThatReleasesItemsDueInIt()
    {
        var june = await CreateAsync(new ReleaseBuilder().WithVersion("10.0.0").On(2030, 6, 4).InTimeZone("Europe/Berlin"));
        var july = await CreateAsync(new ReleaseBuilder().WithVersion("10.1.0").On(2030, 7, 2).InTimeZone("Europe/Berlin"));
        var august = await CreateAsync(new ReleaseBuilder().WithVersion("10.2.0").On(2030, 8, 6).InTimeZone("America/New_York"));
        var from = july.Release.Start;
        var before = july.Release.Start.AddHours(3);

        var due = await _store.GetDueAsync(from, before, CancellationToken.None);

        var expected = july.Items.Where(i => i.DueAt >= from && i.DueAt < before).Select(i => new DueEntry(july.Release.Id, i.Id, i.DueAt!.Value)).ToList();
        Assert.Equal(11, expected.Count);
        Assert.Equal(expected.OrderBy(e => e.DueAt).ThenBy(e => e.ItemId), due.OrderBy(e => e.DueAt).ThenBy(e => e.ItemId));
        Assert.DoesNotContain(due, e => e.ReleaseId == june.Release.Id || e.ReleaseId == august.Release.Id);
    }

    [Fact]
    public async Task GetDueAsync_WindowSpanningMidnightAndSeveralHours_ReturnsEveryBucketInBetween()
    {
        var planned = await CreateAsync(new ReleaseBuilder().WithVersion("11.0.0").On(2031, 1, 14).WithWindow(new TimeOnly(23, 30), new TimeOnly(1, 0)).InTimeZone("Etc/UTC"));
        var from = new DateTimeOffset(2031, 1, 14, 23, 30, 0, TimeSpan.Zero);
        var before = new DateTimeOffset(2031, 1, 15, 1, 0, 0, TimeSpan.Zero);

        var due = await _store.GetDueAsync(from, before, CancellationToken.None);

        // +0m (4 items), +15m, +1h (2 items); +1h30m falls exactly on the end, which is exclusive.
        Assert.Equal(
            planned.Items.Where(i => i.DueAt >= from && i.DueAt < before).Select(i => i.Id).Order(),
            due.Select(e => e.ItemId).Order());
        Assert.Equal(7, due.Count);
        Assert.DoesNotContain(due, e => e.ItemId == "deploy-no-critical-errors");
    }

    [Fact]
    public async Task GetDueAsync_RollbackNotTriggered_HasNoRollbackEntries()
    {
        var planned = await CreateAsync(new ReleaseBuilder().WithVersion("12.0.0").On(2032, 2, 10));

        var due = await _store.GetDueAsync(planned.Release.Start.AddDays(-30), planned.Release.Start.AddDays(30), CancellationToken.None);

        Assert.Equal(planned.Items.Count(i => i.PhaseId != "rollback"), due.Count(e => e.ReleaseId == planned.Release.Id));
        Assert.DoesNotContain(due, e => e.ItemId.StartsWith("rollback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveDueAsync_Entry_IsNoLongerReturned()
    {
        var planned = await CreateAsync(new ReleaseBuilder().WithVersion("13.0.0").On(2033, 3, 8));
        var from = planned.Release.Start;
        var before = from.AddMinutes(1);
        var entries = await _store.GetDueAsync(from, before, CancellationToken.None);

        await _store.RemoveDueAsync(entries[0], CancellationToken.None);

        var after = await _store.GetDueAsync(from, before, CancellationToken.None);
        Assert.Equal(entries.Count - 1, after.Count);
        Assert.DoesNotContain(entries[0], after);
    }

    [Fact]
    public async Task CreateAsync_ItemsDueInTheSameHour_ShareOneIndexRowSoTheSweepReadsARowPerReleaseHour()
    {
        var prefix = azurite.NewTablePrefix();
        var tables = azurite.CreateTables(prefix);
        var store = new TableReleaseStore(tables);
        var planned = new ReleaseBuilder().WithVersion("16.0.0").On(2036, 6, 10).BuildPlanned();
        await store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in tables.DueIndex.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows.Add(row);
        }

        var hours = planned.Items.Where(i => i.DueAt is not null).Select(i => i.DueAt!.Value.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count();
        Assert.Equal(hours, rows.Count);
        Assert.True(rows.Count < planned.Items.Count(i => i.DueAt is not null) / 2, $"{rows.Count} index rows for {planned.Items.Count} items");
    }

    [Fact]
    public async Task RemoveDueAsync_ItemReindexedInTheSameHourSinceItWasRead_KeepsTheNewerEntry()
    {
        var planned = await CreateAsync(new ReleaseBuilder().WithVersion("17.0.0").On(2037, 7, 7));
        var item = planned.Item("preflight-dashboards");
        var stale = new DueEntry(planned.Release.Id, item.Id, item.DueAt!.Value);
        var later = item with { DueAt = item.DueAt.Value.AddMinutes(20) };
        await _store.UpdateAsync(planned.Release.Id, _ => ReleaseChange.Record(null, [later], []).Returning(true), null, CancellationToken.None);

        await _store.RemoveDueAsync(stale, CancellationToken.None);

        var due = await _store.GetDueAsync(later.DueAt!.Value, later.DueAt.Value.AddMinutes(1), CancellationToken.None);
        Assert.Contains(new DueEntry(planned.Release.Id, item.Id, later.DueAt.Value), due);
    }

    [Fact]
    public async Task UpdateAsync_ItemDueTimeMoved_IsFoundAtItsNewTime()
    {
        var planned = await CreateAsync(new ReleaseBuilder().WithVersion("14.0.0").On(2034, 4, 11));
        var moved = planned.Release with { ReleaseDate = new DateOnly(2034, 4, 18) };

        await _store.UpdateAsync(
            planned.Release.Id,
            state => ReleaseChange.Record(moved, ReleasePlanner.Replan(moved, state.Items).Select(c => c.Item).ToList(), []).Returning(0),
            null,
            CancellationToken.None);

        var due = await _store.GetDueAsync(moved.Start, moved.Start.AddMinutes(1), CancellationToken.None);
        var preDeployment = planned.Items.Where(i => i.SectionId == "pre-deployment").Select(i => new DueEntry(planned.Release.Id, i.Id, moved.Start));
        Assert.All(preDeployment, entry => Assert.Contains(entry, due));
        Assert.Equal(moved.Start, (await _store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item("preflight-staging-smoke")!.DueAt);
    }

    [Fact]
    public async Task UpdateAsync_ProcessDiesAtAnyStorageRequestWhileMovingAnItem_ItemIsStillFoundAtTheDueTimeItHas()
    {
        var crashes = 0;
        for (var crashAt = 1; ; crashAt++)
        {
            var prefix = azurite.NewTablePrefix();
            var store = azurite.CreateStore(prefix);
            var planned = new ReleaseBuilder().WithVersion("18.0.0").On(2038, 8, 10).BuildPlanned();
            await store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
            var item = planned.Item("preflight-dashboards");
            var moved = item with { DueAt = item.DueAt!.Value.AddDays(2) };
            var dying = new DyingPolicy();
            var dyingTables = new ReleaseTables(
                Microsoft.Extensions.Options.Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }),
                DyingPolicy.Options(dying));
            dying.DieAtRequest = crashAt;

            var died = await Record.ExceptionAsync(() =>
                new TableReleaseStore(dyingTables).UpdateAsync(planned.Release.Id, _ => ReleaseChange.Record(null, [moved], []).Returning(true), null, CancellationToken.None));

            var stored = (await store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item(item.Id)!.DueAt!.Value;
            var due = await store.GetDueAsync(stored, stored.AddMinutes(1), CancellationToken.None);
            Assert.True(due.Contains(new DueEntry(planned.Release.Id, item.Id, stored)), $"dying at request {crashAt}: the item is due {stored:u} but the due index has no entry for it, so its reminder is lost");
            if (died is null)
            {
                Assert.Equal(moved.DueAt, stored);
                break;
            }

            Assert.IsType<DyingPolicy.Died>(died);
            crashes++;
        }

        Assert.True(crashes >= 2, $"only {crashes} crash points: the move should write the index and the items separately");
    }

    /// <summary>Stands for the process dying: from the given request on, nothing more reaches storage.</summary>
    private sealed class DyingPolicy : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _requests;

        public int DieAtRequest { get; set; } = int.MaxValue;

        public static Azure.Data.Tables.TableClientOptions Options(DyingPolicy policy)
        {
            var options = new Azure.Data.Tables.TableClientOptions();
            options.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerCall);
            return options;
        }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Die();
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Die();
            return ProcessNextAsync(message, pipeline);
        }

        private void Die()
        {
            if (DieAtRequest != int.MaxValue && Interlocked.Increment(ref _requests) >= DieAtRequest)
            {
                throw new Died();
            }
        }

        public sealed class Died : Exception
        {
            public Died()
                : base("the process died")
            {
            }
        }
    }

    private async Task<PlannedRelease> CreateAsync(ReleaseBuilder builder)
    {
        var planned = builder.BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        return planned;
    }
}
