using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A release's due index entries, as a reminder-work queue message.</summary>
/// <param name="Others">The other releases of the same channel with something due: one message per person and day covers them all.</param>
public sealed record ReminderWorkItem(string ReleaseId, IReadOnlyList<ReminderWorkEntry> Entries, IReadOnlyList<ReminderWorkItem>? Others = null);

public sealed record ReminderWorkEntry(string ItemId, DateTimeOffset DueAt, string? TimeZoneId = null, string? Roles = null, string? ChannelId = null);

/// <summary>What one sweep did.</summary>
/// <param name="Broken">Releases the sweep could not handle (a corrupt row, a failing read); logged and skipped, the others went on.</param>
/// <param name="Unchanged">Releases whose due items all had their digests today already (per the day's ledgers): not read at all.</param>
public sealed record ReminderSweepResult(int DueRows, int Releases, int StaleRemoved, int Postponed, int Sent, int Failed, int Broken = 0, int Unchanged = 0);

/// <summary>
/// Finds the items that are due soon or overdue (from the due index only), and posts one digest per person in each
/// release thread, plus an escalation digest to the Release Manager. Quiet hours postpone; sent-markers make every
/// digest go out once, even with overlapping or crashed sweeps, and a sweep after downtime catches up in one digest.
/// What a sweep costs follows what is due: one query for the due index and one for the day's ledgers answer, for every
/// release, whether anything is new; only releases with something new are read (one query each), and their claims and
/// sent-marks share transactions of up to 100 rows per day partition.
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

    /// <summary>Releases read and claimed together: their claims share transactions, and the next wave is read while this one sends.</summary>
    private const int WaveSize = 100;

    public async Task<ReminderSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = await store.GetDueAsync(now - settings.Lookback, now + settings.DueSoon, cancellationToken);
        var releases = due.GroupBy(e => e.ReleaseId, StringComparer.Ordinal).Select(g => DueRelease.Of(g.Key, g.ToList(), now)).ToList();
        var days = releases.Select(r => r.Day).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ledgers = await markers.LedgersAsync(days, cancellationToken);
        var totals = new Totals { Releases = releases.Count };

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

        await SweepAsync(Waves(work), ledgers, days, now, settings, totals, cancellationToken);
        var result = totals.Result(due.Count);
        LogSwept(logger, now, result.DueRows, result.Releases, result.Sent, result.Postponed, result.Unchanged, result.StaleRemoved, result.Failed);
        return result;
    }

    /// <summary>
    /// Waves of whole channels (a channel's releases are never split, so one message per person and day can list them all),
    /// about <see cref="WaveSize"/> releases each; releases indexed without their channel are a channel of their own.
    /// </summary>
    private static IEnumerable<IReadOnlyList<DueRelease>> Waves(IReadOnlyList<DueRelease> work)
    {
        var wave = new List<DueRelease>();
        foreach (var channel in work.GroupBy(r => r.ChannelId ?? "release|" + r.ReleaseId, StringComparer.Ordinal))
        {
            wave.AddRange(channel);
            if (wave.Count >= WaveSize)
            {
                yield return wave;
                wave = [];
            }
        }

        if (wave.Count > 0)
        {
            yield return wave;
        }
    }

    /// <summary>Waves are read and claimed while the messages before them send: the senders never wait for a wave to end.</summary>
    private async Task SweepAsync(IEnumerable<IReadOnlyList<DueRelease>> waves, IReadOnlyDictionary<(string, string), SentLedger> ledgers, IReadOnlySet<string> days, DateTimeOffset now, RemindersOptions settings, Totals totals, CancellationToken cancellationToken)
    {
        var ready = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(WaveSize) { SingleWriter = true });
        var marks = new SentMarks(markers, time);
        var sending = SendAsync(ready.Reader, marks, now, totals, cancellationToken);
        try
        {
            try
            {
                foreach (var wave in waves)
                {
                    var prepared = await PrepareAsync(wave, ledgers, days, now, settings, totals, cancellationToken);
                    foreach (var message in await ClaimAsync(prepared, marks, now, cancellationToken))
                    {
                        await ready.Writer.WriteAsync(message, cancellationToken);
                    }
                }
            }
            finally
            {
                ready.Writer.TryComplete();
            }

            await sending;
        }
        finally
        {
            // Even when the sweep stops (cancelled, a send threw), what did go out is marked, so no one hears it twice after the lease.
            await Task.WhenAny(sending);
            await marks.DisposeAsync();
        }
    }

    /// <summary>Fan-out: one work item per channel with something new due; the reminder-work queue trigger sends them.</summary>
    private async Task<ReminderSweepResult> DispatchAsync(int dueRows, IReadOnlyList<DueRelease> work, Totals totals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channels = work.GroupBy(r => r.ChannelId ?? "release|" + r.ReleaseId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        await Parallel.ForEachAsync(channels, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (releases, ct) =>
        {
            var items = releases.Select(r => new ReminderWorkItem(r.ReleaseId, r.Entries.Select(e => new ReminderWorkEntry(e.ItemId, e.DueAt, e.TimeZoneId, e.Roles, e.ChannelId)).ToList())).ToList();
            var item = items[0] with { Others = items.Count > 1 ? items.Skip(1).ToList() : null };
            await queues!.ReminderWork.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(item, StoredJson.Options), ct);
        });
        LogDispatched(logger, now, dueRows, work.Count, totals.Postponed, totals.Unchanged);
        return new ReminderSweepResult(dueRows, totals.Releases, 0, totals.Postponed, 0, 0, 0, totals.Unchanged);
    }

    /// <summary>
    /// One release's reminders from a reminder-work message: the same claims and sent-markers as the timer's own sweep,
    /// so a redelivered message or two instances on one release never send a digest twice.
    /// </summary>
    public async Task<ReminderSweepResult> RunReleaseAsync(string message, CancellationToken cancellationToken)
    {
        var item = System.Text.Json.JsonSerializer.Deserialize<ReminderWorkItem>(message, StoredJson.Options)
            ?? throw new System.Text.Json.JsonException("A reminder-work message was empty.");
        var now = time.GetUtcNow();
        var releases = new[] { item }.Concat(item.Others ?? []).Select(r =>
            DueRelease.Of(r.ReleaseId, r.Entries.Select(e => new DueEntry(r.ReleaseId, e.ItemId, e.DueAt, e.TimeZoneId, e.Roles, e.ChannelId)).ToList(), now)).ToList();
        var totals = new Totals { Releases = releases.Count };
        await SweepAsync([releases], new Dictionary<(string, string), SentLedger>(), new HashSet<string>(StringComparer.Ordinal), now, options.Value, totals, cancellationToken);
        return totals.Result(releases.Sum(r => r.Entries.Count));
    }

    /// <summary>Reads the wave's releases (one query each, side by side), drops stale index rows and plans who hears about what.</summary>
    private async Task<List<PreparedRelease>> PrepareAsync(IReadOnlyList<DueRelease> wave, IReadOnlyDictionary<(string, string), SentLedger> ledgers, IReadOnlySet<string> days, DateTimeOffset now, RemindersOptions settings, Totals totals, CancellationToken cancellationToken)
    {
        var prepared = new PreparedRelease?[wave.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, wave.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    prepared[i] = await PrepareReleaseAsync(wave[i], ledgers, days, now, settings, totals, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // One broken release (a corrupt row, a failing write) must not hold back everyone else's reminders.
                    LogReleaseFailed(logger, ex, wave[i].ReleaseId);
                    Interlocked.Increment(ref totals.Broken);
                }
            });
        return prepared.OfType<PreparedRelease>().ToList();
    }

    private async Task<PreparedRelease?> PrepareReleaseAsync(DueRelease due, IReadOnlyDictionary<(string, string), SentLedger> ledgers, IReadOnlySet<string> days, DateTimeOffset now, RemindersOptions settings, Totals totals, CancellationToken cancellationToken)
    {
        var entries = due.Entries;
        var state = await reader.ReadAsync(due.ReleaseId, entries.Select(e => e.ItemId).ToList(), cancellationToken);

        // An index row is current only while its item is open and still due at that time (a moved date leaves the old row behind).
        var current = entries.Where(e => state is { Release.Status: not ReleaseStatus.Closed } && state.Item(e.ItemId) is { IsSettled: false } item && item.DueAt == e.DueAt).ToList();
        foreach (var stale in entries.Except(current))
        {
            await store.RemoveDueAsync(stale, cancellationToken);
            Interlocked.Increment(ref totals.Stale);
        }

        if (state is null || current.Count == 0 || state.Release.Thread is null)
        {
            return null;
        }

        var release = state.Release;
        if (QuietHours.IsQuiet(release, now, settings))
        {
            Interlocked.Increment(ref totals.Postponed);
            return null;
        }

        var items = current.Select(e => state.Item(e.ItemId)!).DistinctBy(i => i.Id).ToList();
        // Muted: nothing to send, and the ledger records that, so later sweeps skip the release until it is unmuted (a new stamp).
        var digests = release.RemindersMuted ? [] : ReminderPlan.Digests(release, items, now, settings);
        var day = ReminderDigest.Day(release, now);
        var ledger = ledgers.TryGetValue((day, release.Id), out var found)
            ? found
            : days.Contains(day) ? new SentLedger(release.Id, day, new Dictionary<string, IReadOnlySet<string>>()) : await markers.LedgerAsync(release.Id, day, cancellationToken);
        var uncovered = digests.Where(d => !ledger.Covers(ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys)).ToList();

        // What lets later sweeps of the day skip this release once every digest it needs went out.
        var stamp = DueRelease.StampOf(current);
        var completion = stamp is null
            ? ((string, IEnumerable<string>, IEnumerable<string>)?)null
            : (stamp, items.Select(ReminderDigest.ItemKey).ToList(), items.Where(i => now - i.DueAt!.Value > settings.EscalateAfter).Select(ReminderDigest.ItemKey).ToList());
        return new PreparedRelease(release, ledger, uncovered, completion);
    }

    /// <summary>
    /// Groups the prepared releases' digests into one message per channel, kind and person, and claims them per day partition
    /// in transactions of up to 100 (across releases). Releases with nothing to send get their ledger row right away.
    /// </summary>
    private async Task<IReadOnlyList<Outgoing>> ClaimAsync(IReadOnlyList<PreparedRelease> prepared, SentMarks marks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parts = prepared.SelectMany(p => p.Uncovered.Select(d => (Release: p, Digest: d))).ToList();
        var messages = ChannelDigest.Group(parts.Select(p => p.Digest).ToList())
            .Select(g => new Outgoing(g.Digest, g.Sources.Select(i => parts[i].Release).ToList(), SentMarkers.Send(g.Digest, now)))
            .ToList();
        foreach (var message in messages)
        {
            foreach (var release in message.Releases)
            {
                release.Pending++;
            }
        }

        foreach (var partition in messages.GroupBy(m => m.Send.Partition, StringComparer.Ordinal))
        {
            var batch = partition.ToList();
            var claims = await markers.ClaimAllAsync(batch.Select(m => m.Send).ToList(), cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                (batch[i].Claim, batch[i].Settled) = claims[i];
            }
        }

        foreach (var release in prepared.Where(p => p.Pending == 0))
        {
            await FinishAsync(release, marks);
        }

        return messages;
    }

    private async Task SendAsync(ChannelReader<Outgoing> messages, SentMarks marks, DateTimeOffset now, Totals totals, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(messages.ReadAllAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                await SendMessageAsync(message, marks, now, totals, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogReleaseFailed(logger, ex, message.Digest.First.Release.Id);
                Interlocked.Increment(ref totals.Broken);
            }
        });

    private async Task SendMessageAsync(Outgoing message, SentMarks marks, DateTimeOffset now, Totals totals, CancellationToken cancellationToken)
    {
        var sent = false;
        try
        {
            if (message.Claim is { } claim)
            {
                // Digests are bulk traffic: they wait for their tenant's budget and leave room for clicks and replies.
                using var traffic = ConnectorTraffic.Begin(message.Digest.First.Release.Channel.TenantId, SendPriority.Bulk);
                sent = await SendAsync(message.Digest, claim, now, totals, cancellationToken);
                if (sent)
                {
                    await marks.AddAsync([claim], null);
                    Interlocked.Increment(ref totals.Sent);
                }
            }
        }
        finally
        {
            // A person who had today's message already hears about these items tomorrow: that counts as done for today.
            for (var i = 0; i < message.Releases.Count; i++)
            {
                var release = message.Releases[i];
                lock (release)
                {
                    if (sent)
                    {
                        release.Sent.Add(message.Digest.Parts[i]);
                    }
                    else if (!message.Settled)
                    {
                        release.Incomplete = true;
                    }
                }

                if (Interlocked.Decrement(ref release.Pending) == 0)
                {
                    await FinishAsync(release, marks);
                }
            }
        }
    }

    /// <summary>The release's ledger row after this sweep; only when every digest it needed is done may later sweeps of the day skip it.</summary>
    private static async Task FinishAsync(PreparedRelease release, SentMarks marks)
    {
        var complete = release.Incomplete ? null : release.Completion;
        if (release.Sent.Count == 0 && (complete is not { } done || release.Ledger.CoversAll(done.Stamp, done.Reminded, done.Escalated)))
        {
            return;
        }

        var after = release.Ledger.After(release.Sent.Select(d => (ReminderDigest.KindName(d.Kind), d.Recipient.Id, d.ItemKeys.AsEnumerable())), complete);
        await marks.AddAsync([], after);
    }

    private async Task<bool> SendAsync(ChannelDigest digest, SentMarkerRow claim, DateTimeOffset now, Totals totals, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PostInThreadAsync(null, digest.First.Release, Message(digest, now), cancellationToken);
            foreach (var part in digest.Parts)
            {
                await DigestSignalNotes.MarkToldAsync(store, part, DigestSignalNotes.For(part), now, cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, ex, digest.First.Release.Version, digest.Recipient.Id, claim.Attempts);
            await markers.ReleaseAsync(claim, ex.Message, CancellationToken.None);
            Interlocked.Increment(ref totals.Failed);
            return false;
        }
    }

    public static Activity Message(ReminderDigest digest, DateTimeOffset now) => Message(new ChannelDigest([digest]), now);

    /// <summary>One person's message: the card lists their items grouped by release; the text names the releases.</summary>
    public static Activity Message(ChannelDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var card = ReminderCards.Digest(digest, now);
        var count = digest.ItemCount;
        var where = digest.Parts.Count == 1 ? $"release {digest.First.Release.Version}" : $"releases {string.Join(", ", digest.Parts.Select(p => p.Release.Version))}";
        var summary = digest.Kind == ReminderKind.Escalation
            ? $"Escalation: {Count(count, "overdue item")} in {where}"
            : $"{Count(count, "item")} need{(count == 1 ? "s" : "")} you in {where}";
        var activity = Activity.CreateCardMessage(card, summary);
        var at = activity.AddMentionEntity(new ChannelAccount(digest.Recipient.Id, digest.Recipient.Name));
        var overdue = digest.Parts.Sum(p => p.Items.Count(i => i.IsOverdue(now)));
        activity.Text = digest.Kind == ReminderKind.Escalation
            ? $"{at} {Count(count, "item")} of {where} {(count == 1 ? "is" : "are")} overdue beyond the escalation limit."
            : overdue > 0
                ? $"{at} you have {Count(count, "item")} in {where} that need{(count == 1 ? "s" : "")} you ({overdue} overdue)."
                : $"{at} you have {Count(count, "item")} due soon in {where}.";
        activity.Text += string.Concat(digest.Parts.Select(p => DigestSignalNotes.Text(p.Release, DigestSignalNotes.For(p))));
        activity.TextFormat = TextFormatTypes.Markdown;
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows, {Releases} releases with something new put on the reminder-work queue, {Postponed} in quiet hours, {Unchanged} unchanged")]
    private static partial void LogDispatched(ILogger logger, DateTimeOffset now, int dueRows, int releases, int postponed, int unchanged);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private sealed class Totals
    {
        public int Releases;
        public int Stale;
        public int Postponed;
        public int Sent;
        public int Failed;
        public int Broken;
        public int Unchanged;

        public ReminderSweepResult Result(int dueRows) => new(dueRows, Releases, Stale, Postponed, Sent, Failed, Broken, Unchanged);
    }

    /// <summary>A release's entries in the due index, with what the index knows of it (time zone, role holders).</summary>
    private sealed record DueRelease(string ReleaseId, IReadOnlyList<DueEntry> Entries, TimeZoneInfo? Zone, string? Day, string? Stamp)
    {
        public string? ChannelId => Entries.Select(e => e.ChannelId).FirstOrDefault(c => c is not null);

        public static DueRelease Of(string releaseId, IReadOnlyList<DueEntry> entries, DateTimeOffset now)
        {
            var zoneId = entries.Select(e => e.TimeZoneId).Distinct().SingleOrDefault();
            var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : null;
            return new DueRelease(releaseId, entries, zone, zone is null ? null : ReminderDigest.Day(zone, now), StampOf(entries));
        }

        /// <summary>The role stamps of these entries (null when an entry was indexed without one: then only reading the release tells).</summary>
        public static string? StampOf(IEnumerable<DueEntry> entries)
        {
            var list = entries.ToList();
            return list.Any(e => e.Roles is null || e.TimeZoneId is null) ? null : string.Join("+", list.Select(e => e.Roles).Distinct().Order(StringComparer.Ordinal));
        }

        /// <summary>Whether today's ledger says every digest these entries call for went out to the same role holders.</summary>
        public bool IsCoveredBy(IReadOnlyDictionary<(string, string), SentLedger> ledgers, DateTimeOffset now, RemindersOptions settings) =>
            Day is not null && Stamp is not null && ledgers.TryGetValue((Day, ReleaseId), out var ledger)
            && ledger.CoversAll(Stamp, Entries.Select(Key), Entries.Where(e => now - e.DueAt > settings.EscalateAfter).Select(Key));

        private static string Key(DueEntry entry) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.ItemId}@{entry.DueAt.UtcTicks}");
    }

    /// <summary>A release read in this sweep: the digests it still needs today, and what became of them.</summary>
    private sealed class PreparedRelease(
        Release release,
        SentLedger ledger,
        IReadOnlyList<ReminderDigest> uncovered,
        (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? completion)
    {
        public Release Release { get; } = release;

        public SentLedger Ledger { get; } = ledger;

        public IReadOnlyList<ReminderDigest> Uncovered { get; } = uncovered;

        public (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? Completion { get; } = completion;

        /// <summary>Messages listing this release that have not finished yet.</summary>
        public int Pending;

        public bool Incomplete;

        public List<ReminderDigest> Sent { get; } = [];
    }

    /// <summary>One message to send: a person's digest of the day in a channel, the releases of its parts (same order) and its claim.</summary>
    private sealed class Outgoing(ChannelDigest digest, IReadOnlyList<PreparedRelease> releases, DigestSend send)
    {
        public ChannelDigest Digest { get; } = digest;

        public IReadOnlyList<PreparedRelease> Releases { get; } = releases;

        public DigestSend Send { get; } = send;

        public SentMarkerRow? Claim { get; set; }

        /// <summary>Not claimed because it went out (or was given up on) earlier today.</summary>
        public bool Settled { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows in {Releases} releases, {Sent} digests sent, {Postponed} releases in quiet hours, {Unchanged} unchanged, {Stale} stale rows removed, {Failed} failed")]
    private static partial void LogSwept(ILogger logger, DateTimeOffset now, int dueRows, int releases, int sent, int postponed, int unchanged, int stale, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder sweep skipped release {ReleaseId}: it could not be handled; the other releases went on and the next sweep tries it again")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string releaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder for release {Version} to {RecipientId} not sent (attempt {Attempt}); the next sweep retries")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string version, string recipientId, int attempt);
}
