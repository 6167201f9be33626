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

    /// <summary>Adds the entry unless its key is already there; returns false when it was (enqueuing twice is a no-op).</summary>
    public async Task<bool> EnqueueAsync<TPayload>(string releaseId, string key, OutboxKind kind, TPayload payload, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
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
        try
        {
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
        await tables.EnsureCreatedAsync();
        var row = await tables.Outbox.GetEntityIfExistsAsync<OutboxRow>(OutboxKeys.Partition(releaseId), OutboxKeys.Row(key), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<OutboxEntry?> GetAsync(string releaseId, string key, CancellationToken cancellationToken) =>
        await GetRowAsync(releaseId, key, cancellationToken) is { } row ? OutboxEntry.From(row) : null;

    public async Task<IReadOnlyList<OutboxRow>> ListRowsAsync(string releaseId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
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
        await tables.EnsureCreatedAsync();
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"(Status eq 'Pending' or Status eq 'Sending') and NextAttemptAt le datetime'{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");
        var due = new List<OutboxRow>();
        await foreach (var row in tables.Outbox.QueryAsync<OutboxRow>(filter, maxPerPage: BatchSize, cancellationToken: cancellationToken))
        {
            due.Add(row);
            if (due.Count == BatchSize)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Entries whose outcome the release thread has not been told yet (see <see cref="OutboxRow.ThreadNotice"/>); at most <see cref="BatchSize"/>.</summary>
    internal async Task<IReadOnlyList<OutboxRow>> GetThreadNoticesDueAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var due = new List<OutboxRow>();
        await foreach (var row in tables.Outbox.QueryAsync<OutboxRow>($"ThreadNotice eq '{ThreadNotices.Due}'", maxPerPage: BatchSize, cancellationToken: cancellationToken))
        {
            due.Add(row);
            if (due.Count == BatchSize)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Writes the row if nobody changed it since it was read; false when another worker got there first (412).</summary>
    internal async Task<bool> TryReplaceAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        row.UpdatedAt = time.GetUtcNow();
        try
        {
            var response = await tables.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }
}
