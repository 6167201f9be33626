using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Housekeeping;

/// <summary>What one cleanup removed (or, for outbox entries written before they had due pointers, indexed).</summary>
public sealed record ExpiredRowsResult(bool Ran, int DedupeMarkers, int SentMarkers, int OutboxEntries, int OutboxIndexed, int AnnouncementQuota = 0);

/// <summary>
/// Once a day (claimed, so overlapping hosts run it once), deletes rows whose purpose has passed: idempotency markers of
/// commands (Teams redelivers within minutes), reminder sent-markers and ledgers of past days, and outbox entries long
/// finished. Follow-up markers and the retrospective's event entry are kept: they say "once per release", whatever its age.
/// </summary>
public sealed class ExpiredRows(ReleaseTables tables, GraphOutbox outbox, TimeProvider time, ILogger<ExpiredRows> logger)
{
    public static readonly TimeSpan DedupeAge = TimeSpan.FromDays(7);

    public static readonly TimeSpan SentMarkerAge = TimeSpan.FromDays(30);

    /// <summary>Long past any release's life: an announcement key must keep a repeat from mailing twice while the release is active.</summary>
    public static readonly TimeSpan OutboxAge = TimeSpan.FromDays(90);

    private const string MaintenancePartition = "~maintenance";

    private string? _doneDay;

    public async Task<ExpiredRowsResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (_doneDay == day || !await ClaimAsync(day, cancellationToken))
        {
            _doneDay = day;
            return new ExpiredRowsResult(false, 0, 0, 0, 0);
        }

        _doneDay = day;
        var dedupe = await DeleteAsync(tables.Releases, $"RowKey ge '{TableKeys.DedupePrefix}' and RowKey lt 'dedupe}}' and Timestamp lt {Date(now - DedupeAge)}", cancellationToken);
        var markers = await DeleteAsync(tables.Reminders, $"RowKey ge '2000-' and RowKey lt '3000' and (State eq 'Sent' or State eq 'Abandoned') and Timestamp lt {Date(now - SentMarkerAge)}", cancellationToken)
            + await DeleteAsync(tables.Reminders, $"RowKey ge 'ledger|' and RowKey lt 'ledger}}' and Timestamp lt {Date(now - SentMarkerAge)}", cancellationToken)
            + await DeleteAsync(tables.Reminders, $"PartitionKey ge 'day|' and PartitionKey lt 'day|{(now - SentMarkerAge).UtcDateTime:yyyyMMdd}'", cancellationToken);
        // A notice still due keeps its entry (a missing column never matches a filter, so this is checked here).
        var finished = await DeleteAsync(tables.Outbox, $"(Status eq 'Sent' or Status eq 'Recorded' or Status eq 'Dead') and Kind ne '{nameof(OutboxKind.RetrospectiveEvent)}' and CompletedAt lt {Date(now - OutboxAge)}", cancellationToken, row => row.GetString(nameof(OutboxRow.ThreadNotice)) != ThreadNotices.Due);
        // A person's announcement count matters for its UTC day only; two days keep it safe from clock skew.
        var quota = await DeleteAsync(tables.Outbox, $"PartitionKey ge '{AnnouncementQuota.PartitionPrefix}' and PartitionKey lt 'quota}}' and SentAt lt {Date(now - TimeSpan.FromDays(2))}", cancellationToken);
        var indexed = await IndexLegacyOutboxAsync(cancellationToken);
        var result = new ExpiredRowsResult(true, dedupe, markers, finished, indexed, quota);
        HousekeepingLog.Cleaned(logger, day, dedupe, markers, finished, indexed);
        return result;
    }

    /// <summary>One host a day: a conditional insert of the day's row (409 = another host has it).</summary>
    private async Task<bool> ClaimAsync(string day, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Reminders.AddEntityAsync(new TableEntity(MaintenancePartition, "cleanup|" + day), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private static async Task<int> DeleteAsync(TableClient table, string filter, CancellationToken cancellationToken, Func<TableEntity, bool>? expired = null)
    {
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", nameof(OutboxRow.ThreadNotice)], cancellationToken: cancellationToken))
        {
            if (expired?.Invoke(row) == false)
            {
                continue;
            }

            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Gone or rewritten since it was read: a newer row is not expired.
            }
        }

        return deleted;
    }

    /// <summary>Entries written before the due pointers existed are given theirs, so the sweep (which reads only pointers) finds them.</summary>
    private async Task<int> IndexLegacyOutboxAsync(CancellationToken cancellationToken)
    {
        var indexed = 0;
        var filter = $"PartitionKey ne '{GraphOutbox.DuePartition}' and PartitionKey ne '{GraphOutbox.NoticePartition}' and (Status eq 'Pending' or Status eq 'Sending' or ThreadNotice eq '{ThreadNotices.Due}')";
        await foreach (var row in tables.Outbox.QueryAsync<OutboxRow>(filter, cancellationToken: cancellationToken))
        {
            var active = row.Status is nameof(OutboxStatus.Pending) or nameof(OutboxStatus.Sending);
            if ((active && row.DueKey is null) || (row.ThreadNotice == ThreadNotices.Due && !row.NoticeIndexed))
            {
                indexed += await outbox.TryReplaceAsync(row, cancellationToken) ? 1 : 0;
            }
        }

        return indexed;
    }

    private static string Date(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture, $"datetime'{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'");
}
