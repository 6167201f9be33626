using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Reminders;

internal enum ReminderKind
{
    /// <summary>The owner's own items, due soon or overdue.</summary>
    Reminder,

    /// <summary>Items overdue longer than EscalateAfter, to the Release Manager.</summary>
    Escalation,
}

/// <summary>One message to one person in one release thread, listing every item of theirs that needs attention now.</summary>
internal sealed record ReminderDigest(Release Release, ReminderKind Kind, Person Recipient, IReadOnlyList<ChecklistItem> Items)
{
    /// <summary>The deep link to the release on the channel tab (null without a Teams app id): the card's "Open dashboard".</summary>
    public string? Dashboard { get; init; }

    /// <summary>An escalation's news since the previous one to the same person (null: not worked out, treated as a first one).</summary>
    public EscalationChange? Change { get; init; }

    /// <summary>An item counts as reminded for its current due time; a moved item is new again.</summary>
    public IReadOnlyList<string> ItemKeys => Items.Select(ItemKey).Order(StringComparer.Ordinal).ToList();

    public static string ItemKey(ChecklistItem item) => string.Create(CultureInfo.InvariantCulture, $"{item.Id}@{item.DueAt?.UtcTicks ?? 0}");

    /// <summary>The local day of the release: a person hears about an open item at most once a day per kind.</summary>
    public static string Day(Release release, DateTimeOffset now) => release.ToLocal(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Day(TimeZoneInfo zone, DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, zone).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string KindName(ReminderKind kind) => kind == ReminderKind.Escalation ? "escalation" : "reminder";
}

/// <summary>
/// One person's one message of the day in one channel (per kind): their digests of every release of the channel, the
/// release with the soonest item first; it is posted in that release's thread.
/// </summary>
internal sealed record ChannelDigest(IReadOnlyList<ReminderDigest> Parts)
{
    public ReminderDigest First => Parts[0];

    public ReminderKind Kind => First.Kind;

    public Person Recipient => First.Recipient;

    public int ItemCount => Parts.Sum(p => p.Items.Count);

    /// <summary>Groups per-release digests: one per channel, kind and person, releases ordered by their soonest item.</summary>
    public static IReadOnlyList<(ChannelDigest Digest, IReadOnlyList<int> Sources)> Group(IReadOnlyList<ReminderDigest> digests) =>
        digests.Select((digest, index) => (digest, index))
            .GroupBy(x => (x.digest.Release.Channel.TenantId, x.digest.Release.Channel.ChannelId, x.digest.Kind, x.digest.Recipient.Id))
            .Select(g =>
            {
                var ordered = g.OrderBy(x => x.digest.Items.Min(i => i.DueAt)).ThenBy(x => x.digest.Release.Version, StringComparer.Ordinal).ToList();
                return (new ChannelDigest(ordered.Select(x => x.digest).ToList()), (IReadOnlyList<int>)ordered.Select(x => x.index).ToList());
            })
            .ToList();
}

/// <summary>Who hears about which items now: owners (or the RM for unassigned roles) and, for long-overdue items, the RM.</summary>
internal static class ReminderPlan
{
    public static IReadOnlyList<ReminderDigest> Digests(Release release, IEnumerable<ChecklistItem> items, DateTimeOffset now, RemindersOptions options)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(options);
        var attention = items
            .Where(i => !i.IsSettled && i.DueAt is { } due && due < now + options.DueSoon)
            .OrderBy(i => i.DueAt).ThenBy(i => i.Order)
            .ToList();
        var managers = release.Roles[ReleaseRole.ReleaseManager];
        var digests = new List<ReminderDigest>();

        // A person's "Snooze 1 day" leaves the item out of their own reminders (escalations still count it).
        var byPerson = attention
            .SelectMany(item => Recipients(release, item).Select(person => (person, item)))
            .Where(x => !x.item.IsSnoozedFor(x.person.Id, now))
            .GroupBy(x => x.person.Id, StringComparer.Ordinal);
        foreach (var group in byPerson)
        {
            digests.Add(new ReminderDigest(release, ReminderKind.Reminder, group.First().person, group.Select(x => x.item).ToList()));
        }

        var escalated = attention.Where(i => now - i.DueAt!.Value > options.EscalateAfter).ToList();
        if (escalated.Count > 0)
        {
            digests.AddRange(managers.Select(rm => new ReminderDigest(release, ReminderKind.Escalation, rm, escalated)));
        }

        return digests;
    }

    /// <summary>Who hears about an item: the holders of its role, or the Release Managers while nobody holds it.</summary>
    public static IReadOnlyList<Person> Recipients(Release release, ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(item);
        return release.Roles[item.Owner].Count > 0 ? release.Roles[item.Owner] : release.Roles[ReleaseRole.ReleaseManager];
    }
}
