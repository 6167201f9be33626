using Azure.Data.Tables;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// What a day's reminders already told each person of one release, one row per release in the day partition: the sweep
/// reads the rows of all releases in one query. Per person it is advisory (the claims still decide who sends, so a stale
/// ledger costs requests, never a repeat). <see cref="Reminded"/> and <see cref="Escalated"/> list the items whose digests
/// of the day all went out under the role holders stamped <see cref="Stamp"/>: a sweep that finds nothing beyond them
/// does not read the release at all.
/// </summary>
internal sealed record SentLedger(string ReleaseId, string Day, IReadOnlyDictionary<string, IReadOnlySet<string>> Covered)
{
    public const string RemindedColumn = "Reminded";
    public const string EscalatedColumn = "Escalated";
    public const string StampColumn = "Stamp";

    private static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> Reminded { get; init; } = None;

    public IReadOnlySet<string> Escalated { get; init; } = None;

    public string? Stamp { get; init; }

    public static string Entry(string kind, string recipientId) =>
        "c_" + kind + "_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recipientId)))[..16];

    public bool Covers(string kind, string recipientId, IEnumerable<string> itemKeys) =>
        Covered.TryGetValue(Entry(kind, recipientId), out var covered) && itemKeys.All(covered.Contains);

    /// <summary>Whether every digest these items call for went out today to the role holders of <paramref name="stamp"/>.</summary>
    public bool CoversAll(string stamp, IEnumerable<string> reminded, IEnumerable<string> escalated) =>
        Stamp == stamp && reminded.All(Reminded.Contains) && escalated.All(Escalated.Contains);

    /// <summary>The ledger row after these sends: each entry is the union of what it held and what was just sent.</summary>
    /// <param name="complete">When every digest the release needed now went out: the items and stamp that let later sweeps skip it.</param>
    public TableEntity After(IEnumerable<(string Kind, string RecipientId, IEnumerable<string> ItemKeys)> sent, (string Stamp, IEnumerable<string> Reminded, IEnumerable<string> Escalated)? complete = null)
    {
        var row = new TableEntity(SentMarkers.DayPartition(Day), SentMarkers.LedgerRow(ReleaseId)) { ["ReleaseId"] = ReleaseId };
        foreach (var group in sent.GroupBy(s => Entry(s.Kind, s.RecipientId)))
        {
            var items = new SortedSet<string>(Covered.TryGetValue(group.Key, out var before) ? before : [], StringComparer.Ordinal);
            items.UnionWith(group.SelectMany(g => g.ItemKeys));
            row[group.Key] = string.Join(",", items);
        }

        if (complete is { } done)
        {
            row[StampColumn] = done.Stamp;
            row[RemindedColumn] = string.Join(",", done.Reminded.Distinct().Order(StringComparer.Ordinal));
            row[EscalatedColumn] = string.Join(",", done.Escalated.Distinct().Order(StringComparer.Ordinal));
        }

        return row;
    }

    public static SentLedger Read(string releaseId, string day, TableEntity? row)
    {
        var covered = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (row is null)
        {
            return new SentLedger(releaseId, day, covered);
        }

        foreach (var (name, value) in row)
        {
            if (name.StartsWith("c_", StringComparison.Ordinal) && value is string items)
            {
                covered[name] = Set(items);
            }
        }

        return new SentLedger(releaseId, day, covered)
        {
            Reminded = Set(row.GetString(RemindedColumn)),
            Escalated = Set(row.GetString(EscalatedColumn)),
            Stamp = row.GetString(StampColumn),
        };
    }

    private static HashSet<string> Set(string? items) => (items ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
