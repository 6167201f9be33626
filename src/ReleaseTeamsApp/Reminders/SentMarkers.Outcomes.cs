using Azure;
using Azure.Data.Tables;

namespace ReleaseTeamsApp.Reminders;

/// <summary>What became of a claimed send: marked Sent once it went out (with the ledger rows, in transactions), or released for a retry.</summary>
public sealed partial class SentMarkers
{
    /// <summary>
    /// Marks sent claims of one partition, with ledger rows of the same partition, in transactions of up to 100; when a
    /// claim was retaken meanwhile (412), that transaction's claims are marked one by one.
    /// </summary>
    internal async Task MarkAllSentAsync(IReadOnlyList<SentMarkerRow> claims, IReadOnlyList<TableEntity> ledgers, CancellationToken cancellationToken)
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
    internal Task MarkAllSentAsync(IReadOnlyList<SentMarkerRow> claims, TableEntity? ledger, CancellationToken cancellationToken) =>
        MarkAllSentAsync(claims, ledger is null ? [] : [ledger], cancellationToken);


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

    internal async Task MarkSentAsync(SentMarkerRow claim, CancellationToken cancellationToken)
    {
        claim.State = nameof(SentMarkerState.Sent);
        claim.SentAt = time.GetUtcNow();
        claim.LastError = null;
        await UpdateAsync(claim, cancellationToken);
    }

    /// <summary>The send failed: the next sweep may retry at once, up to the attempt limit.</summary>
    internal async Task ReleaseAsync(SentMarkerRow claim, string error, CancellationToken cancellationToken)
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
