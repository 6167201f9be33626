using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>rollback.restore: ticking the item while an approved rollback is open marks that rollback restored.</summary>
internal sealed class RollbackRestoreBehaviour : IItemBehaviour
{
    public string Behaviour => ItemBehaviour.RollbackRestore;

    public ItemFollowOn Changed(ReleaseState state, ItemChangeOutcome.Applied applied, DateTimeOffset now)
    {
        var change = ReleaseDaySteps.ItemChanged(state, applied, now);
        return new ItemFollowOn(change, RollbackDecisionChanged: ReleaseDaySteps.RestoredBy(state.With(change), applied) is not null);
    }
}
