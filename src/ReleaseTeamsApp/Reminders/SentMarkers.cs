using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Never twice, never lost: a send is claimed by a conditional insert (409 = someone else has it), marked Sent after it
/// went out, and released for a retry when it failed. A claim whose claimer died is retaken after its lease, ETag-conditionally.
/// Public because the follow-up sweep (constructed by the public function classes) takes it; its members are internal.
/// </summary>
public sealed partial class SentMarkers(ReleaseTables tables, IOptions<RemindersOptions> options, TimeProvider time)
{
    /// <summary>An entity-group transaction holds at most 100 operations.</summary>
    internal const int MaxBatch = 100;

    /// <summary>The row key of a release's day ledger before day partitions (the daily cleanup still removes those rows).</summary>
    internal static string LedgerKey(string day) => "ledger|" + day;

    /// <summary>Digest markers and ledgers of one local day (the release's time zone).</summary>
    internal static string DayPartition(string day) => "day|" + day;

    internal static string LedgerRow(string releaseId) => "l|" + TableKeys.Escape(releaseId);

    /// <summary>The marker of a person's one message of the day (per kind) in the release's channel.</summary>
    internal static DigestSend Send(ReminderDigest digest, DateTimeOffset now) => Send(new ChannelDigest([digest]), now);

    /// <summary>
    /// The marker of a person's one message of the day (per kind) in a channel: channel | day | kind | person, whatever it
    /// lists, so a second message the same day finds it taken. The day is the local day of the first release.
    /// </summary>
    internal static DigestSend Send(ChannelDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var release = digest.First.Release;
        var day = ReminderDigest.Day(release, now);
        return new DigestSend(
            DayPartition(day),
            "m|" + TableKeys.Escape($"{release.Channel.ChannelId}|{day}|{ReminderDigest.KindName(digest.Kind)}|{digest.Recipient.Id}"),
            digest.Recipient.Id,
            string.Join(",", digest.Parts.SelectMany(p => p.ItemKeys).Order(StringComparer.Ordinal)));
    }

    /// <summary>Today's ledger of one release: one point read (empty before the first send of the day).</summary>
    internal async Task<SentLedger> LedgerAsync(string releaseId, string day, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(DayPartition(day), LedgerRow(releaseId), cancellationToken: cancellationToken);
        return SentLedger.Read(releaseId, day, found.HasValue ? found.Value : null);
    }

    /// <summary>The ledgers of every release for these days: one query (a page per 1,000 rows), not a read per release.</summary>
    internal async Task<IReadOnlyDictionary<(string Day, string ReleaseId), SentLedger>> LedgersAsync(IReadOnlyCollection<string> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var result = new Dictionary<(string, string), SentLedger>();
        if (days.Count == 0)
        {
            return result;
        }

        var from = DayPartition(days.Min(StringComparer.Ordinal)!);
        var to = DayPartition(days.Max(StringComparer.Ordinal)!);
        var filter = $"PartitionKey ge '{from}' and PartitionKey le '{to}' and RowKey ge 'l|' and RowKey lt 'l}}'";
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var day = row.PartitionKey["day|".Length..];
            if (row.GetString("ReleaseId") is { } releaseId && days.Contains(day))
            {
                result[(day, releaseId)] = SentLedger.Read(releaseId, day, row);
            }
        }

        return result;
    }


    private TableClient Table => tables.Reminders;

    internal async Task<SentMarkerRow?> GetAsync(string releaseId, string key, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<SentMarkerRow>(TableKeys.Escape(releaseId), TableKeys.Escape(key), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The claim to send, or null when someone else holds it, already sent it, or gave up on it.</summary>
    internal Task<SentMarkerRow?> TryClaimAsync(string releaseId, string key, string recipient, string items, CancellationToken cancellationToken) =>
        TryClaimAsync(new DigestSend(TableKeys.Escape(releaseId), TableKeys.Escape(key), recipient, items), cancellationToken);

    /// <summary>The claim to send, or null when someone else holds it, already sent it, or gave up on it.</summary>
    internal async Task<SentMarkerRow?> TryClaimAsync(DigestSend send, CancellationToken cancellationToken) =>
        (await ClaimAsync(send, cancellationToken)).Claim;

    /// <summary>The claim to send, or (null, true) when it was sent or given up on already, or (null, false) while someone else holds it.</summary>
    internal async Task<(SentMarkerRow? Claim, bool Settled)> ClaimAsync(DigestSend send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var now = time.GetUtcNow();
        var row = NewClaim(send, now);
        try
        {
            var added = await Table.AddEntityAsync(row, cancellationToken);
            row.ETag = added.Headers.ETag ?? default;
            return (row, false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Someone claimed it before: retake it only if that claim was released after a failure or its lease ran out.
        }

        var found = await Table.GetEntityIfExistsAsync<SentMarkerRow>(send.Partition, send.RowKey, cancellationToken: cancellationToken);
        var existing = found.HasValue ? found.Value : null;
        if (existing is null || existing.State != nameof(SentMarkerState.Claimed) || existing.LeaseUntil > now)
        {
            return (null, existing is not null && existing.State != nameof(SentMarkerState.Claimed));
        }

        existing.Attempts++;
        existing.LeaseUntil = now + options.Value.ClaimLease;
        try
        {
            var updated = await Table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            existing.ETag = updated.Headers.ETag ?? default;
            return (existing, false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return (null, false);
        }
    }

    /// <summary>
    /// Claims sends of one partition (a day, any number of releases) in entity-group transactions of up to 100: the
    /// claims in the same order, null where a send is taken, with whether a send that could not be claimed is settled
    /// (sent or given up on). A transaction that meets a taken key writes nothing; its sends are then claimed one by one
    /// with <see cref="TryClaimAsync(DigestSend, CancellationToken)"/>, which knows when a taken claim may be retaken.
    /// </summary>
    internal async Task<IReadOnlyList<(SentMarkerRow? Claim, bool Settled)>> ClaimAllAsync(IReadOnlyList<DigestSend> sends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sends);
        if (sends.Select(s => s.Partition).Distinct(StringComparer.Ordinal).Count() > 1 || sends.DistinctBy(s => s.RowKey).Count() != sends.Count)
        {
            throw new ArgumentException("Claims in one call share a partition and have distinct keys.", nameof(sends));
        }

        var result = new List<(SentMarkerRow?, bool)>(sends.Count);
        foreach (var chunk in sends.Chunk(MaxBatch))
        {
            if (chunk.Length == 1)
            {
                result.Add(await ClaimAsync(chunk[0], cancellationToken));
                continue;
            }

            var now = time.GetUtcNow();
            var rows = chunk.Select(s => NewClaim(s, now)).ToList();
            try
            {
                var response = await Table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
                for (var i = 0; i < rows.Count; i++)
                {
                    rows[i].ETag = response.Value[i].Headers.ETag ?? default;
                }

                result.AddRange(rows.Select(r => ((SentMarkerRow?)r, false)));
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // One of them exists already (an overlapping sweep, or a released or expired claim): nothing was written.
                foreach (var send in chunk)
                {
                    result.Add(await ClaimAsync(send, cancellationToken));
                }
            }
        }

        return result;
    }

    private SentMarkerRow NewClaim(DigestSend send, DateTimeOffset now) => new()
    {
        PartitionKey = send.Partition,
        RowKey = send.RowKey,
        State = nameof(SentMarkerState.Claimed),
        Attempts = 1,
        LeaseUntil = now + options.Value.ClaimLease,
        Items = send.Items,
        Recipient = send.Recipient,
    };
}
