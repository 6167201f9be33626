using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Reminders;

/// <summary>
/// One person's reminder message: the card lists their items grouped by release; the text mentions them and names the
/// releases. An escalation's text says what changed since the previous one rather than counting every overdue item again.
/// </summary>
internal static class DigestMessage
{
    public static Activity For(ChannelDigest digest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var card = ReminderCards.Digest(digest, now);
        var count = digest.ItemCount;
        var where = digest.Parts.Count == 1 ? $"release {digest.First.Release.Version}" : $"releases {string.Join(", ", digest.Parts.Select(p => p.Release.Version))}";
        var changes = digest.Parts.Select(p => p.Change).ToList();
        var first = changes.All(c => c is null || c.IsFirst);
        var summary = digest.Kind != ReminderKind.Escalation
            ? $"{Count(count, "item")} need{(count == 1 ? "s" : "")} you in {where}"
            : first
                ? $"Escalation: {Count(count, "overdue item")} in {where}"
                : $"Escalation: {ReminderCards.Totals(changes.OfType<EscalationChange>().ToList())} in {where}";
        var activity = Activity.CreateCardMessage(card, summary);
        var at = activity.AddMentionEntity(new ChannelAccount(digest.Recipient.Id, digest.Recipient.Name));
        var overdue = digest.Parts.Sum(p => p.Items.Count(i => i.IsOverdue(now)));
        activity.Text = digest.Kind == ReminderKind.Escalation
            ? first
                ? $"{at} {Count(count, "item")} of {where} {(count == 1 ? "is" : "are")} overdue beyond the escalation limit."
                : $"{at} escalation for {where}: {string.Join(" ", digest.Parts.Select(ReminderCards.ChangeText))}"
            : overdue > 0
                ? $"{at} you have {Count(count, "item")} in {where} that need{(count == 1 ? "s" : "")} you ({overdue} overdue)."
                : $"{at} you have {Count(count, "item")} due soon in {where}.";
        activity.Text += DigestSignalNotes.Text(digest);
        activity.TextFormat = TextFormatTypes.Markdown;
        return activity;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
