using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Announcements;

/// <summary>
/// How many stakeholder announcements one person may send per day (Graph:MaxAnnouncementsPerPersonPerDay), across all
/// releases: one row per sent announcement in the Outbox table, partitioned by tenant, person and UTC day, keyed by slot
/// number, so concurrent sends can never take more slots than the limit (a taken slot answers 409).
/// Per release the outbox allows each kind once, so a release sends at most three.
/// </summary>
internal sealed class AnnouncementQuota(ReleaseTables tables, IOptions<GraphOptions> options, TimeProvider time)
{
    /// <summary>Partitions of the quota rows start with this (ExpiredRows deletes the days gone by).</summary>
    public const string PartitionPrefix = "quota|";

    /// <summary>
    /// The slot <paramref name="sender"/> takes for one more announcement today, or null when the day's limit is reached.
    /// Give it back with <see cref="ReturnAsync"/> when nothing new was queued after all.
    /// </summary>
    public async Task<AnnouncementSlot?> TryTakeAsync(string tenantId, Person sender, string announcementKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var now = time.GetUtcNow();
        var partition = TableKeys.Escape(string.Create(CultureInfo.InvariantCulture, $"{PartitionPrefix}{tenantId}|{sender.AadObjectId ?? sender.Id}|{now:yyyyMMdd}"));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in tables.Outbox.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(partition)}'", select: ["RowKey"], cancellationToken: cancellationToken))
        {
            taken.Add(row.RowKey);
        }

        for (var slot = 0; slot < options.Value.MaxAnnouncementsPerPersonPerDay; slot++)
        {
            var key = slot.ToString("D4", CultureInfo.InvariantCulture);
            if (taken.Contains(key))
            {
                continue;
            }

            try
            {
                await tables.Outbox.AddEntityAsync(new TableEntity(partition, key) { ["Announcement"] = announcementKey, ["SentAt"] = now }, cancellationToken);
                return new AnnouncementSlot(partition, key);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Taken by a concurrent send of the same person since the read: try the next one.
            }
        }

        return null;
    }

    /// <summary>Frees a slot whose announcement turned out to be queued already (a repeated or concurrent click).</summary>
    public async Task ReturnAsync(AnnouncementSlot slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        try
        {
            await tables.Outbox.DeleteEntityAsync(slot.Partition, slot.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone (expired): nothing to give back.
        }
    }
}

/// <summary>One counted announcement of one person's day.</summary>
internal sealed record AnnouncementSlot(string Partition, string RowKey);
