using ReleaseTeamsApp.Cards;

namespace ReleaseTeamsApp.Closing;

/// <summary>What template release-report binds: who closed the release (or that the sweep did), its facts, what finished late and the report links.</summary>
internal sealed record ReleaseReportCardData(
    string Title,
    string Size,
    bool HasClosedBy,
    string? ClosedBy,
    string ClosedAt,
    bool HasText,
    string Text,
    bool HasForced,
    string? Forced,
    IReadOnlyList<CardFact> Facts,
    bool HasLate,
    IReadOnlyList<string> Late,
    bool HasDownloads,
    bool HasReports,
    IReadOnlyList<CardLink> Reports);
