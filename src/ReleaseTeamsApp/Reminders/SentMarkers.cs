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

/// <summary>One digest's marker: in the day partition of its release's local day, so claims and marks of many releases share transactions.</summary>
public sealed record DigestSend(string Partition, string RowKey, string Recipient, string Items);

/// <summary>
/// What a day's reminders already told each person of one release, one row per release in the day partition: the sweep
/// reads the rows of all releases in one query. Per person it is advisory (the claims still decide who sends, so a stale
/// ledger costs requests, never a repeat). <see cref="Reminded"/> and <see cref="Escalated"/> list the items whose digests
/// of the day all went out under the role holders stamped <see cref="Stamp"/>: a sweep that finds nothing beyond them
/// does not read the release at all.
/// </summary>
public sealed record SentLedger(string ReleaseId, string Day, IReadOnlyDictionary<string, IReadOnlySet<string>> Covered)
{
    public const string RemindedColumn = "Reminded";
    public const string EscalatedColumn = "Escalated";
    public const string StampColumn = "Stamp";

    private static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> Reminded { get; init; } = None;

    public IReadOnlySet<string> Escalated { get; init; } = None;

    public string? Stamp { get; init; }

    public static string Entry(string kind, string recipientId) =>
        "c_" + kind + "_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recipientId)))[..16];

    public bool Covers(string kind, string recipientId, IEnumerable<string> itemKeys) =>
        Covered.TryGetValue(Entry(kind, recipientId), out var covered) && itemKeys.All(covered.Contains);

    /// <summary>Whether every digest these items call for went out today to the role holders of <paramref name="stamp"/>.</summary>
    public bool CoversAll(string stamp, IEnumerable<string> reminded, IEnumerable<string> escalated) =>
        Stamp == stamp && reminded.All(Reminded.Contains) && escalated.All(Escalated.Contains);

