using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Graph;

/// <summary>
/// How many stakeholder announcements one person may send per day (Graph:MaxAnnouncementsPerPersonPerDay), across all
/// releases: one row per sent announcement in the Outbox table, partitioned by tenant, person and UTC day.
/// Per release the outbox already allows each kind once, so a release sends at most three.
/// </summary>
public sealed class AnnouncementQuota(ReleaseTables tables, IOptions<GraphOptions> options, TimeProvider time)
{
    /// <summary>True when <paramref name="sender"/> may send one more today; the announcement is counted right away.</summary>
    public async Task<bool> TryTakeAsync(string tenantId, Person sender, string announcementKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        await tables.EnsureCreatedAsync();
        var partition = TableKeys.Escape(string.Create(CultureInfo.InvariantCulture, $"quota|{tenantId}|{sender.AadObjectId ?? sender.Id}|{time.GetUtcNow():yyyyMMdd}"));
        var used = 0;
        await foreach (var _ in tables.Outbox.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(partition)}'", select: ["RowKey"], cancellationToken: cancellationToken))
        {
            used++;
        }

        if (used >= options.Value.MaxAnnouncementsPerPersonPerDay)
        {
            return false;
        }

        try
        {
            await tables.Outbox.AddEntityAsync(new TableEntity(partition, TableKeys.Escape(announcementKey)) { ["SentAt"] = time.GetUtcNow() }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The same announcement counted before (a repeated click): it is not a new one.
        }

        return true;
    }
}
