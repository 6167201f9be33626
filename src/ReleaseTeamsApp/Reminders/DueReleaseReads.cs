using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Reads the due releases of a sweep (one query each, <see cref="Parallelism"/> side by side), drops stale index rows
/// and plans who hears about what. A channel is handed on as soon as all of its releases are read, so its messages go
/// out while the other channels are still being read.
/// </summary>
internal sealed class DueReleaseReads(IReleaseStore store, DueItemsReader reader, SentMarkers markers, ILogger logger, ReleaseLinks? links = null)
{
    public const int Parallelism = 16;

    /// <summary>Reads the channels' releases in order and writes each channel's prepared releases once the last of them is read.</summary>
    public async Task ReadChannelsAsync(IReadOnlyList<IReadOnlyList<DueRelease>> channels, SweepContext sweep, ChannelWriter<IReadOnlyList<PreparedRelease>> read, CancellationToken cancellationToken)
    {
        var left = channels.Select(c => c.Count).ToArray();
        var prepared = channels.Select(c => new PreparedRelease?[c.Count]).ToArray();
        var releases = channels.SelectMany((channel, c) => channel.Select((release, r) => (Channel: c, Index: r, Release: release)));
        Exception? failure = null;
        try
        {
            // Releases that may escalate: their earlier ledgers (what the last escalation said) in a query per dozen, up front.
            var escalating = channels.SelectMany(c => c).Where(r => r.Day is not null && r.Entries.Any(e => sweep.Now - e.DueAt > sweep.Settings.EscalateAfter)).Select(r => (r.ReleaseId, r.Day!)).ToList();
            var earlier = await markers.EarlierLedgersAsync(escalating, cancellationToken);
            await Parallel.ForEachAsync(releases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (next, ct) =>
            {
                try
                {
                    prepared[next.Channel][next.Index] = await PrepareAsync(next.Release, earlier.GetValueOrDefault(next.Release.ReleaseId), sweep, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // One broken release (a corrupt row, a failing write) must not hold back everyone else's reminders.
                    ReminderLog.ReleaseFailed(logger, ex, next.Release.ReleaseId);
                    Interlocked.Increment(ref sweep.Totals.Broken);
                }

                if (Interlocked.Decrement(ref left[next.Channel]) == 0)
                {
                    await read.WriteAsync(prepared[next.Channel].OfType<PreparedRelease>().ToList(), ct);
                }
            });
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            read.TryComplete(failure);
        }
    }

    /// <param name="earlier">The release's ledgers of earlier days when it may escalate (read up front), else null.</param>
    private async Task<PreparedRelease?> PrepareAsync(DueRelease due, IReadOnlyList<SentLedger>? earlier, SweepContext sweep, CancellationToken cancellationToken)
    {
        var (now, settings) = (sweep.Now, sweep.Settings);
        var entries = due.Entries;
        // The items the previous escalation listed are read with the due ones, so "done since" costs no request of its own.
        var named = entries.Select(e => e.ItemId).Concat(EscalationBaseline.ItemIdsIn(earlier ?? [])).Distinct(StringComparer.Ordinal).ToList();
        var state = await reader.ReadAsync(due.ReleaseId, named, cancellationToken);

        // An index row is current only while its item is open and still due at that time (a moved date leaves the old row behind).
        var current = entries.Where(e => state is { Release.Status: not ReleaseStatus.Closed } && state.Item(e.ItemId) is { IsSettled: false } item && item.DueAt == e.DueAt).ToList();
        foreach (var stale in entries.Except(current))
        {
            await store.RemoveDueAsync(stale, cancellationToken);
            Interlocked.Increment(ref sweep.Totals.Stale);
        }

        if (state is null || current.Count == 0 || state.Release.Thread is null)
        {
            return null;
        }

        var release = state.Release;
        if (QuietHours.IsQuiet(release, now, settings))
        {
            Interlocked.Increment(ref sweep.Totals.Postponed);
            return null;
        }

        var items = current.Select(e => state.Item(e.ItemId)!).DistinctBy(i => i.Id).ToList();
        var day = ReminderDigest.Day(release, now);
        var dashboard = links?.Dashboard(release);
        // Muted: nothing to send, and the ledger records that, so later sweeps skip the release until it is unmuted (a new stamp).
        var planned = release.RemindersMuted ? [] : ReminderPlan.Digests(release, items, now, settings);
        if (earlier is null && planned.Any(d => d.Kind == ReminderKind.Escalation))
        {
            // Indexed without its time zone, so not read up front: this release's own history query.
            earlier = (await markers.EarlierLedgersAsync([(release.Id, day)], cancellationToken))[release.Id];
            var before = EscalationBaseline.ItemIdsIn(earlier).Where(id => state.Item(id) is null).ToList();
            state = before.Count == 0 ? state : await reader.ReadAsync(release.Id, named.Concat(before).ToList(), cancellationToken) ?? state;
        }

        var digests = planned.Select(d => d.Kind == ReminderKind.Escalation
                ? d with { Dashboard = dashboard, Change = EscalationChange.Between(EscalationBaseline.Latest(earlier!, d.Recipient.Id), d.Items, state.Item) }
                : d with { Dashboard = dashboard })
            .ToList();
        var ledger = sweep.Ledgers.TryGetValue((day, release.Id), out var found)
            ? found
            : sweep.Days.Contains(day) ? new SentLedger(release.Id, day, new Dictionary<string, IReadOnlySet<string>>()) : await markers.LedgerAsync(release.Id, day, cancellationToken);
        var uncovered = digests.Where(d => !ledger.Covers(ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys)).ToList();

        // What lets later sweeps of the day skip this release once every digest it needs went out; a snoozed item is not
        // done for the day until its snooze ends, so the sweep after that still reads the release.
        var stamp = DueRelease.StampOf(current);
        var completion = stamp is null
            ? ((string, IEnumerable<string>, IEnumerable<string>)?)null
            : (stamp, items.Where(i => i.Snoozes?.Any(z => z.Until > now) != true).Select(ReminderDigest.ItemKey).ToList(), items.Where(i => now - i.DueAt!.Value > settings.EscalateAfter).Select(ReminderDigest.ItemKey).ToList());
        return new PreparedRelease(release, ledger, uncovered, completion);
    }
}

/// <summary>What every step of one sweep shares: its time, settings, the day's ledgers read up front and its counts.</summary>
internal sealed record SweepContext(DateTimeOffset Now, RemindersOptions Settings, IReadOnlyDictionary<(string, string), SentLedger> Ledgers, IReadOnlySet<string> Days, SweepTotals Totals);
