using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

public enum SentMarkerState
{
    Claimed,
    Sent,
    Abandoned,
}

/// <summary>One reminder or follow-up that is being sent or was sent: partition = release, row = what was sent to whom for which window.</summary>
public sealed class SentMarkerRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = nameof(SentMarkerState.Claimed);

    public int Attempts { get; set; }

    /// <summary>Until then the claimer is sending; afterwards another sweep may retake the claim.</summary>
    public DateTimeOffset LeaseUntil { get; set; }

    /// <summary>The items (id@due ticks) the message covers, comma-separated.</summary>
    public string Items { get; set; } = "";

    public string Recipient { get; set; } = "";

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    public bool Covers(DateTimeOffset now) =>
        State == nameof(SentMarkerState.Sent) || (State == nameof(SentMarkerState.Claimed) && LeaseUntil > now);
}

/// <summary>
/// Never twice, never lost: a send is claimed by a conditional insert (409 = someone else has it), marked Sent after it
/// went out, and released for a retry when it failed. A claim whose claimer died is retaken after its lease, ETag-conditionally.
/// </summary>
/// <summary>
/// What today's reminders already told each person, one row per release and day: the sweep reads this one row instead
/// of every marker. Advisory only: the per-digest claims still decide who sends, so a stale ledger costs requests, never a repeat.
/// </summary>
public sealed record SentLedger(string ReleaseId, string Day, IReadOnlyDictionary<string, IReadOnlySet<string>> Covered)
{
    public static string Entry(string kind, string recipientId) =>
        "c_" + kind + "_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recipientId)))[..16];

    public bool Covers(string kind, string recipientId, IEnumerable<string> itemKeys) =>
        Covered.TryGetValue(Entry(kind, recipientId), out var covered) && itemKeys.All(covered.Contains);

    /// <summary>The ledger row after these sends: each entry is the union of what it held and what was just sent.</summary>
    public TableEntity After(IEnumerable<(string Kind, string RecipientId, IEnumerable<string> ItemKeys)> sent)
    {
        var row = new TableEntity(TableKeys.Escape(ReleaseId), SentMarkers.LedgerKey(Day));
        foreach (var group in sent.GroupBy(s => Entry(s.Kind, s.RecipientId)))
        {
            var items = new SortedSet<string>(Covered.TryGetValue(group.Key, out var before) ? before : [], StringComparer.Ordinal);
            items.UnionWith(group.SelectMany(g => g.ItemKeys));
            row[group.Key] = string.Join(",", items);
        }

        return row;
    }
}

public sealed class SentMarkers(ReleaseTables tables, IOptions<RemindersOptions> options, TimeProvider time)
{
    public static string LedgerKey(string day) => "ledger|" + day;

    /// <summary>Today's ledger of the release: one point read (empty before the first send of the day).</summary>
    public async Task<SentLedger> LedgerAsync(string releaseId, string day, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(releaseId), LedgerKey(day), cancellationToken: cancellationToken);
        var covered = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (found.HasValue)
        {
            foreach (var (name, value) in found.Value!)
            {
                if (name.StartsWith("c_", StringComparison.Ordinal) && value is string items)
                {
                    covered[name] = items.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                }
            }
        }

