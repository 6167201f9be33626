using ReleaseTeamsApp.Cards;

namespace ReleaseTeamsApp.Reminders;

/// <summary>What template followup-checkin binds: a post-release check-in and the item its confirm button completes.</summary>
internal sealed record FollowUpCardData(
    string Title,
    string Text,
    IReadOnlyList<CardFact> Facts,
    bool HasItem,
    string? ItemText,
    string ConfirmTitle,
    bool CanRaise,
    string Release,
    string? Item);
