using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.ReleaseDay;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Signals;

/// <summary>An alert that blocked an item offers the rollback: the release's go/no-go card (with Raise rollback) in its thread, with the alert.</summary>
internal sealed class RollbackOffer(ReleaseThreadPublisher publisher) : ISignalFollowUp
{
    public Task<bool> HandleAsync(ReleaseState state, SignalEvent signal, string key, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task AppliedAsync(ReleaseState state, SignalOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        var blocked = outcome.Applied.Where(a => a.Item.Status == ItemStatus.Blocked && a.Audit.Actor.Id == SignalDecisions.AzureMonitor.Id).ToList();
        if (blocked.Count == 0 || state.Release.Thread is null || state.Release.Rollbacks.Any(r => r.RestoredAt is null))
        {
            return;
        }

        var release = state.Release;
        var offer = Activity.CreateCardMessage(ReleaseDayCards.GoNoGo(state), $"Rollback of {release.Version}?");
        offer.TextFormat = TextFormatTypes.Markdown;
        var holders = new[] { Releases.ReleaseRole.ReleaseManager, Releases.ReleaseRole.EngineeringLead }.SelectMany(r => release.Roles[r]).Where(p => p.HasTeamsId).DistinctBy(p => p.Id).ToList();
        var mentions = string.Join(" ", holders.Select(p => offer.AddMentionEntity(new ChannelAccount(p.Id, p.Name))));
        offer.Text = $"🚨 {string.Join("; ", blocked.Select(b => b.Item.Note))}. It blocks \"{string.Join("\", \"", blocked.Select(b => b.Item.Text))}\". If the release caused it, raise the rollback on this card. {mentions}".TrimEnd();
        await publisher.PostInThreadAsync(null, release, offer, cancellationToken);
    }
}
