using ReleaseTeamsApp.Cards;

namespace ReleaseTeamsApp.Checklist;

/// <summary>What template phase-checklist binds: one phase of a release, for the channel or for one viewer.</summary>
internal sealed record PhaseCardData(
    PhaseCardRelease Release,
    PhaseCardPhase Phase,
    bool HasNotice,
    NoticeBanner? Notice,
    bool HasViewer,
    PhaseCardViewer Viewer,
    IReadOnlyList<PhaseCardSection> Sections,
    bool HasMore,
    string More,
    bool HasChoices,
    IReadOnlyList<CardChoice> Choices,
    IReadOnlyList<CardButton> FormButtons,
    IReadOnlyList<string> RefreshUserIds,
    string RefreshTitle);

/// <summary>The release a phase card belongs to (its id goes into every action's data).</summary>
internal sealed record PhaseCardRelease(string Id, string Version, string TimeZone);

/// <summary>The phase's heading: its title and "3 of 8 done".</summary>
internal sealed record PhaseCardPhase(string Id, string Title, string Progress);

/// <summary>Who is looking and what they may do; no hint on the channel's read-only card.</summary>
internal sealed record PhaseCardViewer(string? Hint);

/// <summary>A section of the phase with its item rows.</summary>
internal sealed record PhaseCardSection(string Title, IReadOnlyList<PhaseItemRow> Items);

/// <summary>One item's row on a phase card (template phase-checklist, sections[].items[]).</summary>
internal sealed record PhaseItemRow(string Icon, string Text, string Detail, string Color, string Style, bool CanAct, IReadOnlyList<RowButton> Buttons);

/// <summary>A one-tap button on an item's row.</summary>
internal sealed record RowButton(string Title, string Verb, string Item);
