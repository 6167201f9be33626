using System.Globalization;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Tab;

/// <summary>Builds the tab's read model from a release's stored state and its audit trail.</summary>
internal static class ReleaseDashboardBuilder
{
    public const int TimelineLimit = 200;

    public static ReleaseDashboard Build(ReleaseState state, IReadOnlyList<AuditEvent> audit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var release = state.Release;
        var outline = ReleaseCards.PhasesOf(state);
        var phaseTitles = outline.ToDictionary(p => p.Id, p => p.Title, StringComparer.Ordinal);
        var sectionTitles = outline.SelectMany(p => p.Sections).DistinctBy(s => s.Id).ToDictionary(s => s.Id, s => s.Title, StringComparer.Ordinal);
        var items = state.Items.OrderBy(i => i.Order).ToList();

        var phaseOrder = items.Select(i => i.PhaseId).Distinct().ToList();
        var phases = phaseOrder.Select(id =>
        {
            var inPhase = items.Where(i => i.PhaseId == id).ToList();
            return new PhaseProgress(
                id,
                phaseTitles.GetValueOrDefault(id) ?? id,
                inPhase.Count(i => i.IsSettled),
                inPhase.Count,
                inPhase.Count(i => i.Status == ItemStatus.Blocked),
                inPhase.Count(i => i.IsOverdue(now)),
                inPhase.Any(i => i.DueAt is not null));
        }).ToList();

        var rows = items
            .OrderBy(i => i.Status == ItemStatus.Blocked ? 0 : 1)
            .ThenBy(i => i.Order)
            .Select(i => new DashboardItem(
                i.Id,
                i.PhaseId,
                sectionTitles.GetValueOrDefault(i.SectionId) ?? i.SectionId,
                i.Order,
                i.Text,
                i.Owner.ToString(),
                i.Owner.DisplayName(),
                release.Roles[i.Owner].Select(p => p.Name).ToList(),
                i.Required,
                i.DueAt,
                i.DueAt is { } due ? release.LocalText(due) : null,
                StatusName(i.Status),
                i.Status.Label(),
                i.IsOverdue(now),
                i.Note,
                i.EvidenceUrl,
                i.ChangedBy?.Name,
                i.ChangedAt))
            .ToList();

        var totals = new DashboardTotals(
            items.Count,
            items.Count(i => i.IsSettled),
            items.Count(i => !i.IsSettled),
            items.Count(i => i.Status == ItemStatus.Blocked),
            items.Count(i => i.IsOverdue(now)),
            items.Count(i => i.Required && i.DueAt is not null && !i.IsSettled));

        var roles = ReleaseRoles.All
            .Select(r => new RoleHolders(r.ToString(), r.DisplayName(), release.Roles[r].Select(p => p.Name).ToList()))
            .ToList();

        return new ReleaseDashboard(
            new DashboardRelease(
                release.Id,
                release.Version,
                release.ReleaseDate,
                release.Window.ToString(),
                release.TimeZoneId,
                release.Start,
                release.WindowEnd,
                StatusName(release.Status),
                StatusLabel(release.Status),
                release.Scope,
                release.CreatedBy.Name,
                release.CreatedAt,
                release.ClosedAt),
            now,
            totals,
            phases,
            rows,
            roles,
            BuildBurndown(release, items, audit, now),
            BuildTimeline(items, audit));
    }

    public static string StatusName(ItemStatus status) => status switch
    {
        ItemStatus.Open => "open",
        ItemStatus.Done => "done",
        ItemStatus.NotApplicable => "notApplicable",
        ItemStatus.Blocked => "blocked",
        _ => status.ToString(),
    };

    private static string StatusName(ReleaseStatus status) => status switch
    {
        ReleaseStatus.RolledBack => "rolledBack",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string StatusLabel(ReleaseStatus status) => status switch
    {
        ReleaseStatus.RolledBack => "Rolled back",
        _ => status.ToString(),
    };

    private static Burndown BuildBurndown(Release release, IReadOnlyList<ChecklistItem> items, IReadOnlyList<AuditEvent> audit, DateTimeOffset now)
    {
        var required = items.Where(i => i.Required && i.DueAt is not null).ToList();
        var ids = required.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var start = release.CreatedAt;

        var plan = new List<BurndownPoint> { new(start, required.Count) };
        foreach (var due in required.Select(i => i.DueAt!.Value).Where(d => d > start).Distinct().Order())
        {
            plan.Add(new BurndownPoint(due, required.Count(i => i.DueAt > due)));
        }

        // Every required item starts open; each audited transition into or out of Done/N/A moves the line.
        var settled = new HashSet<string>(StringComparer.Ordinal);
        var actual = new List<BurndownPoint> { new(start, required.Count) };
        foreach (var change in audit.Where(a => a.ItemId is not null && ids.Contains(a.ItemId) && a.After is not null).OrderBy(a => a.At))
        {
            var changed = IsSettledLabel(change.After) ? settled.Add(change.ItemId!) : settled.Remove(change.ItemId!);
            if (changed)
            {
                actual.Add(new BurndownPoint(change.At, required.Count - settled.Count));
            }
        }

        // The stored state is the truth for "now", whatever the audit trail could reconstruct.
        actual.Add(new BurndownPoint(now > start ? now : start, required.Count(i => !i.IsSettled)));
        return new Burndown(required.Count, actual, plan);
    }

    private static bool IsSettledLabel(string? label) =>
        label == ItemStatus.Done.Label() || label == ItemStatus.NotApplicable.Label();

    private static List<TimelineEntry> BuildTimeline(IReadOnlyList<ChecklistItem> items, IReadOnlyList<AuditEvent> audit)
    {
        var texts = items.ToDictionary(i => i.Id, i => i.Text, StringComparer.Ordinal);
        return audit
            .OrderByDescending(a => a.At)
            .Take(TimelineLimit)
            .Select(a => new TimelineEntry(
                a.At,
                a.Actor.Name,
                a.Action,
                Describe(a.Action),
                a.ItemId,
                a.ItemId is null ? null : texts.GetValueOrDefault(a.ItemId),
                a.Before,
                a.After,
                a.Note))
            .ToList();
    }

    private static string Describe(string action) => action switch
    {
        AuditActions.ReleaseCreated => "created the release",
        AuditActions.ReleaseMoved => "moved the release date",
        AuditActions.ReleaseClosed => "closed the release",
        AuditActions.RoleAssigned => "assigned a role",
        AuditActions.ItemCompleted => "completed",
        AuditActions.ItemReopened => "reopened",
        AuditActions.ItemNotApplicable => "marked N/A",
        AuditActions.ItemBlocked => "blocked",
        AuditActions.ItemNoted => "added a note to",
        AuditActions.PhaseTriggered => "triggered a phase",
        _ => action,
    };
}
