using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.FollowUps;

/// <summary>What one follow-up sweep did.</summary>
/// <param name="Broken">Releases the sweep could not handle (a corrupt row, a failing read); logged and skipped, the others went on.</param>
public sealed record FollowUpSweepResult(int Tracked, int Sent, int Closed, int Broken = 0);

/// <summary>
/// After a deployment finished: monitoring check-ins at +24 h and +48 h, the support handoff and metrics prompts, the
/// retrospective request, and — once every post-release item is settled — the release closed with its report.
/// Each step happens once (sent-markers, kind followup-…); messages wait out quiet hours.
/// </summary>
public sealed class FollowUpSweep(
    IReleaseStore store,
    DueItemsReader reader,
    SentMarkers markers,
    ReleaseTables tables,
    ReleaseThreadPublisher publisher,
    RetrospectiveBooking retrospective,
    ReleaseClosing closing,
    IOptions<RemindersOptions> options,
    TimeProvider time,
    ILogger<FollowUpSweep> logger)
{
    /// <summary>Releases whose deployment finished and that are not closed yet (row key = release id).</summary>
    private const string TrackingPartition = "followups";

    private const string CloseKind = "followup-close";

    private static readonly FollowUp[] Schedule =
    [
        new("followup-retro", TimeSpan.Zero, null),
        new("followup-metrics", TimeSpan.FromHours(1), ItemBehaviour.MetricsCapture),
        new("followup-24h", TimeSpan.FromHours(24), ItemBehaviour.MonitoringCheckIn24h),
        new("followup-handoff", TimeSpan.FromHours(24), ItemBehaviour.SupportHandoff),
        new("followup-48h", TimeSpan.FromHours(48), ItemBehaviour.MonitoringCheckIn48h),
    ];

    public async Task<FollowUpSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await tables.EnsureCreatedAsync();
        var tracked = await TrackedAsync(cancellationToken);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        await DiscoverAsync(now, tracked, broken, cancellationToken);

        var sent = 0;
        var closed = 0;
        foreach (var releaseId in tracked)
        {
            try
            {
                var (s, c) = await FollowUpAsync(releaseId, now, cancellationToken);
                sent += s;
                closed += c ? 1 : 0;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One broken release must not hold back the follow-ups of the others; it stays tracked for the next sweep.
                FollowUpLog.ReleaseFailed(logger, ex, releaseId);
                broken.Add(releaseId);
            }
        }

        FollowUpLog.Swept(logger, now, tracked.Count, sent, closed);
        return new FollowUpSweepResult(tracked.Count, sent, closed, broken.Count);
    }

    private async Task<HashSet<string>> TrackedAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in tables.Reminders.QueryAsync<TableEntity>($"PartitionKey eq '{TrackingPartition}'", select: ["RowKey", "ReleaseId"], cancellationToken: cancellationToken))
        {
            ids.Add(row.GetString("ReleaseId") ?? row.RowKey);
        }

        return ids;
    }

    /// <summary>A finished deployment is found through the release's post-release items in the due index (they are due T … T+7d).</summary>
    private async Task DiscoverAsync(DateTimeOffset now, HashSet<string> tracked, HashSet<string> broken, CancellationToken cancellationToken)
    {
        var due = await store.GetDueAsync(now - TimeSpan.FromDays(1), now + TimeSpan.FromDays(8), cancellationToken);
        foreach (var releaseId in due.Select(e => e.ReleaseId).Distinct(StringComparer.Ordinal).Where(id => !tracked.Contains(id)))
        {
            ReleaseState? state;
            try
            {
                state = await reader.ReadAsync(releaseId, [], cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                FollowUpLog.ReleaseFailed(logger, ex, releaseId);
                broken.Add(releaseId);
                continue;
            }

            if (state?.Release is { Deployment.FinishedAt: not null, Status: not ReleaseStatus.Closed })
            {
                var row = new TableEntity(TrackingPartition, TableKeys.Escape(releaseId)) { ["ReleaseId"] = releaseId, ["Since"] = now };
                await tables.Reminders.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                tracked.Add(releaseId);
            }
        }
    }

    private async Task<(int Sent, bool Closed)> FollowUpAsync(string releaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = await store.GetAsync(releaseId, cancellationToken);
        var closeMarker = await markers.GetAsync(releaseId, CloseKind, cancellationToken);
        if (state is null || (state.Release.Status == ReleaseStatus.Closed && closeMarker is null) || closeMarker?.State is nameof(SentMarkerState.Sent) or nameof(SentMarkerState.Abandoned))
        {
            // Closed by someone (the close command) or by us earlier: nothing more to follow up.
            await UntrackAsync(releaseId, cancellationToken);
            return (0, false);
        }

        var release = state.Release;
        if (release.Deployment?.FinishedAt is not { } finished)
        {
            return (0, false);
        }

        using var traffic = ConnectorTraffic.Begin(release.Channel.TenantId, SendPriority.Bulk);

        var sent = 0;
        if (release.Status != ReleaseStatus.Closed)
        {
            var quiet = QuietHours.IsQuiet(release, now, options.Value);
            foreach (var followUp in Schedule.Where(f => now >= finished + f.After))
            {
                var item = followUp.Behaviour is null ? null : ItemBehaviours.Find(state, followUp.Behaviour);
                if (followUp.Behaviour is not null && item is not { IsSettled: false })
                {
                    continue;
                }

                if (followUp.Behaviour is not null && quiet)
                {
                    continue;
                }

                sent += await OnceAsync(release.Id, followUp.Kind, ct => followUp.Behaviour is null ? RequestRetrospectiveAsync(state, ct) : PostAsync(state, followUp, item!, now, ct), cancellationToken) ? 1 : 0;
            }
        }

        if (!PostReleaseItems(state).All(i => i.IsSettled))
        {
            return (sent, false);
        }

        var closedNow = await OnceAsync(release.Id, CloseKind, ct => closing.CloseAsync(release.Id, Closer.AllSettled, null, $"close|{release.Id}", ct), cancellationToken);
        if (closedNow)
        {
            await UntrackAsync(releaseId, cancellationToken);
        }

        return (sent, closedNow);
    }

    /// <summary>The items that must be settled before the release closes: every item of the post-release phases and the monitoring check-ins.</summary>
    public static IEnumerable<ChecklistItem> PostReleaseItems(ReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var phases = ReleaseCards.PhasesOf(state).Where(p => p.Kind == PhaseKind.PostRelease).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return state.Items.Where(i => phases.Contains(i.PhaseId) || ItemBehaviours.Of(state, i) is ItemBehaviour.MonitoringCheckIn24h or ItemBehaviour.MonitoringCheckIn48h);
    }

    private async Task<bool> OnceAsync(string releaseId, string kind, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var claim = await markers.TryClaimAsync(releaseId, kind, "", "", cancellationToken);
        if (claim is null)
        {
            return false;
        }

        try
        {
            await send(cancellationToken);
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or RequestFailedException or TableTransactionFailedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            FollowUpLog.Failed(logger, ex, kind, releaseId, claim.Attempts);
            await markers.ReleaseAsync(claim, ex.Message, CancellationToken.None);
            return false;
        }

        await markers.MarkSentAsync(claim, CancellationToken.None);
        return true;
    }

    private async Task RequestRetrospectiveAsync(ReleaseState state, CancellationToken cancellationToken)
    {
        var audit = await store.GetAuditAsync(state.Release.Id, cancellationToken);
        await retrospective.RequestAsync(state, audit, state.Release.Deployment?.Duration, cancellationToken);
    }

    private async Task PostAsync(ReleaseState state, FollowUp followUp, ChecklistItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var prompt = FollowUpPrompts.Of(release, followUp.Kind, item);
        var activity = Activity.CreateCardMessage(ReminderCards.FollowUp(release, prompt), prompt.Title);
        var people = release.Roles[item.Owner].Count > 0 ? release.Roles[item.Owner] : release.Roles[ReleaseRole.ReleaseManager];
        var mentions = string.Join(" ", people.Select(p => activity.AddMentionEntity(new ChannelAccount(p.Id, p.Name))));
        activity.Text = (mentions.Length > 0 ? mentions + " " : "") + prompt.Text;
        activity.TextFormat = TextFormatTypes.Markdown;
        await publisher.PostInThreadAsync(null, release, activity, cancellationToken);
        FollowUpLog.Sent(logger, followUp.Kind, release.Version, now);
    }

    private async Task UntrackAsync(string releaseId, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Reminders.DeleteEntityAsync(TrackingPartition, TableKeys.Escape(releaseId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another sweep untracked it first.
        }
    }

    /// <param name="Behaviour">The template behaviour of the item the follow-up asks about; null for the retrospective request.</param>
    private sealed record FollowUp(string Kind, TimeSpan After, string? Behaviour);
}
