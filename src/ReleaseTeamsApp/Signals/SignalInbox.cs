using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Signals;

/// <summary>A delivery waiting for evaluation, claimed by one evaluator at a time.</summary>
public sealed record PendingDelivery(string Source, string DeliveryId, SignalEvent Event, DateTimeOffset ReceivedAt, string Partition, string RowKey, ETag ETag)
{
    /// <summary>The idempotency key of what this delivery writes to a release: at most once per release, even when evaluated again after a crash.</summary>
    public string Key => $"signal|{Source}|{DeliveryId}";
}

/// <summary>
/// The outbox between the receivers and the evaluator. Accepting a delivery is one insert of one row whose key is the
/// delivery id: the insert is the dedupe (409 = a replay), and the row holds the event until the evaluator marks it
/// evaluated; the row then stays as the delivery's marker, so a replay is refused however late it comes.
/// </summary>
public sealed class SignalInbox(SignalTables tables, TimeProvider time)
{
    /// <summary>Partitions the inbox spreads over, so a burst does not write into one partition only.</summary>
    public const int Buckets = 8;

    /// <summary>How long a claimed delivery stays with its evaluator before another may take it (the first one crashed).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly DateTimeOffset NotLeased = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string DeliveryPrefix = "d|";

    /// <summary>Accepts a delivery; false when this delivery id was accepted before (a replay).</summary>
    public async Task<bool> AcceptAsync(string source, string deliveryId, SignalEvent? signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new TableEntity(Bucket(source, deliveryId), RowKeyOf(source, deliveryId))
        {
            ["ReceivedAt"] = now,
            ["Event"] = signal?.Kind ?? "ignored",
            ["Source"] = source,
            ["DeliveryId"] = deliveryId,
            // An event that settles nothing is only a marker: nothing waits for the evaluator.
            ["Pending"] = signal is not null,
        };
        if (signal is not null)
        {
            row["Data"] = StoredJson.Write(signal);
            row["LeasedUntil"] = NotLeased;
        }

        try
        {
            await tables.Inbox.AddEntityAsync(row, cancellationToken);
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
    /// The delivery is evaluated: its row becomes the marker (when and what came of it, the event dropped). Only the
    /// lease holder writes it; when the lease ran out and another evaluator took the delivery, that one finishes it.
    /// </summary>
    public async Task CompleteAsync(PendingDelivery delivery, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(outcome);
        var marker = new TableEntity(delivery.Partition, delivery.RowKey)
        {
            ["ReceivedAt"] = delivery.ReceivedAt,
            ["Event"] = delivery.Event.Kind,
            ["Source"] = delivery.Source,
            ["DeliveryId"] = delivery.DeliveryId,
            ["Pending"] = false,
            ["EvaluatedAt"] = time.GetUtcNow(),
            ["Outcome"] = outcome.Length > 1000 ? outcome[..1000] : outcome,
        };
        try
        {
            await tables.Inbox.UpdateEntityAsync(marker, delivery.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // The lease ran out and another evaluator took it; its writes are idempotent per release.
        }
    }

    /// <summary>How many deliveries wait (for the benchmark and the dev endpoints).</summary>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            await foreach (var _ in tables.Inbox.QueryAsync<TableEntity>($"PartitionKey eq '{BucketName(bucket)}' and Pending eq true", select: ["RowKey"], cancellationToken: cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>When a delivery was evaluated and what came of it; null when it was not (yet).</summary>
    public async Task<(DateTimeOffset? EvaluatedAt, string? Outcome)?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken)
    {
        var row = await tables.Inbox.GetEntityIfExistsAsync<TableEntity>(Bucket(source, deliveryId), RowKeyOf(source, deliveryId), cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.GetDateTimeOffset("EvaluatedAt"), row.Value.GetString("Outcome")) : null;
    }

    /// <summary>Waiting rows of a bucket whose lease is free (the service filters; evaluated markers carry Pending false).</summary>
    private static string PendingFilter(int bucket, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"PartitionKey eq '{BucketName(bucket)}' and Pending eq true and LeasedUntil le datetime'{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");

    private static string RowKeyOf(string source, string deliveryId) => DeliveryPrefix + TableKeys.Escape($"{source}|{deliveryId}");

    private static string Bucket(string source, string deliveryId) =>
        BucketName(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{deliveryId}"))[0] % Buckets);

    private static string BucketName(int bucket) => string.Create(CultureInfo.InvariantCulture, $"inbox-{bucket}");
}