        return new SentLedger(releaseId, day, covered);
    }

    /// <summary>An entity-group transaction holds at most 100 operations.</summary>
    private const int MaxBatch = 100;

    private TableClient Table => tables.Reminders;

    public async Task<SentMarkerRow?> GetAsync(string releaseId, string key, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var found = await Table.GetEntityIfExistsAsync<SentMarkerRow>(TableKeys.Escape(releaseId), TableKeys.Escape(key), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The claim to send, or null when someone else holds it, already sent it, or gave up on it.</summary>
    public async Task<SentMarkerRow?> TryClaimAsync(string releaseId, string key, string recipient, string items, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var now = time.GetUtcNow();
        var row = new SentMarkerRow
        {
            PartitionKey = TableKeys.Escape(releaseId),
            RowKey = TableKeys.Escape(key),
            State = nameof(SentMarkerState.Claimed),
            Attempts = 1,
            LeaseUntil = now + options.Value.ClaimLease,
            Items = items,
            Recipient = recipient,
        };
        try
        {
            var added = await Table.AddEntityAsync(row, cancellationToken);
            row.ETag = added.Headers.ETag ?? default;
            return row;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Someone claimed it before: retake it only if that claim was released after a failure or its lease ran out.
        }

        var existing = await GetAsync(releaseId, key, cancellationToken);
        if (existing is null || existing.State != nameof(SentMarkerState.Claimed) || existing.LeaseUntil > now)
        {
            return null;
        }

        existing.Attempts++;
        existing.LeaseUntil = now + options.Value.ClaimLease;
        try
        {
            var updated = await Table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            existing.ETag = updated.Headers.ETag ?? default;
            return existing;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Claims several sends of one release in one entity-group transaction: all of them, or null when any key is already
    /// taken (then claim one by one with <see cref="TryClaimAsync"/>, which knows when a taken claim may be retaken).
    /// </summary>
    public async Task<IReadOnlyList<SentMarkerRow>?> TryClaimAllAsync(string releaseId, IReadOnlyList<(string Key, string Recipient, string Items)> sends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sends);
        await tables.EnsureCreatedAsync();
        var now = time.GetUtcNow();
        var rows = sends.Select(s => new SentMarkerRow
        {
            PartitionKey = TableKeys.Escape(releaseId),
            RowKey = TableKeys.Escape(s.Key),
            State = nameof(SentMarkerState.Claimed),
            Attempts = 1,
            LeaseUntil = now + options.Value.ClaimLease,
            Items = s.Items,
            Recipient = s.Recipient,
        }).ToList();
        if (rows.Count == 0 || rows.Count > MaxBatch || rows.DistinctBy(r => r.RowKey).Count() != rows.Count)
        {
            return null;
        }

        try
        {
            var response = await Table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].ETag = response.Value[i].Headers.ETag ?? default;
            }

            return rows;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // One of them exists already (an overlapping sweep, or a released or expired claim): nothing was written.
            return null;
        }
    }

    /// <summary>Marks several sent claims of one release in one transaction; when one was retaken meanwhile (412), each is marked on its own.</summary>
    /// <param name="ledger">The release's ledger row after these sends, written in the same transaction when it can be.</param>
    public async Task MarkAllSentAsync(IReadOnlyList<SentMarkerRow> claims, TableEntity? ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return;
        }

        if (claims.Count > MaxBatch - 1 || claims.Select(c => c.PartitionKey).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            await MarkOneByOneAsync(claims, ledger, cancellationToken);
            return;
        }

        var sentAt = time.GetUtcNow();
        var updated = claims.Select(c => new SentMarkerRow
        {
            PartitionKey = c.PartitionKey,
            RowKey = c.RowKey,
            ETag = c.ETag,
            State = nameof(SentMarkerState.Sent),
            Attempts = c.Attempts,
            LeaseUntil = c.LeaseUntil,
            Items = c.Items,
            Recipient = c.Recipient,
            SentAt = sentAt,
        }).ToList();
        try
        {
            var actions = updated.Select(u => new TableTransactionAction(TableTransactionActionType.UpdateReplace, u, u.ETag)).ToList();
            if (ledger is not null)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, ledger));
            }

            var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
            for (var i = 0; i < claims.Count; i++)
            {
                claims[i].State = nameof(SentMarkerState.Sent);
                claims[i].SentAt = sentAt;
                claims[i].LastError = null;
                claims[i].ETag = response.Value[i].Headers.ETag ?? default;
            }
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            // A lease ran out mid-send and another sweep retook that claim: its outcome stands, the others are still ours.
            await MarkOneByOneAsync(claims, ledger, cancellationToken);
        }
    }

    private async Task MarkOneByOneAsync(IReadOnlyList<SentMarkerRow> claims, TableEntity? ledger, CancellationToken cancellationToken)
    {
        foreach (var claim in claims)
        {
            await MarkSentAsync(claim, cancellationToken);
        }

        if (ledger is not null)
        {
            await Table.UpsertEntityAsync(ledger, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public async Task MarkSentAsync(SentMarkerRow claim, CancellationToken cancellationToken)
    {
        claim.State = nameof(SentMarkerState.Sent);
        claim.SentAt = time.GetUtcNow();
        claim.LastError = null;
        await UpdateAsync(claim, cancellationToken);
    }

    /// <summary>The send failed: the next sweep may retry at once, up to the attempt limit.</summary>
    public async Task ReleaseAsync(SentMarkerRow claim, string error, CancellationToken cancellationToken)
    {
        claim.State = claim.Attempts >= options.Value.MaxAttempts ? nameof(SentMarkerState.Abandoned) : nameof(SentMarkerState.Claimed);
        claim.LeaseUntil = time.GetUtcNow();
        claim.LastError = error.Length > 1000 ? error[..1000] : error;
        await UpdateAsync(claim, cancellationToken);
    }

    private async Task UpdateAsync(SentMarkerRow claim, CancellationToken cancellationToken)
    {
        try
        {
            var updated = await Table.UpdateEntityAsync(claim, claim.ETag, TableUpdateMode.Replace, cancellationToken);
            claim.ETag = updated.Headers.ETag ?? default;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Our lease ran out mid-send and another sweep retook the claim; its outcome stands.
        }
    }
}
