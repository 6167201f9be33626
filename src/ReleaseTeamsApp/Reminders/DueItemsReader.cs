using Azure;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// Reads a release row and only the named item rows of its partition (one query), so a sweep's reads grow with the
/// due rows rather than with every item of every release. The state is for reading: its item list is partial.
/// </summary>
public sealed class DueItemsReader(ReleaseTables tables)
{
    private const int MaxRowsPerQuery = 14;

    private static readonly string[] Columns = ["RowKey", "Data"];

    public async Task<ReleaseState?> ReadAsync(string releaseId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        Release? release = null;
        var items = new List<ChecklistItem>();
        var keys = itemIds.Distinct(StringComparer.Ordinal).Select(TableKeys.Item).Prepend(TableKeys.ReleaseRow);

        // Table Storage allows 15 comparisons per filter: the partition plus up to 14 row keys per query; the queries run side by side.
        var pages = await Task.WhenAll(keys.Chunk(MaxRowsPerQuery).Select(chunk => QueryAsync(releaseId, chunk, cancellationToken)));
        foreach (var row in pages.SelectMany(p => p))
        {
            if (row.RowKey == TableKeys.ReleaseRow)
            {
                release = StoredJson.Read<Release>(row.Data);
            }
            else
            {
                items.Add(StoredJson.Read<ChecklistItem>(row.Data));
            }
        }

        return release is null ? null : new ReleaseState(release, default(ETag), items.OrderBy(i => i.Order).ToList(), new Dictionary<string, ETag>(), duplicate: false);
    }

    private async Task<List<ReleaseRow>> QueryAsync(string releaseId, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq '{TableKeys.Quote(releaseId)}' and ({string.Join(" or ", rowKeys.Select(k => $"RowKey eq '{TableKeys.Quote(k)}'"))})";
        var rows = new List<ReleaseRow>();
        await foreach (var row in tables.Releases.QueryAsync<ReleaseRow>(filter, select: Columns, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
