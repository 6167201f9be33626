using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A label and value on a card.</summary>
public sealed record CardFact(string Title, string Value);

/// <summary>What a follow-up card asks: the item it completes (if any) and whether an issue can be raised on it.</summary>
public sealed record FollowUpPrompt(string Title, string Text, IReadOnlyList<CardFact> Facts, ChecklistItem? Item, string ConfirmTitle, bool CanRaiseIssue);

/// <summary>Cards of the timers: reminder digests, post-release follow-ups and the closing report.</summary>
internal static class ReminderCards
{
    /// <summary>A digest lists at most this many items (soonest first) so the card stays far below Teams' size limit.</summary>
    public const int MaxItems = 25;

    public static JsonObject Digest(ReminderDigest digest, DateTimeOffset now) => Digest(new ChannelDigest([digest]), now);

    /// <summary>One person's message of the day in a channel: their items of every release there, grouped by release.</summary>
    public static JsonObject Digest(ChannelDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var release = digest.First.Release;
        var all = digest.Parts.SelectMany(p => p.Items).ToList();
        var overdue = all.Count(i => i.IsOverdue(now));
        var escalation = digest.Kind == ReminderKind.Escalation;
        var where = digest.Parts.Count == 1 ? $"release {release.Version}" : $"releases {string.Join(", ", digest.Parts.Select(p => p.Release.Version))}";
        var title = escalation
            ? $"Escalation: {Count(all.Count)} overdue in {where}"
            : digest.Parts.Count == 1
                ? $"Release {release.Version}: {Count(all.Count)} for {digest.Recipient.Name}"
                : $"{Count(all.Count)} for {digest.Recipient.Name} in {where}";
        var zones = digest.Parts.Select(p => p.Release.TimeZoneId).Distinct(StringComparer.Ordinal).ToList();
        var times = zones.Count == 1 ? $"Times are in {zones[0]}." : "Times are in each release's time zone.";
        var intro = escalation
            ? "These items are overdue beyond the escalation limit. Chase their owners, reassign, or mark them done."
            : overdue > 0
                ? $"{overdue} overdue, {all.Count - overdue} due soon. {times}"
                : $"Due soon. {times}";
        return CardBudget.Fit(Math.Min(all.Count, MaxItems), count => Render(count));

        JsonObject Render(int count)
        {
            var left = count;
            var groups = new List<object>();
            foreach (var part in digest.Parts)
            {
                var shown = part.Items.Take(left).ToList();
                left -= shown.Count;
                if (shown.Count == 0)
                {
                    break;
                }

                groups.Add(new
                {
                    hasHeading = digest.Parts.Count > 1,
                    heading = $"Release {part.Release.Version}",
                    items = shown.Select(item => new
                    {
                        icon = ReleaseCards.Icon(item, now),
                        text = item.Text,
                        detail = string.Join(" · ", new[] { ReleaseCards.DueText(part.Release, item, now), escalation ? Owners(part.Release, item) : null, item.Status == ItemStatus.Blocked ? "blocked" : null }.Where(s => s is not null)),
                        color = item.IsOverdue(now) ? "Attention" : "Default",
                        release = part.Release.Id,
                        item = item.Id,
                    }).ToList(),
                });
            }

            return CardTemplates.Expand(CardTemplates.ReminderDigest, new
            {
                title,
                titleColor = escalation || overdue > 0 ? "Attention" : "Default",
                intro,
                groups,
                footnote = all.Count > count
                    ? $"…and {all.Count - count} more. Say \"my items\" or open the Release tab for the full list."
                    : "Say \"my items\" for everything you own in this channel.",
            });
        }
    }

    public static JsonObject FollowUp(Release release, FollowUpPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(prompt);
        return CardTemplates.Expand(CardTemplates.FollowUpCheckIn, new
        {
            title = prompt.Title,
            text = prompt.Text,
            facts = prompt.Facts.Select(f => new { title = f.Title, value = f.Value }).ToList(),
            hasItem = prompt.Item is not null,
            itemText = prompt.Item?.Text,
            confirmTitle = prompt.ConfirmTitle,
            canRaise = prompt.Item is not null && prompt.CanRaiseIssue,
            release = release.Id,
            item = prompt.Item?.Id,
        });
    }

    private static string Owners(Release release, ChecklistItem item) => RoleHolders.Names(release.Roles[item.Owner], RoleHolders.UnassignedRole(item.Owner));

    private static string Count(int items) => items == 1 ? "1 item" : $"{items} items";
}
