using ReleaseTeamsApp.Checklists;

namespace ReleaseTeamsApp.Releases;

/// <summary>A due time that moved because the release date moved.</summary>
public sealed record DueTimeMoved(ChecklistItem Item, DateTimeOffset From, DateTimeOffset To);

/// <summary>Turns a template into a release's items and keeps their due times in step with the release date.</summary>
public static class ReleasePlanner
{
    public static IReadOnlyList<ChecklistItem> PlanItems(ChecklistTemplate template, Release release)
    {
        var order = 0;
        return template.Items.Select(entry => new ChecklistItem
        {
            Id = entry.Item.Id,
            PhaseId = entry.Phase.Id,
            SectionId = entry.Section.Id,
            Order = order++,
            Text = entry.Item.Text,
            Owner = entry.Item.Owner,
            Required = entry.Item.Required,
            Offset = entry.Item.Due,
            DueAt = entry.Phase.OnDemand ? null : release.Start + entry.Item.Due.Value,
        }).ToList();
    }

    /// <summary>Re-plans every open item of scheduled phases after the release moved; settled items keep their history.</summary>
    public static IReadOnlyList<DueTimeMoved> Replan(Release moved, IEnumerable<ChecklistItem> items)
    {
        var changes = new List<DueTimeMoved>();
        foreach (var item in items)
        {
            if (item.IsSettled || item.DueAt is not { } from)
            {
                continue;
            }

            var to = moved.Start + item.Offset.Value;
            if (to != from)
            {
                changes.Add(new DueTimeMoved(item with { DueAt = to }, from, to));
            }
        }

        return changes;
    }

    /// <summary>Starts an on-demand phase (Rollback): its items become due counted from now.</summary>
    public static IReadOnlyList<ChecklistItem> Trigger(string phaseId, IEnumerable<ChecklistItem> items, DateTimeOffset now) =>
        items.Where(i => i.PhaseId == phaseId && i.DueAt is null).Select(i => i with { DueAt = now + i.Offset.Value }).ToList();
}
