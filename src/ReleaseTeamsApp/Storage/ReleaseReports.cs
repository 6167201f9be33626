using System.Globalization;
using Azure.Data.Tables;

namespace ReleaseTeamsApp.Storage;

/// <summary>A release's closing reports, kept in its partition (rows "report|md" / "report|csv"); a newer report replaces the older.</summary>
internal sealed class ReleaseReports(ReleaseTables tables)
{
    /// <summary>A string property holds 32K characters, so a long report spans Data0…DataN (an entity holds up to 1 MiB).</summary>
    private const int Chunk = 30_000;

    private const string Kind = "report";

    public async Task SaveAsync(string releaseId, ReleaseReportFormat format, string content, CancellationToken cancellationToken)
    {
        var row = new TableEntity(releaseId, RowKey(format)) { ["Kind"] = Kind };
        var chunks = content.Chunk(Chunk).Select(c => new string(c)).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            row[Data(i)] = chunks[i];
        }

        row["Chunks"] = chunks.Count;

        // The report is derived from the release's rows, so the newest one wins; it is not shared state anyone edits.
        await tables.Releases.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<string?> GetAsync(string releaseId, ReleaseReportFormat format, CancellationToken cancellationToken)
    {
        var found = await tables.Releases.GetEntityIfExistsAsync<TableEntity>(releaseId, RowKey(format), cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        var count = row.GetInt32("Chunks") ?? 0;
        return string.Concat(Enumerable.Range(0, count).Select(i => row.GetString(Data(i))));
    }

    private static string RowKey(ReleaseReportFormat format) => format == ReleaseReportFormat.Csv ? "report|csv" : "report|md";

    private static string Data(int chunk) => string.Create(CultureInfo.InvariantCulture, $"Data{chunk}");
}
