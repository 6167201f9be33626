using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Graph;

/// <summary>The Outbox table: enqueue by idempotency key, find due entries, claim them with ETags, record outcomes.</summary>
public sealed class GraphOutbox(ReleaseTables tables, TimeProvider time)
{
    /// <summary>At most this many entries are read per sweep; the rest wait for the next timer tick.</summary>
    public const int BatchSize = 25;

    /// <summary>Pointers to Pending and Sending entries, row key = due ticks|release|key: the sweep reads a key range, not the table.</summary>
    internal const string DuePartition = "~due";

    /// <summary>Pointers to entries whose outcome the release thread must still hear (row key = release|key).</summary>
    internal const string NoticePartition = "~notice";

    /// <summary>Adds the entry unless its key is already there; returns false when it was (enqueuing twice is a no-op).</summary>
    public async Task<bool> EnqueueAsync<TPayload>(string releaseId, string key, OutboxKind kind, TPayload payload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new OutboxRow
        {
            PartitionKey = OutboxKeys.Partition(releaseId),
            RowKey = OutboxKeys.Row(key),
            ReleaseId = releaseId,
            Key = key,
            Kind = kind.ToString(),
            Payload = StoredJson.Write(payload),
            Status = nameof(OutboxStatus.Pending),
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        row.DueKey = DueKey(row);
        try
        {
            // The pointer first: a crash before the entry leaves a pointer to nothing (dropped when read), never an entry nobody finds.
            await WritePointerAsync(DuePartition, row.DueKey, row, cancellationToken);
            await tables.Outbox.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<OutboxRow?> GetRowAsync(string releaseId, string key, CancellationToken cancellationToken)
    {
        var row = await tables.Outbox.GetEntityIfExistsAsync<OutboxRow>(OutboxKeys.Partition(releaseId), OutboxKeys.Row(key), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<OutboxEntry?> GetAsync(string releaseId, string key, CancellationToken cancellationToken) =>
        await GetRowAsync(releaseId, key, cancellationToken) is { } row ? OutboxEntry.From(row) : null;

    public async Task<IReadOnlyList<OutboxRow>> ListRowsAsync(string releaseId, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxRow>();
        await foreach (var row in tables.Outbox.QueryAsync<OutboxRow>($"PartitionKey eq '{TableKeys.Quote(OutboxKeys.Partition(releaseId))}'", cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(string releaseId, CancellationToken cancellationToken) =>
        (await ListRowsAsync(releaseId, cancellationToken)).Select(OutboxEntry.From).ToList();

    /// <summary>Pending entries whose next attempt has come, and Sending ones whose lease ran out; at most <see cref="BatchSize"/>.</summary>
    internal async Task<IReadOnlyList<OutboxRow>> GetDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks + 1:D19}");
        return await ResolveAsync(DuePartition, $"PartitionKey eq '{DuePartition}' and RowKey lt '{before}'", (row, pointer) => row.DueKey == pointer, cancellationToken);
    }

    /// <summary>Entries whose outcome the release thread has not been told yet (see <see cref="OutboxRow.ThreadNotice"/>); at most <see cref="BatchSize"/>.</summary>
    internal async Task<IReadOnlyList<OutboxRow>> GetThreadNoticesDueAsync(CancellationToken cancellationToken)
    {
        return await ResolveAsync(NoticePartition, $"PartitionKey eq '{NoticePartition}'", (row, _) => row.NoticeIndexed && row.ThreadNotice == ThreadNotices.Due, cancellationToken);
    }

    /// <summary>Reads up to a batch of pointers (one partition, a key range) and the entries they point to; a pointer its entry no longer matches is dropped.</summary>
    private async Task<IReadOnlyList<OutboxRow>> ResolveAsync(string partition, string filter, Func<OutboxRow, string, bool> current, CancellationToken cancellationToken)
    {
        var pointers = new List<TableEntity>();
        await foreach (var pointer in tables.Outbox.QueryAsync<TableEntity>(filter, maxPerPage: BatchSize, cancellationToken: cancellationToken))
        {
            pointers.Add(pointer);
            if (pointers.Count == BatchSize)
            {
                break;
            }
        }

        var rows = new List<OutboxRow>();
        foreach (var pointer in pointers)
        {
            var row = await GetRowAsync(pointer.GetString("ReleaseId") ?? "", pointer.GetString("Key") ?? "", cancellationToken);
            if (row is not null && current(row, pointer.RowKey))
            {
                rows.Add(row);
            }
            else
            {
                await DeletePointerAsync(partition, pointer.RowKey, pointer.ETag, cancellationToken);
            }
        }

        return rows;
    }

    /// <summary>Writes the row if nobody changed it since it was read; false when another worker got there first (412).</summary>
    internal async Task<bool> TryReplaceAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        row.UpdatedAt = time.GetUtcNow();
        var (oldDue, oldNotice) = (row.DueKey, row.NoticeIndexed);
        var due = row.Status is nameof(OutboxStatus.Pending) or nameof(OutboxStatus.Sending) ? DueKey(row) : null;
        var notice = row.ThreadNotice == ThreadNotices.Due;

        // New pointers before the row, old ones after it: a crash in between leaves an extra pointer (dropped when read), never a missing one.
        if (due is not null && due != oldDue)
        {
            await WritePointerAsync(DuePartition, due, row, cancellationToken);
        }

        if (notice && !oldNotice)
        {
            await WritePointerAsync(NoticePartition, NoticeKey(row), row, cancellationToken);
        }

        (row.DueKey, row.NoticeIndexed) = (due, notice);
        try
        {
            var response = await tables.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            (row.DueKey, row.NoticeIndexed) = (oldDue, oldNotice);
            return false;
        }

        if (oldDue is not null && oldDue != due)
        {
            await DeletePointerAsync(DuePartition, oldDue, ETag.All, cancellationToken);
        }

        if (oldNotice && !notice)
        {
            await DeletePointerAsync(NoticePartition, NoticeKey(row), ETag.All, cancellationToken);
        }

        return true;
    }

    private static string DueKey(OutboxRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.NextAttemptAt.UtcTicks:D19}|{row.PartitionKey}|{row.RowKey}");

    private static string NoticeKey(OutboxRow row) => $"{row.PartitionKey}|{row.RowKey}";

    private async Task WritePointerAsync(string partition, string rowKey, OutboxRow row, CancellationToken cancellationToken) =>
        await tables.Outbox.UpsertEntityAsync(new TableEntity(partition, rowKey) { ["ReleaseId"] = row.ReleaseId, ["Key"] = row.Key }, TableUpdateMode.Replace, cancellationToken);

    private async Task DeletePointerAsync(string partition, string rowKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Outbox.DeleteEntityAsync(partition, rowKey, etag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Already gone, or rewritten meanwhile by a newer state of the entry.
        }
    }
}
