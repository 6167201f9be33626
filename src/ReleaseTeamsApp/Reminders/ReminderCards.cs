using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>What a follow-up card asks: the item it completes (if any) and whether an issue can be raised on it.</summary>
internal sealed record FollowUpPrompt(string Title, string Text, IReadOnlyList<CardFact> Facts, ChecklistItem? Item, string ConfirmTitle, bool CanRaiseIssue);

/// <summary>Cards of the timers: reminder digests, post-release follow-ups and the closing report.</summary>
internal static class ReminderCards
{
    /// <summary>A digest lists at most this many items (soonest first) so the card stays far below Teams' size limit.</summary>
    public const int MaxItems = 25;

    public static JsonObject Digest(ReminderDigest digest, DateTimeOffset now) => Digest(new ChannelDigest([digest]), now);

    /// <summary>
    /// One person's message of the day in a channel: their items of every release there, grouped by release, each group
    /// with its "Open dashboard". A reminder's items can be snoozed for a day; an escalation lists what changed since the
    /// previous one (newly overdue items, those done since) and counts the rest.
    /// </summary>
    public static JsonObject Digest(ChannelDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var escalation = digest.Kind == ReminderKind.Escalation;
        var all = digest.Parts.SelectMany(p => p.Items).ToList();
        var listed = digest.Parts.Select(p => (Part: p, Items: Listed(p))).ToList();
        var rows = listed.Sum(l => l.Items.Count);
        var (title, intro) = escalation ? EscalationHeader(digest) : ReminderHeader(digest, all, now);
        return CardBudget.Fit(Math.Min(rows, MaxItems), count => Render(count));

        JsonObject Render(int count)
        {
            var left = count;
            var groups = new List<DigestGroup>();
            foreach (var (part, items) in listed)
            {
                var shown = items.Take(left).ToList();
                left -= shown.Count;
                if (shown.Count == 0 && (!escalation || left == 0 && groups.Count > 0))
                {
                    continue;
                }

                var change = escalation ? ChangeText(part) : null;
                var settled = part.Change?.Settled ?? [];
                groups.Add(new DigestGroup(
                    HasHeading: digest.Parts.Count > 1,
                    Heading: $"Release {part.Release.Version}",
                    HasChange: change is not null,
                    Change: change,
                    Items: shown.Select(item => new DigestItemRow(
                        Icon: ReleaseCards.Icon(item, now),
                        Text: item.Text,
                        Detail: string.Join(" · ", new[] { ReleaseCards.DueText(part.Release, item, now), escalation ? Owners(part.Release, item) : null, item.Status == ItemStatus.Blocked ? "blocked" : null }.Where(s => s is not null)),
                        Color: item.IsOverdue(now) ? "Attention" : "Default",
                        Release: part.Release.Id,
                        Item: item.Id,
                        CanSnooze: !escalation,
                        Recipient: digest.Recipient.Id)).ToList(),
                    HasSettled: settled.Count > 0,
                    Settled: SettledText(settled),
                    HasDashboard: part.Dashboard is not null,
                    Dashboard: part.Dashboard,
                    DashboardTitle: "Open dashboard"));
            }

            return CardTemplates.Expand(CardTemplates.ReminderDigest, new DigestCardData(
                Title: title,
                TitleColor: escalation || all.Any(i => i.IsOverdue(now)) ? "Attention" : "Default",
                Intro: intro,
                Groups: groups,
                Footnote: rows > count
                    ? $"…and {rows - count} more. Say \"my items\" or open the Release tab for the full list."
                    : escalation
                        ? "Open the dashboard for every overdue item and its owner."
                        : "Say \"my items\" for everything you own in this channel. Snooze 1 day leaves an item out of your reminders until this time tomorrow."));
        }
    }

    /// <summary>The rows a part lists: a reminder its items; an escalation the newly overdue ones (all of them the first time).</summary>
    private static IReadOnlyList<ChecklistItem> Listed(ReminderDigest part) =>
        part.Kind == ReminderKind.Escalation && part.Change is { } change ? change.Newly : part.Items;

    private static (string Title, string Intro) ReminderHeader(ChannelDigest digest, List<ChecklistItem> all, DateTimeOffset now)
    {
        var release = digest.First.Release;
        var overdue = all.Count(i => i.IsOverdue(now));
        var title = digest.Parts.Count == 1
            ? $"Release {release.Version}: {Count(all.Count)} for {digest.Recipient.Name}"
            : $"{Count(all.Count)} for {digest.Recipient.Name} in {Where(digest)}";
        var zones = digest.Parts.Select(p => p.Release.TimeZoneId).Distinct(StringComparer.Ordinal).ToList();
        var times = zones.Count == 1 ? $"Times are in {zones[0]}." : "Times are in each release's time zone.";
        return (title, overdue > 0 ? $"{overdue} overdue, {all.Count - overdue} due soon. {times}" : $"Due soon. {times}");
    }

