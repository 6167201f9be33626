using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>
/// What a committed release-day step posts and asks for: the go/no-go card, the incident notice and rollback decision
/// card, the rollback checklist, stakeholder announcements and the retrospective. A posted card's activity id is
/// stamped on the release in one write; the state returned is that write applied, not a fresh read.
/// </summary>
internal sealed class ReleaseDayThread(
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    ReleaseCards cards,
    StakeholderAnnouncements announcements,
    RetrospectiveBooking retrospective,
    ILogger<ReleaseDayThread> logger)
{
    public async Task<ReleaseState> PostGoNoGoAsync(ReleaseState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Release.Thread is not { } thread)
        {
            return state;
        }

        var id = await publisher.PostAsync(thread, ReleaseDayCards.GoNoGo(state), $"Go/no-go {state.Release.Version}", cancellationToken);
        return await StampAsync(state.Release.Id, r => r with { GoNoGo = (r.GoNoGo ?? GoNoGo.Empty) with { CardActivityId = id } }, cancellationToken);
    }

    public async Task<ReleaseState> RaisedAsync(TurnContext turn, ReleaseState state, RollbackEvent rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rollback);
        var release = state.Release;
        var mentioned = new[] { ReleaseRole.ReleaseManager, ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.SelectMany(r => release.Roles[r]).DistinctBy(p => p.Id).ToList();
        var notice = Activity.CreateCardMessage(ReleaseDayCards.IncidentNotice(release, rollback), $"Rollback of {release.Version} raised");
        notice.TextFormat = TextFormatTypes.Markdown;
        notice.Text = $"🚨 Rollback of {release.Version} raised by {rollback.RaisedBy.Name}: " + string.Join(" ", mentioned.Select(p => notice.AddMentionEntity(new ChannelAccount(p.Id, p.Name))));
        await publisher.PostInThreadAsync(turn, release, notice, cancellationToken);
        if (release.Thread is not { } thread)
        {
            return state;
        }

        var id = await publisher.PostAsync(thread, ReleaseDayCards.RollbackDecision(state, rollback), $"Rollback decision {release.Version}", cancellationToken);
        return await StampAsync(release.Id, r => r with { Rollbacks = r.Rollbacks.Select(x => x.Id == rollback.Id ? x with { CardActivityId = id } : x).ToList() }, cancellationToken);
    }

    /// <summary>An approved rollback: its checklist card in the thread, the rollback announcement and the retrospective request.</summary>
    public async Task<ReleaseState> ApprovedAsync(TurnContext turn, ReleaseState state, RollbackEvent rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rollback);
        var release = state.Release;
        if (release.Thread is { } thread && ItemBehaviours.RollbackPhase(state) is { } phase && !thread.PhaseCardActivityIds.ContainsKey(phase))
        {
            var id = await publisher.PostAsync(thread, cards.Phase(state, phase, null), $"Rollback checklist {release.Version}", cancellationToken);
            state = await StampAsync(release.Id, r => r with { Thread = r.Thread!.WithPhaseCard(phase, id) }, cancellationToken);
        }

        await AnnounceAsync(turn, state, AnnouncementKind.Rollback, cancellationToken);
        var audit = await store.GetAuditAsync(release.Id, cancellationToken);
        await retrospective.RequestAsync(state, audit, release.Deployment?.Duration, cancellationToken);
        ReleaseDayLog.RollbackStarted(logger, release.Id, rollback.Id);
        return state;
    }

    public async Task AnnounceAsync(TurnContext turn, ReleaseState state, AnnouncementKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(state);
        var result = await announcements.EnqueueAsync(state, kind, turn.Actor, turn.IsChannel, cancellationToken);
        ReleaseDayLog.Announcement(logger, state.Release.Id, kind, result.Outcome);
        // A refused automatic announcement is said in the conversation, so the Release Manager knows stakeholders heard nothing.
        if (result.Outcome is AnnouncementOutcome.DailyLimitReached or AnnouncementOutcome.NotFromTeamChannel
            || (result.Outcome == AnnouncementOutcome.NoStakeholders && result.Preview.LeftOut.Count > 0))
        {
            await publisher.ReplyTextAsync(turn, result.Message, cancellationToken);
        }
    }

    /// <summary>Stamps a posted card's activity id on the release in one write (no idempotency key: it re-applies on fresh state).</summary>
    private async Task<ReleaseState> StampAsync(string releaseId, Func<Release, Release> stamp, CancellationToken cancellationToken) =>
        (await store.ChangeAsync(releaseId, s => ReleaseChange.Record(stamp(s.Release)), null, cancellationToken)).State;
}
