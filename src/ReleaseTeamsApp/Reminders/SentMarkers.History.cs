using System.Globalization;
using Azure.Data.Tables;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>The day ledgers of earlier days: what the previous escalations of a release told its Release Managers.</summary>
public sealed partial class SentMarkers
{
    /// <summary>How far back an escalation looks for the previous one (weekends and downtime included); older is a first escalation again.</summary>
    internal const int EscalationHistoryDays = 14;

    /// <summary>Releases named per query: two partition comparisons and these row keys stay within Table Storage's 15 per filter.</summary>
    private const int ReleasesPerHistoryQuery = 12;

    /// <summary>
    /// The ledgers of each release on the <see cref="EscalationHistoryDays"/> days before its own local day: one query per
    /// dozen releases (their rows of those day partitions), not a read per release and day. Every release asked for is in
    /// the answer, with no ledgers when it had none.
    /// </summary>
    internal async Task<IReadOnlyDictionary<string, IReadOnlyList<SentLedger>>> EarlierLedgersAsync(IReadOnlyCollection<(string ReleaseId, string Day)> releases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var found = releases.Select(r => r.ReleaseId).Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new List<SentLedger>(), StringComparer.Ordinal);
        var today = releases.GroupBy(r => r.ReleaseId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Day).Max(StringComparer.Ordinal)!, StringComparer.Ordinal);
        await Parallel.ForEachAsync(today.Chunk(ReleasesPerHistoryQuery), cancellationToken, async (chunk, ct) =>
        {
            var from = DayPartition(DayBefore(chunk.Select(c => c.Value).Min(StringComparer.Ordinal)!, EscalationHistoryDays));
            var to = DayPartition(chunk.Select(c => c.Value).Max(StringComparer.Ordinal)!);
            var rows = string.Join(" or ", chunk.Select(c => $"RowKey eq '{TableKeys.Quote(LedgerRow(c.Key))}'"));
            await foreach (var row in Table.QueryAsync<TableEntity>($"PartitionKey ge '{from}' and PartitionKey lt '{to}' and ({rows})", cancellationToken: ct))
            {
                var day = row.PartitionKey["day|".Length..];
                if (row.GetString("ReleaseId") is { } releaseId && today.TryGetValue(releaseId, out var until) && string.CompareOrdinal(day, until) < 0
                    && string.CompareOrdinal(day, DayBefore(until, EscalationHistoryDays)) >= 0)
                {
                    var ledgers = found[releaseId];
                    lock (ledgers)
                    {
                        ledgers.Add(SentLedger.Read(releaseId, day, row));
                    }
                }
            }
        });

        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<SentLedger>)f.Value, StringComparer.Ordinal);
    }

    private static string DayBefore(string day, int days) =>
        DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture).AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