    private static (string Title, string Intro) EscalationHeader(ChannelDigest digest)
    {
        var changes = digest.Parts.Select(p => p.Change ?? EscalationChange.Between(null, p.Items, _ => null)).ToList();
        if (changes.All(c => c.IsFirst))
        {
            return ($"Escalation: {Count(digest.ItemCount)} overdue in {Where(digest)}",
                "These items are overdue beyond the escalation limit. Chase their owners, reassign, or mark them done.");
        }

        return ($"Escalation: {Totals(changes)} in {Where(digest)}",
            "What changed since your previous escalation. Items still overdue are counted here and listed on the dashboard.");
    }

    /// <summary>"2 newly overdue, 3 done, 14 still overdue" (or "nothing new, 14 still overdue") over the parts; a first escalation's items count as newly overdue.</summary>
    internal static string Totals(IReadOnlyList<EscalationChange> changes)
    {
        var (newly, done) = (changes.Sum(c => c.Newly.Count), changes.Sum(c => c.Settled.Count));
        var parts = new List<string> { newly == 0 && done == 0 ? "nothing new" : $"{newly} newly overdue" };
        if (done > 0)
        {
            parts.Add($"{done} done");
        }

        parts.Add($"{changes.Sum(c => c.StillOverdue)} still overdue");
        return string.Join(", ", parts);
    }

    /// <summary>One release's line of an escalation: what changed since the previous one, or that this is its first.</summary>
    internal static string ChangeText(ReminderDigest part)
    {
        var change = part.Change;
        if (change is null || change.IsFirst)
        {
            return $"First escalation of {part.Release.Version}: {Count(part.Items.Count)} overdue beyond the limit, nothing earlier to compare with.";
        }

        if (change.IsQuiet)
        {
            return $"Nothing changed since the escalation of {change.SinceText}: {Count(change.StillOverdue)} still overdue (on the dashboard).";
        }

        var what = new List<string>();
        if (change.Newly.Count > 0)
        {
            what.Add($"{change.Newly.Count} newly overdue (below)");
        }

        if (change.Settled.Count > 0)
        {
            what.Add($"{change.Settled.Count} done");
        }

        if (change.Moved > 0)
        {
            what.Add($"{change.Moved} no longer overdue (moved)");
        }

        what.Add($"{change.StillOverdue} still overdue (on the dashboard)");
        return $"Since the escalation of {change.SinceText}: {string.Join(", ", what)}.";
    }

    /// <summary>"Done since: ✅ Release notes drafted (Bob) · …", at most five named.</summary>
    private static string SettledText(IReadOnlyList<ChecklistItem> settled)
    {
        const int Named = 5;
        var names = settled.Take(Named).Select(i => $"{ReleaseCards.Icon(i, default)} {ReleaseCards.Shorten(i.Text, 80)}{(i.ChangedBy is { } by ? $" ({by.Name})" : "")}");
        var more = settled.Count > Named ? $" · and {settled.Count - Named} more" : "";
        return settled.Count == 0 ? "" : $"Done since: {string.Join(" · ", names)}{more}";
    }

    private static string Where(ChannelDigest digest) =>
        digest.Parts.Count == 1 ? $"release {digest.First.Release.Version}" : $"releases {string.Join(", ", digest.Parts.Select(p => p.Release.Version))}";

    public static JsonObject FollowUp(Release release, FollowUpPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(prompt);
        return CardTemplates.Expand(CardTemplates.FollowUpCheckIn, new FollowUpCardData(
            Title: prompt.Title,
            Text: prompt.Text,
            Facts: prompt.Facts,
            HasItem: prompt.Item is not null,
            ItemText: prompt.Item?.Text,
            ConfirmTitle: prompt.ConfirmTitle,
            CanRaise: prompt.Item is not null && prompt.CanRaiseIssue,
            Release: release.Id,
            Item: prompt.Item?.Id));
    }

    private static string Owners(Release release, ChecklistItem item) => RoleHolders.Names(release.Roles[item.Owner], RoleHolders.UnassignedRole(item.Owner));

    private static string Count(int items) => items == 1 ? "1 item" : $"{items} items";
}
