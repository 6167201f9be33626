using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Graph;

/// <summary>
/// Drains the outbox: claims each due entry with an ETag-conditional write (so overlapping runs never both send it),
/// sends it through <see cref="IGraphGateway"/> and records the outcome. Events carry a transactionId derived from the
/// entry's key, so a retry after a crash cannot create a second event. sendMail has no idempotency: an entry whose worker
/// died after Graph accepted the mail but before Sent was written is sent again (at least once, never lost).
/// </summary>
public sealed class OutboxWorker(GraphOutbox outbox, IGraphGateway gateway, IOptions<GraphOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
{
    /// <summary>The shortest claim; a dead worker's entry is due again after its lease (see <see cref="LeaseFor"/>).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>The most Graph calls one entry makes while claimed (a retrospective: findMeetingTimes, then the event).</summary>
    public const int MaxCallsPerEntry = 2;

    /// <summary>Room for the storage writes around the calls.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>An agenda update waits this long for its event to be created.</summary>
    public static readonly TimeSpan WaitForEvent = TimeSpan.FromMinutes(1);

    private readonly GraphOptions _options = options.Value;

    /// <summary>
    /// A claim outlives the longest the worker can take on its entry: every call of it running into Graph:RequestTimeout
    /// (the SDK does not retry; retries are new claims). Shorter, and a second worker would resend a mail still in flight.
    /// </summary>
    public static TimeSpan LeaseFor(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var longest = options.RequestTimeout * MaxCallsPerEntry + LeaseMargin;
        return longest > Lease ? longest : Lease;
    }

    /// <summary>Sends what is due (429/503 wait for Retry-After, other transient failures back off exponentially); returns the entries that reached Sent, Recorded or Dead in this run (the bot posts join links from them).</summary>
    public async Task<IReadOnlyList<OutboxEntry>> RunAsync(CancellationToken cancellationToken)
    {
        var due = await outbox.GetDueAsync(time.GetUtcNow(), cancellationToken);
        var completed = new List<OutboxEntry>();
        foreach (var row in due)
        {
            try
            {
                if (await ProcessAsync(row, cancellationToken) is { } done)
                {
                    completed.Add(done);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A corrupt entry or a failing write of one release must not keep the other entries from being sent; it is due again after its lease.
                GraphLog.EntryFailed(logger, ex, row.ReleaseId, row.Key);
            }
        }

        GraphLog.Swept(logger, due.Count, completed.Count);
        return completed;
    }

    private async Task<OutboxEntry?> ProcessAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (row.StatusValue == OutboxStatus.Sending)
        {
            GraphLog.LeaseExpired(logger, row.ReleaseId, row.Key, row.Attempts);
            row.LastError ??= $"A worker stopped during attempt {row.Attempts}.";
        }

        if (row.Attempts >= _options.MaxAttempts)
        {
            return await FinishAsync(row, OutboxStatus.Dead, $"Gave up after {row.Attempts} attempts. Last error: {row.LastError}", null, [], cancellationToken);
        }

        row.Status = nameof(OutboxStatus.Sending);
        row.Attempts++;
        row.NextAttemptAt = now + LeaseFor(_options);
        if (!await outbox.TryReplaceAsync(row, cancellationToken))
        {
            GraphLog.ClaimLost(logger, row.ReleaseId, row.Key);
            return null;
        }

        try
        {
            var result = await SendAsync(row, cancellationToken);
            if (result is null)
            {
                return null;
            }

            var (write, start) = result.Value;
            var outcome = new OutboxResult(write.EventId, write.JoinUrl, write.WebLink, start, write.IsRecorded);
            return await FinishAsync(row, write.IsRecorded ? OutboxStatus.Recorded : OutboxStatus.Sent, null, outcome, write.Recorded, cancellationToken);
        }
        catch (GraphRequestException ex)
        {
            GraphLog.SendFailed(logger, row.ReleaseId, row.Key, row.Attempts, ex.Status, ex.Message);
            if (!ex.IsTransient || row.Attempts >= _options.MaxAttempts)
            {
                var why = ex.IsTransient ? $"Gave up after {row.Attempts} attempts. Last error: {ex.Message}" : ex.Message;
                return await FinishAsync(row, OutboxStatus.Dead, why, null, [], cancellationToken);
            }

            row.Status = nameof(OutboxStatus.Pending);
            row.LastError = ex.Message;
            row.NextAttemptAt = time.GetUtcNow() + (ex.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : Backoff(row.Attempts));
            await outbox.TryReplaceAsync(row, cancellationToken);
            return null;
        }
    }

    /// <summary>Sends one claimed entry; null when it has to wait (an agenda update whose event does not exist yet).</summary>
    private async Task<(GraphWriteResult Write, DateTimeOffset? Start)?> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        switch (row.KindValue)
        {
            case OutboxKind.RetrospectiveEvent:
            {
                var retro = StoredJson.Read<RetrospectivePayload>(row.Payload);
                var start = await gateway.FindMeetingTimeAsync(_options.Organizer, retro.Attendees, retro.WindowStart, retro.WindowEnd, retro.Duration, cancellationToken)
                    ?? retro.DefaultStart;
                var draft = new EventDraft(retro.Subject, retro.AgendaHtml, start, start + retro.Duration, retro.Attendees, retro.TransactionId);
                return (await gateway.CreateEventAsync(_options.Organizer, draft, cancellationToken), start);
            }

            case OutboxKind.RetrospectiveAgenda:
            {
                var agenda = StoredJson.Read<AgendaPayload>(row.Payload);
                var created = await outbox.GetAsync(row.ReleaseId, agenda.EventKey, cancellationToken);
                if (created is { Status: OutboxStatus.Dead } or null)
                {
                    throw new GraphRequestException("The retrospective event was never created, so its agenda cannot be updated.", null, null, isTransient: false);
                }

                if (created.Result?.EventId is not { } eventId)
                {
                    // Not a failure: the create entry has not been sent yet.
                    row.Status = nameof(OutboxStatus.Pending);
                    row.Attempts--;
                    row.NextAttemptAt = time.GetUtcNow() + WaitForEvent;
                    await outbox.TryReplaceAsync(row, cancellationToken);
                    return null;
                }

                return (await gateway.UpdateEventBodyAsync(_options.Organizer, eventId, agenda.AgendaHtml, cancellationToken), null);
            }

            case OutboxKind.AnnouncementMail:
            {
                var mail = StoredJson.Read<MailPayload>(row.Payload);
                return (await gateway.SendMailAsync(_options.Sender, new MailDraft(mail.Subject, mail.Html, mail.To), cancellationToken), null);
            }

            default:
                throw new GraphRequestException($"Unknown outbox entry kind {row.Kind}.", null, null, isTransient: false);
        }
    }

    private async Task<OutboxEntry?> FinishAsync(OutboxRow row, OutboxStatus status, string? error, OutboxResult? result, IReadOnlyList<RecordedHttpRequest> recorded, CancellationToken cancellationToken)
    {
        row.Status = status.ToString();
        row.LastError = error ?? row.LastError;
        row.Result = result is null ? row.Result : StoredJson.Write(result);
        row.Recording = recorded.Count == 0 ? row.Recording : StoredJson.Write(recorded);
        row.CompletedAt = time.GetUtcNow();
        if (status == OutboxStatus.Dead || (row.KindValue == OutboxKind.RetrospectiveEvent && result?.JoinUrl is not null))
        {
            // Same write as the outcome: the dispatcher posts the join link or the failure into the release thread from it.
            row.ThreadNotice ??= ThreadNotices.Due;
        }

        if (!await outbox.TryReplaceAsync(row, cancellationToken))
        {
            // Our lease ran out and another worker took the entry over: its outcome is the one that counts.
            GraphLog.ClaimLost(logger, row.ReleaseId, row.Key);
            return null;
        }

        if (status == OutboxStatus.Dead)
        {
            GraphLog.EntryDead(logger, row.ReleaseId, row.Key, row.Attempts, row.LastError);
        }

        return OutboxEntry.From(row);
    }

    private static TimeSpan Backoff(int attempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 16));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
