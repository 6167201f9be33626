using System.Globalization;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// What changed in one release's escalation since the Release Manager's previous one: the items newly overdue beyond the
/// limit (listed), the items done or N/A since (listed briefly) and the rest as counts. Null <see cref="SinceDay"/> is a
/// first escalation: nothing earlier to compare with, so every item is new.
/// </summary>
/// <param name="SinceDay">The local day (yyyyMMdd) of the previous escalation that went out to this person.</param>
/// <param name="Moved">Escalated last time and no longer overdue beyond the limit, yet not done (moved, or gone from the checklist).</param>
internal sealed record EscalationChange(string? SinceDay, IReadOnlyList<ChecklistItem> Newly, IReadOnlyList<ChecklistItem> Settled, int StillOverdue, int Moved)
{
    public bool IsFirst => SinceDay is null;

    public bool IsQuiet => !IsFirst && Newly.Count == 0 && Settled.Count == 0 && Moved == 0;

    /// <summary>"Fri 12 Jun", the previous escalation's day.</summary>
    public string? SinceText => SinceDay is null ? null
        : DateOnly.ParseExact(SinceDay, "yyyyMMdd", CultureInfo.InvariantCulture).ToString("ddd d MMM", CultureInfo.InvariantCulture);

    /// <param name="before">The ids the previous escalation listed (null: there was none).</param>
    /// <param name="escalated">What is overdue beyond the limit now, soonest first.</param>
    /// <param name="item">The release's items as read now (null for one not read or no longer on the checklist).</param>
    public static EscalationChange Between(EscalationBaseline? before, IReadOnlyList<ChecklistItem> escalated, Func<string, ChecklistItem?> item)
    {
        ArgumentNullException.ThrowIfNull(escalated);
        ArgumentNullException.ThrowIfNull(item);
        if (before is null)
        {
            return new EscalationChange(null, escalated, [], 0, 0);
        }

        var current = escalated.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var newly = escalated.Where(i => !before.ItemIds.Contains(i.Id)).ToList();
        var left = before.ItemIds.Where(id => !current.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var settled = left.Select(item).OfType<ChecklistItem>().Where(i => i.IsSettled).OrderBy(i => i.CompletedAt ?? i.ChangedAt).ThenBy(i => i.Order).ToList();
        return new EscalationChange(before.Day, newly, settled, escalated.Count - newly.Count, left.Count - settled.Count);
    }
}

/// <summary>The previous escalation of a release to one person: its local day and the ids of the items it listed.</summary>
internal sealed record EscalationBaseline(string Day, IReadOnlySet<string> ItemIds)
{
    /// <summary>
    /// The newest of <paramref name="earlier"/> (a release's day ledgers before today) that escalated to the recipient: the
    /// ledger records only what went out, so a crashed or failed escalation is never the baseline.
    /// </summary>
    public static EscalationBaseline? Latest(IEnumerable<SentLedger> earlier, string recipientId)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var entry = SentLedger.Entry(ReminderDigest.KindName(ReminderKind.Escalation), recipientId);
        return earlier.OrderByDescending(l => l.Day, StringComparer.Ordinal)
            .Where(l => l.Covered.ContainsKey(entry))
            .Select(l => new EscalationBaseline(l.Day, l.Covered[entry].Select(ItemIdOf).ToHashSet(StringComparer.Ordinal)))
            .FirstOrDefault();
    }

    /// <summary>Every item id the previous escalations of these ledgers listed, so the sweep reads their state with the rest.</summary>
    public static IEnumerable<string> ItemIdsIn(IEnumerable<SentLedger> earlier) =>
        earlier.SelectMany(l => l.Covered.Where(c => c.Key.StartsWith(EntryPrefix, StringComparison.Ordinal)).Select(c => (l.Day, c.Key, c.Value)))
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .SelectMany(g => g.MaxBy(c => c.Day, StringComparer.Ordinal).Value)
            .Select(ItemIdOf)
            .Distinct(StringComparer.Ordinal);

    private static string EntryPrefix { get; } = SentLedger.Entry(ReminderDigest.KindName(ReminderKind.Escalation), "")[..^16];

    /// <summary>"id@ticks" (the ledger's item key) → id.</summary>
    private static string ItemIdOf(string key) => key.LastIndexOf('@') is var at and > 0 ? key[..at] : key;
}
