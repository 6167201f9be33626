namespace ReleaseTeamsApp.Releases;

public enum PhaseKind
{
    PreRelease,
    ReleaseDay,
    PostRelease,
    Rollback,
}

/// <summary>A versioned checklist: phases → sections → items. Releases copy the items they start with.</summary>
public sealed record ChecklistTemplate(
    string Id,
    int Version,
    string Name,
    string? Purpose,
    IReadOnlyList<ChecklistPhase> Phases,
    ReleaseManagerDuties? ReleaseManagerDuties)
{
    public IEnumerable<(ChecklistPhase Phase, ChecklistSection Section, TemplateItem Item)> Items =>
        from phase in Phases
        from section in phase.Sections
        from item in section.Items
        select (phase, section, item);
}

/// <summary>An on-demand phase (Rollback) gets due times only when it is triggered, counted from that moment.</summary>
public sealed record ChecklistPhase(string Id, string Title, PhaseKind Kind, bool OnDemand, string? Description, IReadOnlyList<ChecklistSection> Sections);

public sealed record ChecklistSection(string Id, string Title, IReadOnlyList<TemplateItem> Items);

/// <summary>Optional items (the seed's "(if applicable)") may be marked N/A.</summary>
public sealed record TemplateItem(string Id, string Text, ReleaseRole Owner, DueOffset Due, bool Required)
{
    /// <summary>What outside Teams settles the item by itself (GitHub, Azure DevOps, Azure Monitor); null for items people tick.</summary>
    public ItemSignal? Signal { get; init; }

    /// <summary>What the app does because of this item (<see cref="ItemBehaviour"/>); null for a plain item.</summary>
    public string? Behaviour { get; init; }
}

/// <summary>The seed's cross-cutting Release Manager duties: shown on the release card, not ticked.</summary>
public sealed record ReleaseManagerDuties(string Title, string? Intro, IReadOnlyList<string> Duties);
