using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A release's entries in the due index, with what the index knows of it (time zone, role holders).</summary>
internal sealed record DueRelease(string ReleaseId, IReadOnlyList<DueEntry> Entries, TimeZoneInfo? Zone, string? Day, string? Stamp)
{
    public string? ChannelId => Entries.Select(e => e.ChannelId).FirstOrDefault(c => c is not null);

    public static DueRelease Of(string releaseId, IReadOnlyList<DueEntry> entries, DateTimeOffset now)
    {
        var zoneId = entries.Select(e => e.TimeZoneId).Distinct().SingleOrDefault();
        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : null;
        return new DueRelease(releaseId, entries, zone, zone is null ? null : ReminderDigest.Day(zone, now), StampOf(entries));
    }

    /// <summary>
    /// The releases grouped by channel (a channel's releases are handled together, so one message per person and day can
    /// list them all); releases indexed without their channel are a channel of their own.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<DueRelease>> ByChannel(IEnumerable<DueRelease> releases) =>
        releases.GroupBy(r => r.ChannelId ?? "release|" + r.ReleaseId, StringComparer.Ordinal).Select(g => (IReadOnlyList<DueRelease>)g.ToList()).ToList();

    /// <summary>The role stamps of these entries (null when an entry was indexed without one: then only reading the release tells).</summary>
    public static string? StampOf(IEnumerable<DueEntry> entries)
    {
        var list = entries.ToList();
        return list.Any(e => e.Roles is null || e.TimeZoneId is null) ? null : string.Join("+", list.Select(e => e.Roles).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Whether today's ledger says every digest these entries call for went out to the same role holders.</summary>
    public bool IsCoveredBy(IReadOnlyDictionary<(string, string), SentLedger> ledgers, DateTimeOffset now, RemindersOptions settings) =>
        Day is not null && Stamp is not null && ledgers.TryGetValue((Day, ReleaseId), out var ledger)
        && ledger.CoversAll(Stamp, Entries.Select(Key), Entries.Where(e => now - e.DueAt > settings.EscalateAfter).Select(Key));

    private static string Key(DueEntry entry) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.ItemId}@{entry.DueAt.UtcTicks}");
}