    /// <summary>The ledger row after these sends: each entry is the union of what it held and what was just sent.</summary>
    /// <param name="complete">When every digest the release needed now went out: the items and stamp that let later sweeps skip it.</param>
    public TableEntity After(IEnumerable<(string Kind, string RecipientId, IEnumerable<string> ItemKeys)> sent, (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? complete = null)
    {
        var row = new TableEntity(SentMarkers.DayPartition(Day), SentMarkers.LedgerRow(ReleaseId)) { ["ReleaseId"] = ReleaseId };
        foreach (var group in sent.GroupBy(s => Entry(s.Kind, s.RecipientId)))
        {
            var items = new SortedSet<string>(Covered.TryGetValue(group.Key, out var before) ? before : [], StringComparer.Ordinal);
            items.UnionWith(group.SelectMany(g => g.ItemKeys));
            row[group.Key] = string.Join(",", items);
        }

        if (complete is { } done)
        {
            row[StampColumn] = done.Stamp;
            row[RemindedColumn] = string.Join(",", done.Reminded.Distinct().Order(StringComparer.Ordinal));
            row[EscalatedColumn] = string.Join(",", done.Escalated.Distinct().Order(StringComparer.Ordinal));
        }

        return row;
    }

    internal static SentLedger Read(string releaseId, string day, TableEntity? row)
    {
        var covered = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (row is null)
        {
            return new SentLedger(releaseId, day, covered);
        }

        foreach (var (name, value) in row)
        {
            if (name.StartsWith("c_", StringComparison.Ordinal) && value is string items)
            {
                covered[name] = Set(items);
            }
        }

        return new SentLedger(releaseId, day, covered)
        {
            Reminded = Set(row.GetString(RemindedColumn)),
            Escalated = Set(row.GetString(EscalatedColumn)),
            Stamp = row.GetString(StampColumn),
        };
    }

    private static HashSet<string> Set(string? items) => (items ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Never twice, never lost: a send is claimed by a conditional insert (409 = someone else has it), marked Sent after it
/// went out, and released for a retry when it failed. A claim whose claimer died is retaken after its lease, ETag-conditionally.
/// </summary>
public sealed class SentMarkers(ReleaseTables tables, IOptions<RemindersOptions> options, TimeProvider time)
{
    /// <summary>An entity-group transaction holds at most 100 operations.</summary>
    public const int MaxBatch = 100;

    /// <summary>The row key of a release's day ledger before day partitions (the daily cleanup still removes those rows).</summary>
    public static string LedgerKey(string day) => "ledger|" + day;

    /// <summary>Digest markers and ledgers of one local day (the release's time zone).</summary>
    public static string DayPartition(string day) => "day|" + day;

    public static string LedgerRow(string releaseId) => "l|" + TableKeys.Escape(releaseId);

    /// <summary>The marker of a person's one message of the day (per kind) in the release's channel.</summary>
    public static DigestSend Send(ReminderDigest digest, DateTimeOffset now) => Send(new ChannelDigest([digest]), now);

    /// <summary>
    /// The marker of a person's one message of the day (per kind) in a channel: channel | day | kind | person, whatever it
    /// lists, so a second message the same day finds it taken. The day is the local day of the first release.
    /// </summary>
    public static DigestSend Send(ChannelDigest digest, DateTimeOffset now)
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
    public async Task<SentLedger> LedgerAsync(string releaseId, string day, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(DayPartition(day), LedgerRow(releaseId), cancellationToken: cancellationToken);
        return SentLedger.Read(releaseId, day, found.HasValue ? found.Value : null);
    }

    /// <summary>The ledgers of every release for these days: one query (a page per 1,000 rows), not a read per release.</summary>
    public async Task<IReadOnlyDictionary<(string Day, string ReleaseId), SentLedger>> LedgersAsync(IReadOnlyCollection<string> days, CancellationToken cancellationToken)
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

    public async Task<SentMarkerRow?> GetAsync(string releaseId, string key, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<SentMarkerRow>(TableKeys.Escape(releaseId), TableKeys.Escape(key), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The claim to send, or null when someone else holds it, already sent it, or gave up on it.</summary>
    public Task<SentMarkerRow?> TryClaimAsync(string releaseId, string key, string recipient, string items, CancellationToken cancellationToken) =>
        TryClaimAsync(new DigestSend(TableKeys.Escape(releaseId), TableKeys.Escape(key), recipient, items), cancellationToken);

    /// <summary>The claim to send, or null when someone else holds it, already sent it, or gave up on it.</summary>
    public async Task<SentMarkerRow?> TryClaimAsync(DigestSend send, CancellationToken cancellationToken) =>
        (await ClaimAsync(send, cancellationToken)).Claim;

    /// <summary>The claim to send, or (null, true) when it was sent or given up on already, or (null, false) while someone else holds it.</summary>
    public async Task<(SentMarkerRow? Claim, bool Settled)> ClaimAsync(DigestSend send, CancellationToken cancellationToken)
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
    /// claims in the same order, null where a send is taken. A transaction that meets a taken key writes nothing; its
    /// sends are then claimed one by one with <see cref="TryClaimAsync(DigestSend, CancellationToken)"/>, which knows when a taken claim may be retaken.
    /// </summary>
    public async Task<IReadOnlyList<SentMarkerRow?>> TryClaimAllAsync(IReadOnlyList<DigestSend> sends, CancellationToken cancellationToken) =>
        (await ClaimAllAsync(sends, cancellationToken)).Select(c => c.Claim).ToList();

    /// <summary>As <see cref="TryClaimAllAsync"/>, with whether a send that could not be claimed is settled (sent or given up on).</summary>
    public async Task<IReadOnlyList<(SentMarkerRow? Claim, bool Settled)>> ClaimAllAsync(IReadOnlyList<DigestSend> sends, CancellationToken cancellationToken)
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

    /// <summary>
    /// Marks sent claims of one partition, with ledger rows of the same partition, in transactions of up to 100; when a
    /// claim was retaken meanwhile (412), that transaction's claims are marked one by one.
    /// </summary>
    public async Task MarkAllSentAsync(IReadOnlyList<SentMarkerRow> claims, IReadOnlyList<TableEntity> ledgers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(ledgers);
        var partitions = claims.Select(c => c.PartitionKey).Concat(ledgers.Select(l => l.PartitionKey)).Distinct(StringComparer.Ordinal).Count();
        if (partitions == 0)
        {
            return;
        }

        if (partitions > 1)
        {
            throw new ArgumentException("Marks in one call share a partition.", nameof(claims));
        }

        var work = claims.Select(c => (Claim: (SentMarkerRow?)c, Ledger: (TableEntity?)null)).Concat(ledgers.Select(l => (Claim: (SentMarkerRow?)null, Ledger: (TableEntity?)l))).ToList();
        foreach (var chunk in work.Chunk(MaxBatch))
        {
            var mine = chunk.Where(c => c.Claim is not null).Select(c => c.Claim!).ToList();
            var rows = chunk.Where(c => c.Ledger is not null).Select(c => c.Ledger!).ToList();
            if (chunk.Length == 1)
            {
                await MarkOneByOneAsync(mine, rows, cancellationToken);
                continue;
            }

            var sentAt = time.GetUtcNow();
            var actions = mine.Select(c => new TableTransactionAction(TableTransactionActionType.UpdateReplace, SentCopy(c, sentAt), c.ETag))
                .Concat(rows.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertMerge, l)))
                .ToList();
            try
            {
                var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                for (var i = 0; i < mine.Count; i++)
                {
                    mine[i].State = nameof(SentMarkerState.Sent);
                    mine[i].SentAt = sentAt;
                    mine[i].LastError = null;
                    mine[i].ETag = response.Value[i].Headers.ETag ?? default;
                }
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                // A lease ran out mid-send and another sweep retook that claim: its outcome stands, the others are still ours.
                await MarkOneByOneAsync(mine, rows, cancellationToken);
            }
        }
    }

    /// <summary>Marks several sent claims with their ledger row (one release's partition or day): see <see cref="MarkAllSentAsync(IReadOnlyList{SentMarkerRow}, IReadOnlyList{TableEntity}, CancellationToken)"/>.</summary>
    public Task MarkAllSentAsync(IReadOnlyList<SentMarkerRow> claims, TableEntity? ledger, CancellationToken cancellationToken) =>
        MarkAllSentAsync(claims, ledger is null ? [] : [ledger], cancellationToken);

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

    private static SentMarkerRow SentCopy(SentMarkerRow claim, DateTimeOffset sentAt) => new()
    {
        PartitionKey = claim.PartitionKey,
        RowKey = claim.RowKey,
        ETag = claim.ETag,
        State = nameof(SentMarkerState.Sent),
        Attempts = claim.Attempts,
        LeaseUntil = claim.LeaseUntil,
        Items = claim.Items,
        Recipient = claim.Recipient,
        SentAt = sentAt,
    };

    private async Task MarkOneByOneAsync(IReadOnlyList<SentMarkerRow> claims, IReadOnlyList<TableEntity> ledgers, CancellationToken cancellationToken)
    {
        foreach (var claim in claims)
        {
            await MarkSentAsync(claim, cancellationToken);
        }

        foreach (var ledger in ledgers)
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
