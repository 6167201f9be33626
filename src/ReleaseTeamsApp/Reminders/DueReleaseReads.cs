using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Reads the due releases of a sweep (one query each, <see cref="Parallelism"/> side by side), drops stale index rows
/// and plans who hears about what. A channel is handed on as soon as all of its releases are read, so its messages go
/// out while the other channels are still being read.
/// </summary>
internal sealed class DueReleaseReads(IReleaseStore store, DueItemsReader reader, SentMarkers markers, ILogger logger)
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
            await Parallel.ForEachAsync(releases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (next, ct) =>
            {
                try
                {
                    prepared[next.Channel][next.Index] = await PrepareAsync(next.Release, sweep, ct);
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

    private async Task<PreparedRelease?> PrepareAsync(DueRelease due, SweepContext sweep, CancellationToken cancellationToken)
    {
        var (now, settings) = (sweep.Now, sweep.Settings);
        var entries = due.Entries;
        var state = await reader.ReadAsync(due.ReleaseId, entries.Select(e => e.ItemId).ToList(), cancellationToken);

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
        // Muted: nothing to send, and the ledger records that, so later sweeps skip the release until it is unmuted (a new stamp).
        var digests = release.RemindersMuted ? [] : ReminderPlan.Digests(release, items, now, settings);
        var day = ReminderDigest.Day(release, now);
        var ledger = sweep.Ledgers.TryGetValue((day, release.Id), out var found)
            ? found
            : sweep.Days.Contains(day) ? new SentLedger(release.Id, day, new Dictionary<string, IReadOnlySet<string>>()) : await markers.LedgerAsync(release.Id, day, cancellationToken);
        var uncovered = digests.Where(d => !ledger.Covers(ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys)).ToList();

        // What lets later sweeps of the day skip this release once every digest it needs went out.
        var stamp = DueRelease.StampOf(current);
        var completion = stamp is null
            ? ((string, IEnumerable<string>, IEnumerable<string>)?)null
            : (stamp, items.Select(ReminderDigest.ItemKey).ToList(), items.Where(i => now - i.DueAt!.Value > settings.EscalateAfter).Select(ReminderDigest.ItemKey).ToList());
        return new PreparedRelease(release, ledger, uncovered, completion);
    }
}

/// <summary>What every step of one sweep shares: its time, settings, the day's ledgers read up front and its counts.</summary>
internal sealed record SweepContext(DateTimeOffset Now, RemindersOptions Settings, IReadOnlyDictionary<(string, string), SentLedger> Ledgers, IReadOnlySet<string> Days, SweepTotals Totals);
