namespace ReleaseTeamsApp.Releases;

/// <summary>
/// The shape of the template a release started with (phases and their sections, no items): stored on the release so
/// cards and the tab render it without looking the template up again, even after a newer version was uploaded.
/// </summary>
public sealed record ChecklistOutline(IReadOnlyList<OutlinePhase> Phases, ReleaseManagerDuties? Duties = null)
{
    public static ChecklistOutline From(ChecklistTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(
            template.Phases.Select(p => new OutlinePhase(p.Id, p.Title, p.Kind, p.OnDemand, p.Description, p.Sections.Select(s => new OutlineSection(s.Id, s.Title)).ToList())).ToList(),
            template.ReleaseManagerDuties);
    }

    /// <summary>The outline as template phases whose sections carry no items (the release's own items hold those).</summary>
    public IReadOnlyList<ChecklistPhase> ToPhases() =>
        Phases.Select(p => new ChecklistPhase(p.Id, p.Title, p.Kind, p.OnDemand, p.Description, p.Sections.Select(s => new ChecklistSection(s.Id, s.Title, [])).ToList())).ToList();
}

public sealed record OutlinePhase(string Id, string Title, PhaseKind Kind, bool OnDemand, string? Description, IReadOnlyList<OutlineSection> Sections);

public sealed record OutlineSection(string Id, string Title);
