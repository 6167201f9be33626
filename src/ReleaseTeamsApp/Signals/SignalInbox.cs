using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>A delivery waiting for evaluation, claimed by one evaluator at a time.</summary>
public sealed record PendingDelivery(string Source, string DeliveryId, SignalEvent Event, DateTimeOffset ReceivedAt, string Partition, string RowKey, ETag ETag)
{
    /// <summary>The idempotency key of what this delivery writes to a release: at most once per release, even when evaluated again after a crash.</summary>
    public string Key => $"signal|{Source}|{DeliveryId}";
}

/// <summary>
/// The outbox between the receivers and the evaluator, one partition per bucket. Accepting a delivery is one
/// transaction of two rows: the marker, whose key is the delivery id (its insert is the dedupe: 409 = a replay), and a
/// pending row holding the event in the bucket's pending key range. The evaluator scans only that range; evaluating a
/// delivery deletes its pending row and records the outcome on the marker in one transaction. Markers stay for the
/// replay window (<see cref="SignalInboxOptions.ReplayWindow"/>), so a replay is refused however late GitHub or Azure
/// DevOps may send it, and are removed after it, so neither the scan nor the table grows with history.
/// </summary>
public sealed class SignalInbox(SignalTables tables, IOptions<SignalInboxOptions> options, TimeProvider time)
{
    /// <summary>Partitions the inbox spreads over, so a burst does not write into one partition only.</summary>
    public const int Buckets = 8;

    /// <summary>How long a claimed delivery stays with its evaluator before another may take it (the first one crashed).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>How often markers past the replay window are looked for (each host keeps its own pace).</summary>
    public static readonly TimeSpan ExpiryInterval = TimeSpan.FromHours(6);

    private static readonly DateTimeOffset NotLeased = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string DeliveryPrefix = "d|";

    private const string PendingPrefix = "p|";

    private long _nextExpiryTicks;

    /// <summary>Accepts a delivery; false when this delivery id was accepted before (a replay).</summary>
    public async Task<bool> AcceptAsync(string source, string deliveryId, SignalEvent? signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var partition = Bucket(source, deliveryId);
        var key = TableKeys.Escape($"{source}|{deliveryId}");
        var marker = new TableEntity(partition, DeliveryPrefix + key)
        {
            ["ReceivedAt"] = now,
            ["Event"] = signal?.Kind ?? "ignored",
            ["Source"] = source,
            ["DeliveryId"] = deliveryId,
            // An event that settles nothing is only a marker: nothing waits for the evaluator.
            ["Pending"] = signal is not null,
        };

        try
        {
            if (signal is null)
            {
                await tables.Inbox.AddEntityAsync(marker, cancellationToken);
            }
            else
            {
                var pending = new TableEntity(partition, PendingPrefix + key)
                {
                    ["ReceivedAt"] = now,
                    ["Source"] = source,
                    ["DeliveryId"] = deliveryId,
                    ["Data"] = StoredJson.Write(signal),
                    ["LeasedUntil"] = NotLeased,
                };
                await tables.Inbox.SubmitTransactionAsync([new(TableTransactionActionType.Add, marker), new(TableTransactionActionType.Add, pending)], cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Claims up to <paramref name="max"/> waiting deliveries whose lease is free; each is leased to the caller.</summary>
    public async Task<IReadOnlyList<PendingDelivery>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = new List<PendingDelivery>();
        for (var bucket = 0; bucket < Buckets && claimed.Count < max; bucket++)
        {
            await foreach (var row in tables.Inbox.QueryAsync<TableEntity>(PendingFilter(bucket, now), cancellationToken: cancellationToken))
            {
                if (claimed.Count >= max)
                {
                    break;
                }

                var lease = new TableEntity(row.PartitionKey, row.RowKey) { ["LeasedUntil"] = now + Lease };
                try
                {
                    var response = await tables.Inbox.UpdateEntityAsync(lease, row.ETag, TableUpdateMode.Merge, cancellationToken);
                    claimed.Add(new PendingDelivery(
                        row.GetString("Source")!, row.GetString("DeliveryId")!, StoredJson.Read<SignalEvent>(row.GetString("Data")!),
                        row.GetDateTimeOffset("ReceivedAt") ?? now, row.PartitionKey, row.RowKey, response.Headers.ETag ?? ETag.All));
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // Another evaluator claimed or finished it first.
                }
            }
        }

        return claimed;
    }

    /// <summary>
    /// The delivery is evaluated: its pending row goes and its marker records when and what came of it, in one
    /// transaction. Only the lease holder does it; when the lease ran out and another evaluator took the delivery, that one finishes it.
    /// </summary>
    public async Task CompleteAsync(PendingDelivery delivery, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(outcome);
        var marker = new TableEntity(delivery.Partition, DeliveryPrefix + delivery.RowKey[PendingPrefix.Length..])
        {
            ["ReceivedAt"] = delivery.ReceivedAt,
            ["Pending"] = false,
            ["EvaluatedAt"] = time.GetUtcNow(),
            ["Outcome"] = outcome.Length > 1000 ? outcome[..1000] : outcome,
        };
        try
        {
            await tables.Inbox.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Delete, new TableEntity(delivery.Partition, delivery.RowKey), delivery.ETag),
                new(TableTransactionActionType.UpsertMerge, marker),
            ], cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // The lease ran out and another evaluator took it; its writes are idempotent per release.
        }
    }

    /// <summary>
    /// Removes the markers of deliveries evaluated (or ignored) longer ago than the replay window; at most every
    /// <see cref="ExpiryInterval"/> unless <paramref name="force"/>. Returns how many were removed.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken, bool force = false)
    {
        var now = time.GetUtcNow();
        var next = Interlocked.Read(ref _nextExpiryTicks);
        if (!force && (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextExpiryTicks, (now + ExpiryInterval).UtcTicks, next) != next))
        {
            return 0;
        }

        var cutoff = string.Create(CultureInfo.InvariantCulture, $"datetime'{(now - options.Value.ReplayWindow).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");
        var removed = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            var expired = new List<TableTransactionAction>();
            await foreach (var row in tables.Inbox.QueryAsync<TableEntity>($"{Range(bucket, DeliveryPrefix)} and Pending eq false and ReceivedAt lt {cutoff}", select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                expired.Add(new(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, row.RowKey), row.ETag));
            }

            await QueueLegacyPendingAsync(bucket, cancellationToken);

            // A transaction holds at most 100 operations, all in one partition (a bucket is one).
            foreach (var chunk in expired.Chunk(100))
            {
                try
                {
                    await tables.Inbox.SubmitTransactionAsync(chunk, cancellationToken);
                    removed += chunk.Length;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // One of them changed or went since it was read: the next run takes the rest.
                }
            }
        }

