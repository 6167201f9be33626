namespace ReleaseTeamsApp.Checklist;

/// <summary>What template release-summary binds: the root card of the release thread.</summary>
internal sealed record SummaryCardData(
    SummaryCardRelease Release,
    bool HasScope,
    IReadOnlyList<SummaryPhaseRow> Phases,
    bool HasAttention,
    string Attention,
    IReadOnlyList<SummaryRole> Roles,
    bool HasNotice,
    NoticeBanner? Notice,
    bool HasPickers,
    IReadOnlyList<PeoplePicker> Pickers,
    bool HasDashboard,
    string? Dashboard,
    bool HasNoPickers,
    string NoPickers,
    SummaryDuties Duties);

/// <summary>The release's facts as the summary shows them (date and window as text, scope as typed).</summary>
internal sealed record SummaryCardRelease(string Id, string Version, string Date, string Window, string Status, string? Scope, string Template);

/// <summary>The Release Manager's duties of the release's template, as a Markdown list.</summary>
internal sealed record SummaryDuties(string Title, string Text);

/// <summary>A phase's progress on the summary card (template release-summary, phases[]).</summary>
internal sealed record SummaryPhaseRow(string Title, string Bar, string Counts, string Color);

/// <summary>A role and the people holding it, as the summary card lists them.</summary>
internal sealed record SummaryRole(string Role, string People);

/// <summary>A role's Teams people picker on the summary card; <paramref name="Value"/> holds its holders' Entra object ids, comma-separated.</summary>
internal sealed record PeoplePicker(string Id, string Role, string Value, IReadOnlyList<PickerChoice> Choices);

internal sealed record PickerChoice(string Title, string? Value);
