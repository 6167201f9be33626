using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>Applies a person's item change through the store the way the card handler does: decide on fresh state, write item + audit.</summary>
public static class ReleaseStoreItemChanges
{
    public static Task<ItemChangeOutcome> ApplyAsync(this IReleaseStore store, string releaseId, ItemChange change, Func<DateTimeOffset> now, string? idempotencyKey = null) =>
        store.UpdateAsync(releaseId, state => Decide(state, change, now()), idempotencyKey, CancellationToken.None);

    public static Decision<ItemChangeOutcome> Decide(ReleaseState state, ItemChange change, DateTimeOffset now)
    {
        var item = state.Item(change.ItemId) ?? throw new InvalidOperationException($"Release {state.Release.Id} has no item {change.ItemId}.");
        var outcome = ItemChanges.Apply(state.Release, item, change, now);
        return outcome is ItemChangeOutcome.Applied applied
            ? new Decision<ItemChangeOutcome>(new ReleaseWrite(null, [applied.Item], [applied.Audit]), outcome)
            : new Decision<ItemChangeOutcome>(ReleaseWrite.Nothing, outcome);
    }
}
