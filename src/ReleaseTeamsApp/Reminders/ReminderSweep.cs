using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A release's due index entries, as a reminder-work queue message.</summary>
public sealed record ReminderWorkItem(string ReleaseId, IReadOnlyList<ReminderWorkEntry> Entries);

public sealed record ReminderWorkEntry(string ItemId, DateTimeOffset DueAt);

/// <summary>What one sweep did.</summary>
/// <param name="Broken">Releases the sweep could not handle (a corrupt row, a failing read); logged and skipped, the others went on.</param>
public sealed record ReminderSweepResult(int DueRows, int Releases, int StaleRemoved, int Postponed, int Sent, int Failed, int Broken = 0);

/// <summary>
/// Finds the items that are due soon or overdue (from the due index only), and posts one digest per person in each
/// release thread, plus an escalation digest to the Release Manager. Quiet hours postpone; sent-markers make every
/// digest go out once, even with overlapping or crashed sweeps, and a sweep after downtime catches up in one digest.
/// </summary>
public sealed partial class ReminderSweep(
    IReleaseStore store,
    DueItemsReader reader,
    SentMarkers markers,
    ReleaseThreadPublisher publisher,
    IOptions<RemindersOptions> options,
    TimeProvider time,
    ILogger<ReminderSweep> logger,
    ReleaseQueues? queues = null)
{
    private const int Parallelism = 16;

    public async Task<ReminderSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = await store.GetDueAsync(now - settings.Lookback, now + settings.DueSoon, cancellationToken);
        var totals = new Totals();
        if (settings.FanOut && queues is not null)
        {
            return await DispatchAsync(due, now, cancellationToken);
        }

        await Parallel.ForEachAsync(
            due.GroupBy(e => e.ReleaseId, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (entries, ct) =>
            {
                try
                {
                    await SweepReleaseAsync(entries.Key, entries.ToList(), now, settings, totals, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // One broken release (a corrupt row, a failing write) must not hold back everyone else's reminders.
                    LogReleaseFailed(logger, ex, entries.Key);
                    Interlocked.Increment(ref totals.Broken);
                }
            });

        var result = new ReminderSweepResult(due.Count, totals.Releases, totals.Stale, totals.Postponed, totals.Sent, totals.Failed, totals.Broken);
        LogSwept(logger, now, result.DueRows, result.Releases, result.Sent, result.Postponed, result.StaleRemoved, result.Failed);
        return result;
    }

    /// <summary>Fan-out: one work item per release with something due; the reminder-work queue trigger sends them.</summary>
    private async Task<ReminderSweepResult> DispatchAsync(IReadOnlyList<DueEntry> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await queues!.EnsureCreatedAsync();
        var releases = due.GroupBy(e => e.ReleaseId, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(releases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (entries, ct) =>
        {
            var item = new ReminderWorkItem(entries.Key, entries.Select(e => new ReminderWorkEntry(e.ItemId, e.DueAt)).ToList());
            await queues.ReminderWork.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(item, StoredJson.Options), ct);
        });
        LogDispatched(logger, now, due.Count, releases.Count);
        return new ReminderSweepResult(due.Count, releases.Count, 0, 0, 0, 0, 0);
    }

    /// <summary>
    /// One release's reminders from a reminder-work message: the same claims and sent-markers as the timer's own sweep,
    /// so a redelivered message or two instances on one release never send a digest twice.
    /// </summary>
    public async Task<ReminderSweepResult> RunReleaseAsync(string message, CancellationToken cancellationToken)
    {
        var item = System.Text.Json.JsonSerializer.Deserialize<ReminderWorkItem>(message, StoredJson.Options)
            ?? throw new System.Text.Json.JsonException("A reminder-work message was empty.");
        var totals = new Totals();
        var entries = item.Entries.Select(e => new DueEntry(item.ReleaseId, e.ItemId, e.DueAt)).ToList();
        await SweepReleaseAsync(item.ReleaseId, entries, time.GetUtcNow(), options.Value, totals, cancellationToken);
        return new ReminderSweepResult(entries.Count, totals.Releases, totals.Stale, totals.Postponed, totals.Sent, totals.Failed, totals.Broken);
    }

    private async Task SweepReleaseAsync(string releaseId, IReadOnlyList<DueEntry> entries, DateTimeOffset now, RemindersOptions settings, Totals totals, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref totals.Releases);
        var state = await reader.ReadAsync(releaseId, entries.Select(e => e.ItemId).ToList(), cancellationToken);

        // An index row is current only while its item is open and still due at that time (a moved date leaves the old row behind).
        var current = entries.Where(e => state is { Release.Status: not ReleaseStatus.Closed } && state.Item(e.ItemId) is { IsSettled: false } item && item.DueAt == e.DueAt).ToList();
        foreach (var stale in entries.Except(current))
        {
            await store.RemoveDueAsync(stale, cancellationToken);
            Interlocked.Increment(ref totals.Stale);
        }

        if (state is null || current.Count == 0)
        {
            return;
        }

        var release = state.Release;
        if (release.Thread is null)
        {
            return;
        }

        // Digests are bulk traffic: they wait for their tenant's budget and leave room for clicks and replies.
        using var traffic = ConnectorTraffic.Begin(release.Channel.TenantId, SendPriority.Bulk);

        if (QuietHours.IsQuiet(release, now, settings))
        {
            // Postponed, not dropped: the index rows stay, so the first sweep after quiet hours sends.
            Interlocked.Increment(ref totals.Postponed);
            return;
        }

        var items = current.Select(e => state.Item(e.ItemId)!).DistinctBy(i => i.Id).ToList();
        var digests = ReminderPlan.Digests(release, items, now, settings);
        if (digests.Count == 0)
        {
            return;
        }

        // Today's ledger (one row) says what each person already heard; the claims below still decide who sends.
        var ledger = await markers.LedgerAsync(release.Id, ReminderDigest.Day(release, now), cancellationToken);
        var uncovered = digests.Where(d => !ledger.Covers(ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys)).ToList();
        if (uncovered.Count == 0)
        {
            return;
        }

        // One transaction claims every digest of the release; only when one was claimed before is each claimed on its own.
        var batch = uncovered.Count > 1
            ? await markers.TryClaimAllAsync(release.Id, uncovered.Select(d => (d.MarkerKey(now), d.Recipient.Id, string.Join(",", d.ItemKeys))).ToList(), cancellationToken)
            : null;
        var sent = new List<(SentMarkerRow Claim, ReminderDigest Digest)>();
        try
        {
            for (var i = 0; i < uncovered.Count; i++)
            {
                var digest = uncovered[i];
                var claim = batch is not null
                    ? batch[i]
                    : await markers.TryClaimAsync(release.Id, digest.MarkerKey(now), digest.Recipient.Id, string.Join(",", digest.ItemKeys), cancellationToken);
                if (claim is not null && await SendAsync(digest, claim, now, totals, cancellationToken))
                {
                    sent.Add((claim, digest));
                }
            }
        }
        finally
        {
            // Even when a send threw, what did go out is marked, so no one hears it twice after the lease.
            var after = sent.Count == 0 ? null : ledger.After(sent.Select(s => (ReminderDigest.KindName(s.Digest.Kind), s.Digest.Recipient.Id, s.Digest.ItemKeys.AsEnumerable())));
            await markers.MarkAllSentAsync(sent.Select(s => s.Claim).ToList(), after, CancellationToken.None);
            Interlocked.Add(ref totals.Sent, sent.Count);
        }
    }

    private async Task<bool> SendAsync(ReminderDigest digest, SentMarkerRow claim, DateTimeOffset now, Totals totals, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PostInThreadAsync(null, digest.Release, Message(digest, now), cancellationToken);
            await DigestSignalNotes.MarkToldAsync(store, digest, DigestSignalNotes.For(digest), now, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, ex, digest.Release.Version, digest.Recipient.Id, claim.Attempts);
            await markers.ReleaseAsync(claim, ex.Message, CancellationToken.None);
            Interlocked.Increment(ref totals.Failed);
            return false;
        }
    }

    public static Activity Message(ReminderDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var card = ReminderCards.Digest(digest, now);
        var summary = digest.Kind == ReminderKind.Escalation
            ? $"Escalation: {Count(digest.Items.Count, "overdue item")} in release {digest.Release.Version}"
            : $"{Count(digest.Items.Count, "item")} need{(digest.Items.Count == 1 ? "s" : "")} you in release {digest.Release.Version}";
        var activity = Activity.CreateCardMessage(card, summary);
        var at = activity.AddMentionEntity(new ChannelAccount(digest.Recipient.Id, digest.Recipient.Name));
        var overdue = digest.Items.Count(i => i.IsOverdue(now));
        activity.Text = digest.Kind == ReminderKind.Escalation
            ? $"{at} {Count(digest.Items.Count, "item")} of release {digest.Release.Version} {(digest.Items.Count == 1 ? "is" : "are")} overdue beyond the escalation limit."
            : overdue > 0
                ? $"{at} you have {Count(digest.Items.Count, "item")} in release {digest.Release.Version} that need{(digest.Items.Count == 1 ? "s" : "")} you ({overdue} overdue)."
                : $"{at} you have {Count(digest.Items.Count, "item")} due soon in release {digest.Release.Version}.";
        activity.Text += DigestSignalNotes.Text(digest.Release, DigestSignalNotes.For(digest));
        activity.TextFormat = TextFormatTypes.Markdown;
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows in {Releases} releases put on the reminder-work queue")]
    private static partial void LogDispatched(ILogger logger, DateTimeOffset now, int dueRows, int releases);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private sealed class Totals
    {
        public int Releases;
        public int Stale;
        public int Postponed;
        public int Sent;
        public int Failed;
        public int Broken;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows in {Releases} releases, {Sent} digests sent, {Postponed} releases in quiet hours, {Stale} stale rows removed, {Failed} failed")]
    private static partial void LogSwept(ILogger logger, DateTimeOffset now, int dueRows, int releases, int sent, int postponed, int stale, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder sweep skipped release {ReleaseId}: it could not be handled; the other releases went on and the next sweep tries it again")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string releaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder for release {Version} to {RecipientId} not sent (attempt {Attempt}); the next sweep retries")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string version, string recipientId, int attempt);
}