        return removed;
    }

    /// <summary>Markers written before pending rows existed held their event themselves: each waiting one gets its pending row.</summary>
    private async Task QueueLegacyPendingAsync(int bucket, CancellationToken cancellationToken)
    {
        await foreach (var row in tables.Inbox.QueryAsync<TableEntity>($"{Range(bucket, DeliveryPrefix)} and Pending eq true", cancellationToken: cancellationToken))
        {
            if (row.GetString("Data") is not { } data)
            {
                continue;
            }

            var pending = new TableEntity(row.PartitionKey, PendingPrefix + row.RowKey[DeliveryPrefix.Length..])
            {
                ["ReceivedAt"] = row.GetDateTimeOffset("ReceivedAt") ?? time.GetUtcNow(),
                ["Source"] = row.GetString("Source"),
                ["DeliveryId"] = row.GetString("DeliveryId"),
                ["Data"] = data,
                ["LeasedUntil"] = NotLeased,
            };
            row.Remove("Data");
            row.Remove("LeasedUntil");
            try
            {
                await tables.Inbox.SubmitTransactionAsync([new(TableTransactionActionType.UpdateReplace, row, row.ETag), new(TableTransactionActionType.Add, pending)], cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // An older evaluator finished it meanwhile, or another host moved it.
            }
        }
    }

    /// <summary>How many deliveries wait (for the benchmark and the dev endpoints).</summary>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            await foreach (var _ in tables.Inbox.QueryAsync<TableEntity>(Range(bucket, PendingPrefix), select: ["RowKey"], cancellationToken: cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>When a delivery was evaluated and what came of it; null when it was not (yet).</summary>
    public async Task<(DateTimeOffset? EvaluatedAt, string? Outcome)?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken)
    {
        var row = await tables.Inbox.GetEntityIfExistsAsync<TableEntity>(Bucket(source, deliveryId), DeliveryPrefix + TableKeys.Escape($"{source}|{deliveryId}"), cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.GetDateTimeOffset("EvaluatedAt"), row.Value.GetString("Outcome")) : null;
    }

    /// <summary>Waiting rows of a bucket whose lease is free: a key range that holds pending rows only, so it reads no history.</summary>
    private static string PendingFilter(int bucket, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{Range(bucket, PendingPrefix)} and LeasedUntil le datetime'{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");

    /// <summary>The rows of a bucket whose key starts with <paramref name="prefix"/> ("x|" up to, not including, "x}").</summary>
    private static string Range(int bucket, string prefix) =>
        $"PartitionKey eq '{BucketName(bucket)}' and RowKey ge '{prefix}' and RowKey lt '{prefix[..^1]}}}'";

    private static string Bucket(string source, string deliveryId) =>
        BucketName(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{deliveryId}"))[0] % Buckets);

    private static string BucketName(int bucket) => string.Create(CultureInfo.InvariantCulture, $"inbox-{bucket}");
}
