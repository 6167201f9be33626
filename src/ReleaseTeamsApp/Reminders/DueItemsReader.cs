using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Reads a release row and the named item rows of its partition in one query, so a sweep's reads grow with the due
/// releases rather than with every item of every release. Up to 14 items are named row by row (Table Storage allows 15
/// comparisons per filter); with more, the release row and all item rows come in one range query (a release has a few
/// dozen items), so a release always costs one request.
/// </summary>
public sealed class DueItemsReader(ReleaseTables tables)
{
    private const int MaxRowsPerQuery = 14;

    private static readonly string[] Columns = ["RowKey", "Data"];

    public async Task<DueItems?> ReadAsync(string releaseId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken)
    {
        Release? release = null;
        var items = new List<ChecklistItem>();
        var named = itemIds.Select(TableKeys.Item).ToHashSet(StringComparer.Ordinal);
        var partition = $"PartitionKey eq '{TableKeys.Quote(releaseId)}'";
        var filter = named.Count < MaxRowsPerQuery
            ? $"{partition} and ({string.Join(" or ", named.Prepend(TableKeys.ReleaseRow).Select(k => $"RowKey eq '{TableKeys.Quote(k)}'"))})"
            : $"{partition} and (RowKey eq '{TableKeys.ReleaseRow}' or (RowKey ge '{TableKeys.ItemPrefix}' and RowKey lt 'item}}'))";
        await foreach (var row in tables.Releases.QueryAsync<ReleaseRow>(filter, select: Columns, cancellationToken: cancellationToken))
        {
            if (row.RowKey == TableKeys.ReleaseRow)
            {
                release = StoredJson.Read<Release>(row.Data);
            }
            else if (named.Contains(row.RowKey))
            {
                items.Add(StoredJson.Read<ChecklistItem>(row.Data));
            }
        }

        return release is null ? null : new DueItems(release, items.OrderBy(i => i.Order).ToList());
    }
}

/// <summary>
/// A release and the few of its items a sweep asked for, read to decide who hears about what: not a <see cref="ReleaseState"/>
/// (it holds only the named items and no ETags), so it cannot be the base of a change.
/// </summary>
public sealed record DueItems(Release Release, IReadOnlyList<ChecklistItem> Items)
{
    public ChecklistItem? Item(string itemId) => Items.FirstOrDefault(i => i.Id == itemId);
}
