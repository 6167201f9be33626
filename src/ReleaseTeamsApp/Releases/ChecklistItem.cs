using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.Releases;

public enum ItemStatus
{
    Open,
    Done,
    NotApplicable,
    Blocked,
}

/// <summary>One checklist line of one release: a copy of its template item plus its state.</summary>
public sealed record ChecklistItem
{
    public required string Id { get; init; }

    public required string PhaseId { get; init; }

    public required string SectionId { get; init; }

    public required int Order { get; init; }

    public required string Text { get; init; }

    public required ReleaseRole Owner { get; init; }

    public required bool Required { get; init; }

    public required DueOffset Offset { get; init; }

    /// <summary>The item belongs to an on-demand phase (Rollback): due times count from the trigger, not from the release date.</summary>
    public bool OnDemand { get; init; }

    /// <summary>Null while the item's on-demand phase (Rollback) has not been triggered.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public ItemStatus Status { get; init; } = ItemStatus.Open;

    /// <summary>The template's signal for this item: a linked repository, pipeline or alert settles it by itself.</summary>
    public ItemSignal? Signal { get; init; }

    /// <summary>The template's behaviour for this item (<see cref="ItemBehaviour"/>), e.g. rollback.restore; null for a plain item.</summary>
    public string? Behaviour { get; init; }

    public string? Note { get; init; }

    public string? EvidenceUrl { get; init; }

    public Person? ChangedBy { get; init; }

    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>When the item was done or marked N/A; used for "late by" in reports.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>People who snoozed this item's reminders for a day, each until when (null when nobody did).</summary>
    public IReadOnlyList<ReminderSnooze>? Snoozes { get; init; }

    public bool IsSnoozedFor(string personId, DateTimeOffset now) => Snoozes?.Any(s => s.PersonId == personId && s.Until > now) == true;

    [JsonIgnore]
    public bool IsSettled => Status is ItemStatus.Done or ItemStatus.NotApplicable;

    public bool IsOverdue(DateTimeOffset now) => !IsSettled && DueAt is { } due && due < now;

    [JsonIgnore]
    public TimeSpan? LateBy => CompletedAt is { } completed && DueAt is { } due && completed > due ? completed - due : null;
}

/// <summary>One person's "Snooze 1 day" on an item: it stays out of their reminder digests until <paramref name="Until"/>.</summary>
public sealed record ReminderSnooze(string PersonId, DateTimeOffset Until);

internal static class ItemStatusText
{
    public static string Label(this ItemStatus status) => status switch
    {
        ItemStatus.Open => "Open",
        ItemStatus.Done => "Done",
        ItemStatus.NotApplicable => "N/A",
        ItemStatus.Blocked => "Blocked",
        _ => status.ToString(),
    };
}
