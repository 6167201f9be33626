using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Storage;

/// <summary>
/// Due times by UTC hour, so the reminder and follow-up sweeps read what is due rather than every item of every release.
/// One row per release and hour, one column per due item (its due ticks): the sweep reads a row per release-hour, not per
/// item. Merge writes need no read, so concurrent indexing of one release never conflicts. Reading never changes the
/// index; the sweep removes the entries it found stale.
/// </summary>
internal sealed class DueIndex(ReleaseTables tables)
{
    private const string ReleaseProperty = "ReleaseId";
    private const string TimeZoneProperty = "TimeZone";
    private const string RolesProperty = "Roles";
    private const string ChannelProperty = "Channel";
    private const string ItemPrefix = "d_";

    /// <summary>A removed column of a due-index row (a merge cannot delete a column).</summary>
    private const long Removed = 0;

    /// <summary>Indexes the open items with a due time under the release's current time zone, channel and role stamp.</summary>
    public async Task IndexAsync(Release release, IEnumerable<ChecklistItem> items, CancellationToken cancellationToken)
    {
        var stamp = RolesStamp(release);
        foreach (var bucket in items.Where(i => i.DueAt is not null && !i.IsSettled).GroupBy(i => Bucket(i.DueAt!.Value)))
        {
            var row = new TableEntity(bucket.Key, TableKeys.Escape(release.Id))
            {
                [ReleaseProperty] = release.Id,
                [TimeZoneProperty] = release.TimeZoneId,
                [RolesProperty] = stamp,
                [ChannelProperty] = release.Channel.ChannelId,
            };
            foreach (var item in bucket)
            {
                row[Column(item.Id)] = item.DueAt!.Value.UtcTicks;
            }

            await tables.DueIndex.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>
    /// The items of <paramref name="write"/> that need (new) entries: open items whose due time moved or that were reopened
    /// (the sweep removed a settled item's entry). When the role holders or the mute changed, every open item of the release
    /// is indexed again with the new stamp, so the sweep reads the release again today instead of trusting a ledger written
    /// for the people who held the roles before.
    /// </summary>
    public static IReadOnlyList<ChecklistItem> ToIndex(ReleaseState state, ReleaseWrite write)
    {
        var after = write.Release ?? state.Release;
        if (RolesStamp(after) == RolesStamp(state.Release))
        {
            return write.Items.Where(i => i.DueAt is not null && !i.IsSettled && (i.DueAt != state.Item(i.Id)?.DueAt || state.Item(i.Id)?.IsSettled != false)).ToList();
        }

        var written = write.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        return state.Items.Select(i => written.GetValueOrDefault(i.Id) ?? i).Concat(write.Items.Where(i => state.Item(i.Id) is null))
            .Where(i => i.DueAt is not null && !i.IsSettled).ToList();
    }

    /// <summary>Entries with a due time in [dueFrom, dueBefore): reads grow with the due rows, not with all items.</summary>
    public async Task<IReadOnlyList<DueEntry>> ReadAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey ge '{Bucket(dueFrom)}' and PartitionKey le '{Bucket(dueBefore)}'";
        var result = new List<DueEntry>();
        await foreach (var row in tables.DueIndex.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var releaseId = row.GetString(ReleaseProperty);
            var zone = row.GetString(TimeZoneProperty);
            var roles = row.GetString(RolesProperty);
            var channel = row.GetString(ChannelProperty);
            foreach (var (name, dueAt) in Live(row))
            {
                if (dueAt >= dueFrom && dueAt < dueBefore)
                {
                    result.Add(new DueEntry(releaseId, ItemIdOf(name), dueAt, zone, roles, channel));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Removes one entry (the sweep found it stale, or handled it): the row goes when this was its last live entry. An entry
    /// re-indexed in the same hour since it was read is kept, and so is a row someone changed since it was read (their write is newer).
    /// </summary>
    public async Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        var partition = Bucket(entry.DueAt);
        var rowKey = TableKeys.Escape(entry.ReleaseId);
        var column = Column(entry.ItemId);
        var found = await tables.DueIndex.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetInt64(column) != entry.DueAt.UtcTicks)
        {
            return;
        }

        var row = found.Value;
        try
        {
            if (Live(row).All(c => c.Column == column))
            {
                await tables.DueIndex.DeleteEntityAsync(partition, rowKey, row.ETag, cancellationToken);
            }
            else
            {
                await tables.DueIndex.UpdateEntityAsync(new TableEntity(partition, rowKey) { [column] = Removed }, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Someone changed the row since: their write is newer than this removal.
        }
    }

    private static IEnumerable<(string Column, DateTimeOffset DueAt)> Live(TableEntity row) =>
        row.Where(p => p.Key.StartsWith(ItemPrefix, StringComparison.Ordinal) && p.Value is long ticks && ticks != Removed)
            .Select(p => (p.Key, new DateTimeOffset((long)p.Value, TimeSpan.Zero)));

    // Item ids are slugs ([a-z0-9-]); a column name cannot hold '-', so it becomes '_' (which slugs never contain).
    private static string Column(string itemId) => ItemPrefix + itemId.Replace('-', '_');

    private static string ItemIdOf(string column) => column[ItemPrefix.Length..].Replace('_', '-');

    /// <summary>Who holds which role and whether reminders are muted, as a short hash: equal stamps mean the same people hear about the same items.</summary>
    private static string RolesStamp(Release release)
    {
        var holders = string.Join(";", release.Roles.Holders.OrderBy(h => h.Key).Select(h => $"{h.Key}={string.Join(",", h.Value.Select(p => p.Id).Order(StringComparer.Ordinal))}"))
            + (release.RemindersMuted ? ";muted" : "");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(holders)))[..12];
    }

    private static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
