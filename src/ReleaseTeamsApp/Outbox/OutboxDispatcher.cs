using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Outbox;

/// <summary>What one outbox run did: entries completed by the worker, and notices posted into release threads.</summary>
public sealed record OutboxDispatch(IReadOnlyList<OutboxEntry> Completed, int JoinLinksPosted, int FailuresPosted);

/// <summary>
/// The Outbox timer's work: drains the outbox through <see cref="OutboxWorker"/>, then tells each release thread what
/// came of it: the retrospective's join link, or that a Graph write is dead (to the Release Manager).
/// The worker marks those entries in the same write as their outcome; a post is claimed with an ETag before it is sent
/// and marked done after, so a re-run (or two overlapping runs) never posts twice and a crash never loses the post.
/// </summary>
public sealed class OutboxDispatcher(
    OutboxWorker worker,
    GraphOutbox outbox,
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    Microsoft.Extensions.Options.IOptions<GraphOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>How long a claim on posting a notice holds before another run may post it (the poster died).</summary>
    public static readonly TimeSpan PostLease = TimeSpan.FromMinutes(2);

    public async Task<OutboxDispatch> RunAsync(CancellationToken cancellationToken)
    {
        var completed = await worker.RunAsync(cancellationToken);
        var (joinLinks, failures) = (0, 0);
        foreach (var row in await outbox.GetThreadNoticesDueAsync(cancellationToken))
        {
            Posted posted;
            try
            {
                posted = await PostAsync(row, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One broken release (a corrupt row) must not keep the other threads from hearing; its claim runs out and the next run retries.
                OutboxLog.NoticeFailed(logger, ex, row.ReleaseId, row.Key);
                continue;
            }

            switch (posted)
            {
                case Posted.JoinLink:
                    joinLinks++;
                    break;
                case Posted.Failure:
                    failures++;
                    break;
            }
        }

        return new OutboxDispatch(completed, joinLinks, failures);
    }

    private async Task<Posted> PostAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (row.ThreadNoticeClaimedUntil > now)
        {
            return Posted.Nothing;
        }

        row.ThreadNoticeClaimedUntil = now + PostLease;
        if (!await outbox.TryReplaceAsync(row, cancellationToken))
        {
            return Posted.Nothing;
        }

        var posted = Posted.Nothing;
        if (await store.GetAsync(row.ReleaseId, cancellationToken) is { Release.Thread: not null } state)
        {
            var entry = OutboxEntry.From(row);
            try
            {
                posted = entry.Status == OutboxStatus.Dead
                    ? await PostFailureAsync(state.Release, entry, cancellationToken)
                    : await PostRetrospectiveAsync(state.Release, row, entry, cancellationToken);
            }
            catch (Exception ex) when (ex is ConnectorException or HttpRequestException)
            {
                // The claim runs out and the next run posts it.
                OutboxLog.PostFailed(logger, ex, row.ReleaseId, row.Key);
                return Posted.Nothing;
            }
        }
        else
        {
            OutboxLog.NoThread(logger, row.ReleaseId, row.Key);
        }

        row.ThreadNotice = ThreadNotices.Posted;
        row.ThreadNoticeClaimedUntil = null;
        await outbox.TryReplaceAsync(row, cancellationToken);
        return posted;
    }

    private async Task<Posted> PostRetrospectiveAsync(Release release, OutboxRow row, OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Result?.JoinUrl is null)
        {
            return Posted.Nothing;
        }

        var invited = StoredJson.Read<RetrospectivePayload>(row.Payload).Attendees.Count;
        var card = GraphCards.Retrospective(release, entry.Result, invited, RetrospectiveBooking.Attendees(release, options.Value).Notes);
        await publisher.PostInThreadAsync(null, release, Activity.CreateCardMessage(card, $"Retrospective of {release.Version}"), cancellationToken);
        OutboxLog.JoinLinkPosted(logger, release.Id, entry.Key);
        return Posted.JoinLink;
    }

    private async Task<Posted> PostFailureAsync(Release release, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var message = Activity.CreateMessage(null, TextFormatTypes.Markdown);
        var managers = release.Roles[ReleaseRole.ReleaseManager].Select(p => message.AddMentionEntity(new ChannelAccount(p.Id, p.Name))).ToList();
        var to = managers.Count == 0 ? "Release Manager" : string.Join(" ", managers);
        message.Text = $"{to}: the {What(entry.Kind)} of release {release.Version} could not be sent after {entry.Attempts} attempt(s) and was given up. " +
            $"Last error: {entry.LastError}\n\nFix the cause (see docs/GRAPH.md for permissions), then ask again. Say **outbox {release.Version}** for all Graph requests of this release.";
        await publisher.PostInThreadAsync(null, release, message, cancellationToken);
        return Posted.Failure;
    }

    public static string What(OutboxKind kind) => kind switch
    {
        OutboxKind.RetrospectiveEvent => "retrospective meeting",
        OutboxKind.RetrospectiveAgenda => "retrospective agenda update",
        OutboxKind.AnnouncementMail => "announcement mail",
        _ => kind.ToString(),
    };

    private enum Posted
    {
        Nothing,
        JoinLink,
        Failure,
    }
}
