using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Finds the items that are due soon or overdue (from the due index only), and posts one digest per person in each
/// release thread, plus an escalation digest to the Release Manager. Quiet hours postpone; sent-markers make every
/// digest go out once, even with overlapping or crashed sweeps, and a sweep after downtime catches up in one digest.
/// What a sweep costs follows what is due: one query for the due index and one for the day's ledgers answer, for every
/// release, whether anything is new; only releases with something new are read (one query each), and their claims and
/// sent-marks share transactions of up to 100 rows per day partition.
/// </summary>
public sealed class ReminderSweep(
    IReleaseStore store,
    DueItemsReader reader,
    SentMarkers markers,
    ReleaseThreadPublisher publisher,
    IOptions<RemindersOptions> options,
    TimeProvider time,
    ILogger<ReminderSweep> logger,
    ReleaseQueues? queues = null,
    ReleaseLinks? links = null)
{
    public async Task<ReminderSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = await store.GetDueAsync(now - settings.Lookback, now + settings.DueSoon, cancellationToken);
        var releases = due.GroupBy(e => e.ReleaseId, StringComparer.Ordinal).Select(g => DueRelease.Of(g.Key, g.ToList(), now)).ToList();
        var days = releases.Select(r => r.Day).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ledgers = await markers.LedgersAsync(days, cancellationToken);
        var totals = new SweepTotals { Releases = releases.Count };

        // Decided from the index and the ledgers alone: at night nothing is read, and a release with nothing new is not read either.
        var work = new List<DueRelease>();
        foreach (var release in releases)
        {
            if (release.Zone is { } zone && QuietHours.IsQuiet(zone, now, settings))
            {
                // Postponed, not dropped: the index rows stay, so the first sweep after quiet hours sends.
                totals.Postponed++;
            }
            else if (release.IsCoveredBy(ledgers, now, settings))
            {
                totals.Unchanged++;
            }
            else
            {
                work.Add(release);
            }
        }

        if (settings.FanOut && queues is not null)
        {
            return await DispatchAsync(due.Count, work, totals, now, cancellationToken);
        }

        await SweepAsync(DueRelease.ByChannel(work), new SweepContext(now, settings, ledgers, days, totals), cancellationToken);
        var result = totals.Result(due.Count);
        ReminderLog.Swept(logger, now, result.DueRows, result.Releases, result.Sent, result.Postponed, result.Unchanged, result.StaleRemoved, result.Failed);
        return result;
    }

    /// <summary>
    /// One channel's reminders from a reminder-work message: the same claims and sent-markers as the timer's own sweep,
    /// so a redelivered message or two instances on one release never send a digest twice.
    /// </summary>
    public async Task<ReminderSweepResult> RunReleaseAsync(string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var releases = ReminderWorkItem.ReleasesIn(message, now);
        var totals = new SweepTotals { Releases = releases.Count };
        await SweepAsync([releases], new SweepContext(now, options.Value, new Dictionary<(string, string), SentLedger>(), new HashSet<string>(StringComparer.Ordinal), totals), cancellationToken);
        return totals.Result(releases.Sum(r => r.Entries.Count));
    }

    /// <summary>
    /// Reads, claims and sends side by side: a channel's messages are claimed as soon as all of its releases are read and
    /// go out while the next channels are read, so the senders never wait for the reads of other channels; the senders
    /// take the queued channels in turn.
    /// </summary>
    private async Task SweepAsync(IReadOnlyList<IReadOnlyList<DueRelease>> channels, SweepContext sweep, CancellationToken cancellationToken)
    {
        var read = Channel.CreateUnbounded<IReadOnlyList<PreparedRelease>>(new UnboundedChannelOptions { SingleReader = true });
        var ready = new SendQueue();
        var marks = new SentMarks(markers, time);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = new DueReleaseReads(store, reader, markers, logger, links).ReadChannelsAsync(channels, sweep, read.Writer, stopReading.Token);
        var sending = new DigestDelivery(store, markers, publisher, marks, logger).SendAllAsync(ready, sweep, cancellationToken);
        try
        {
            try
            {
                await new DigestClaims(markers, marks).ClaimAsReadAsync(read.Reader, ready, sweep.Now, cancellationToken);
                await reading;
            }
            catch
            {
                await stopReading.CancelAsync();
                throw;
            }
            finally
            {
                ready.Complete();
            }

            await sending;
        }
        finally
        {
            // Even when the sweep stops (cancelled, a send threw), what did go out is marked, so no one hears it twice after the lease.
            await Task.WhenAny(reading);
            await Task.WhenAny(sending);
            await marks.DisposeAsync();
        }
    }

    /// <summary>Fan-out: one work item per channel with something new due; the reminder-work queue trigger sends them.</summary>
    private async Task<ReminderSweepResult> DispatchAsync(int dueRows, List<DueRelease> work, SweepTotals totals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(DueRelease.ByChannel(work), new ParallelOptions { MaxDegreeOfParallelism = DueReleaseReads.Parallelism, CancellationToken = cancellationToken }, async (channel, ct) =>
            await queues!.ReminderWork.SendMessageAsync(ReminderWorkItem.MessageFor(channel), ct));
        ReminderLog.Dispatched(logger, now, dueRows, work.Count, totals.Postponed, totals.Unchanged);
        return new ReminderSweepResult(dueRows, totals.Releases, 0, totals.Postponed, 0, 0, 0, totals.Unchanged);
    }
}
