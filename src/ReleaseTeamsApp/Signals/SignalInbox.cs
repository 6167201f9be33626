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
/// The outbox between the receivers and the evaluator. Accepting a delivery inserts its dedupe marker and its pending
/// row in one transaction of one partition, so a replayed delivery id is refused (409) and an accepted one is never lost.
/// </summary>
public sealed class SignalInbox(SignalTables tables, TimeProvider time)
{
    /// <summary>Partitions the inbox spreads over, so a burst does not write into one partition only.</summary>
    public const int Buckets = 8;

    /// <summary>How long a claimed delivery stays with its evaluator before another may take it (the first one crashed).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly DateTimeOffset NotLeased = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string DedupePrefix = "d|";
    private const string PendingPrefix = "p|";

    /// <summary>Accepts a delivery; false when this delivery id was accepted before (a replay).</summary>
    public async Task<bool> AcceptAsync(string source, string deliveryId, SignalEvent? signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var partition = Bucket(source, deliveryId);
        var marker = new TableEntity(partition, DedupePrefix + TableKeys.Escape($"{source}|{deliveryId}"))
        {
            ["ReceivedAt"] = now,
            ["Event"] = signal?.Kind ?? "ignored",
        };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, marker) };
        if (signal is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, PendingPrefix + TableKeys.Escape(string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}|{source}|{deliveryId}")))
            {
                ["Source"] = source,
                ["DeliveryId"] = deliveryId,
                ["Data"] = StoredJson.Write(signal),
                ["ReceivedAt"] = now,
                ["LeasedUntil"] = NotLeased,
            }));
        }

        try
        {
            await tables.Inbox.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Claims up to <paramref name="max"/> waiting deliveries, oldest first per partition; each is leased to the caller.</summary>
    public async Task<IReadOnlyList<PendingDelivery>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = new List<PendingDelivery>();
        for (var bucket = 0; bucket < Buckets && claimed.Count < max; bucket++)
        {
            var partition = BucketName(bucket);
            var filter = $"PartitionKey eq '{partition}' and RowKey ge '{PendingPrefix}' and RowKey lt 'p}}'";
            await foreach (var row in tables.Inbox.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (claimed.Count >= max)
                {
                    break;
                }

                if (row.GetDateTimeOffset("LeasedUntil") is { } leased && leased > now)
                {
                    continue;
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

    /// <summary>The delivery is evaluated: its pending row goes, its dedupe marker records when.</summary>
    public async Task CompleteAsync(PendingDelivery delivery, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var marker = new TableEntity(delivery.Partition, DedupePrefix + TableKeys.Escape($"{delivery.Source}|{delivery.DeliveryId}"))
        {
            ["EvaluatedAt"] = time.GetUtcNow(),
            ["Outcome"] = outcome.Length > 1000 ? outcome[..1000] : outcome,
        };
        await tables.Inbox.UpsertEntityAsync(marker, TableUpdateMode.Merge, cancellationToken);
        try
        {
            await tables.Inbox.DeleteEntityAsync(delivery.Partition, delivery.RowKey, delivery.ETag, cancellationToken);
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
            await foreach (var _ in tables.Inbox.QueryAsync<TableEntity>($"PartitionKey eq '{BucketName(bucket)}' and RowKey ge '{PendingPrefix}' and RowKey lt 'p}}'", select: ["RowKey"], cancellationToken: cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>When a delivery was evaluated and what came of it; null when it was not (yet).</summary>
    public async Task<(DateTimeOffset? EvaluatedAt, string? Outcome)?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken)
    {
        var row = await tables.Inbox.GetEntityIfExistsAsync<TableEntity>(Bucket(source, deliveryId), DedupePrefix + TableKeys.Escape($"{source}|{deliveryId}"), cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.GetDateTimeOffset("EvaluatedAt"), row.Value.GetString("Outcome")) : null;
    }

    private static string Bucket(string source, string deliveryId) =>
        BucketName(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{deliveryId}"))[0] % Buckets);

    private static string BucketName(int bucket) => string.Create(CultureInfo.InvariantCulture, $"inbox-{bucket}");
}
