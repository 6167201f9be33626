using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Testing;
using ReleaseTeamsApp.Tests.Testing;

namespace ReleaseTeamsApp.Tests.Storage;

/// <summary>Concurrent ticks on one release: none lost, all audited (412s are retried by re-applying the person's intent).</summary>
[Collection(AzuriteTests.Name)]
public sealed class TableReleaseStoreConcurrencyTests(AzuriteFixture azurite)
{
    private const string SharedItem = "infra-staging-smoke";

    private static readonly DateTimeOffset Start = new(2026, 6, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly IReleaseStore _store = azurite.StoreFor(typeof(TableReleaseStoreConcurrencyTests));
    private long _ticks;

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    public async Task UpdateAsync_ConcurrentNotesOnTheSameItem_AllAppliedAndAudited(int writers)
    {
        // Everyone gets the Release Manager role so all of them may note Bob's item.
        var builder = new ReleaseBuilder();
        var people = Enumerable.Range(0, writers).Select(i => new Person($"29:writer{i}", $"Writer {i}")).ToList();
        people.ForEach(p => builder.AlsoWithRole(ReleaseRole.ReleaseManager, p));
        var planned = builder.BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        using var go = new SemaphoreSlim(0, writers);
        var notes = people.Select(async (person, i) =>
        {
            await go.WaitAsync();
            return await _store.ApplyAsync(planned.Release.Id, new ItemChange(SharedItem, ItemAction.Note, person, Note: $"note {i}"), Now);
        }).ToList();

        go.Release(writers);
        var outcomes = await Task.WhenAll(notes);

        Assert.All(outcomes, o => Assert.IsType<ItemChangeOutcome.Applied>(o));
        if (writers >= 20)
        {
            // More decisions than writers: some lost the race (412) and re-applied their note on fresh state.
            Assert.True(Interlocked.Read(ref _ticks) > writers, "expected concurrent writers to collide and retry");
        }

        var audit = (await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None)).Where(a => a.ItemId == SharedItem).ToList();
        Assert.Equal(Enumerable.Range(0, writers).Select(i => $"note {i}").Order(), audit.Select(a => a.Note!).Order());
        Assert.Equal(people.Select(p => p.Id).Order(), audit.Select(a => a.Actor.Id).Order());
        var last = audit.MaxBy(a => a.At)!;
        var item = (await _store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item(SharedItem)!;
        Assert.Equal((last.Note, last.Actor, last.At), (item.Note, item.ChangedBy, item.ChangedAt));
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentCompletesOnDifferentItems_AllApplied()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var preRelease = planned.Items.Where(i => i.PhaseId == "pre-release").ToList();
        using var go = new SemaphoreSlim(0, preRelease.Count);
        var completes = preRelease.Select(async item =>
        {
            await go.WaitAsync();
            return await _store.ApplyAsync(planned.Release.Id, new ItemChange(item.Id, ItemAction.Complete, People.Holding(item.Owner)), Now);
        }).ToList();

        go.Release(preRelease.Count);
        var outcomes = await Task.WhenAll(completes);

        Assert.All(outcomes, o => Assert.IsType<ItemChangeOutcome.Applied>(o));
        var state = await _store.GetAsync(planned.Release.Id, CancellationToken.None);
        Assert.All(state!.Phase("pre-release"), i => Assert.Equal(ItemStatus.Done, i.Status));
        Assert.All(state.Phase("release-day"), i => Assert.Equal(ItemStatus.Open, i.Status));
        var audit = await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None);
        Assert.Equal(preRelease.Select(i => i.Id).Order(), audit.Where(a => a.Action == AuditActions.ItemCompleted).Select(a => a.ItemId!).Order());
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentCompleteAndBlockOnTheSameItem_BothAuditedAndFinalStateIsTheLast()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);

        var outcomes = await Task.WhenAll(
            _store.ApplyAsync(planned.Release.Id, new ItemChange(SharedItem, ItemAction.Complete, People.Bob), Now),
            _store.ApplyAsync(planned.Release.Id, new ItemChange(SharedItem, ItemAction.Block, People.Alice, Note: "staging is down"), Now));

        Assert.All(outcomes, o => Assert.IsType<ItemChangeOutcome.Applied>(o));
        var audit = (await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None)).Where(a => a.ItemId == SharedItem).ToList();
        Assert.Equal([AuditActions.ItemBlocked, AuditActions.ItemCompleted], audit.Select(a => a.Action).Order());
        var last = audit.MaxBy(a => a.At)!;
        var item = (await _store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item(SharedItem)!;
        Assert.Equal(last.After, item.Status.Label());
        Assert.Equal(audit.MinBy(a => a.At)!.After, last.Before);
    }

    [Fact]
    public async Task UpdateAsync_SameIdempotencyKeyConcurrently_AppliedOnce()
    {
        var planned = new ReleaseBuilder().BuildPlanned();
        await _store.CreateAsync(planned.Release, planned.Items, planned.Created, CancellationToken.None);
        var count = 0;
        ReleaseChange<int> AppendNote(ReleaseState state)
        {
            // Every decision writes something, so only the idempotency marker can stop the second one.
            var n = Interlocked.Increment(ref count);
            var item = state.Item(SharedItem)!;
            var audit = new AuditEvent(planned.Release.Id, Now(), People.Bob, AuditActions.ItemNoted, SharedItem, Note: $"attempt {n}");
            return ReleaseChange.Record(null, [item with { Note = (item.Note ?? "") + "+" }], [audit]).Returning(n);
        }

        await Task.WhenAll(
            _store.UpdateAsync(planned.Release.Id, AppendNote, "invoke-42", CancellationToken.None),
            _store.UpdateAsync(planned.Release.Id, AppendNote, "invoke-42", CancellationToken.None));

        Assert.Equal("+", (await _store.GetAsync(planned.Release.Id, CancellationToken.None))!.Item(SharedItem)!.Note);
        Assert.Single(await _store.GetAuditAsync(planned.Release.Id, CancellationToken.None), a => a.ItemId == SharedItem);
    }

    // Strictly increasing: the commit that wins last decided last, so its audit row has the latest time.
    private DateTimeOffset Now() => Start.AddTicks(Interlocked.Increment(ref _ticks) * TimeSpan.TicksPerMillisecond);
}
