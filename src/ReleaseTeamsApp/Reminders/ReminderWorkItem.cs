using System.Text.Json;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>A release's due index entries, as a reminder-work queue message.</summary>
/// <param name="Others">The other releases of the same channel with something due: one message per person and day covers them all.</param>
internal sealed record ReminderWorkItem(string ReleaseId, IReadOnlyList<ReminderWorkEntry> Entries, IReadOnlyList<ReminderWorkItem>? Others = null)
{
    /// <summary>One channel's releases with something new due, as one message.</summary>
    public static string MessageFor(IReadOnlyList<DueRelease> channel)
    {
        var items = channel.Select(r => new ReminderWorkItem(r.ReleaseId, r.Entries.Select(e => new ReminderWorkEntry(e.ItemId, e.DueAt, e.TimeZoneId, e.Roles, e.ChannelId)).ToList())).ToList();
        var item = items[0] with { Others = items.Count > 1 ? items.Skip(1).ToList() : null };
        return JsonSerializer.Serialize(item, StoredJson.Options);
    }

    /// <summary>The channel's releases a reminder-work message names.</summary>
    public static IReadOnlyList<DueRelease> ReleasesIn(string message, DateTimeOffset now)
    {
        var item = JsonSerializer.Deserialize<ReminderWorkItem>(message, StoredJson.Options)
            ?? throw new JsonException("A reminder-work message was empty.");
        return new[] { item }.Concat(item.Others ?? []).Select(r =>
            DueRelease.Of(r.ReleaseId, r.Entries.Select(e => new DueEntry(r.ReleaseId, e.ItemId, e.DueAt, e.TimeZoneId, e.Roles, e.ChannelId)).ToList(), now)).ToList();
    }
}

internal sealed record ReminderWorkEntry(string ItemId, DateTimeOffset DueAt, string? TimeZoneId = null, string? Roles = null, string? ChannelId = null);
