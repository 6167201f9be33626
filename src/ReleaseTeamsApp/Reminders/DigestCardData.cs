namespace ReleaseTeamsApp.Reminders;

/// <summary>What template reminder-digest binds: one person's reminder or escalation in a channel, a group per release.</summary>
internal sealed record DigestCardData(string Title, string TitleColor, string Intro, IReadOnlyList<DigestGroup> Groups, string Footnote);

/// <summary>One release's part of a digest: its items, what changed since the previous escalation, and its dashboard link.</summary>
internal sealed record DigestGroup(
    bool HasHeading,
    string Heading,
    bool HasChange,
    string? Change,
    IReadOnlyList<DigestItemRow> Items,
    bool HasSettled,
    string Settled,
    bool HasDashboard,
    string? Dashboard,
    string DashboardTitle);

/// <summary>An item on a digest; <paramref name="Recipient"/> is whose snooze its Snooze 1 day sets.</summary>
internal sealed record DigestItemRow(string Icon, string Text, string Detail, string Color, string Release, string Item, bool CanSnooze, string Recipient);
