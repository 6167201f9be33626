using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Checklist;

/// <summary>
/// A person's item change decided on fresh state, the one way every tick, N/A, block and note is decided: the item
/// rules (<see cref="ItemChanges.Apply"/>), then what the item's declared behaviour adds to the write.
/// </summary>
/// <param name="Outcome">What the item rules said.</param>
/// <param name="Change">Everything to commit (the item, its audit row and what its behaviour adds) and the notice for the person.</param>
/// <param name="RollbackDecisionChanged">The rollback decision card shows something new (e.g. the restore time).</param>
internal sealed record ItemDecision(ItemChangeOutcome Outcome, ReleaseChange Change, bool RollbackDecisionChanged)
{
    /// <returns>The decision, or null when the release has no such item.</returns>
    public static ItemDecision? Decide(ReleaseState state, ItemChange asked, DateTimeOffset now, ItemBehaviours behaviours)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(behaviours);
        if (state.Item(asked.ItemId) is not { } item)
        {
            return null;
        }

        // A redelivered invoke (same idempotency key) changes nothing, whatever the item looks like now.
        var outcome = state.IsDuplicate ? ItemChanges.AlreadySo(item) : ItemChanges.Apply(state.Release, item, asked, now);
        if (outcome is not ItemChangeOutcome.Applied applied)
        {
            return new(outcome, outcome.Change, RollbackDecisionChanged: false);
        }

        var followOn = behaviours.Changed(state, applied, now);
        return new(outcome, followOn.Change, followOn.RollbackDecisionChanged);
    }
}
