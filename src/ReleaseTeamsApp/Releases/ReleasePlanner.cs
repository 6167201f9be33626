
namespace ReleaseTeamsApp.Releases;

/// <summary>A due time that moved because the release date moved.</summary>
internal sealed record DueTimeMoved(ChecklistItem Item, DateTimeOffset From, DateTimeOffset To);

/// <summary>Turns a template into a release's items and keeps their due times in step with the release date.</summary>
internal static class ReleasePlanner
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
            OnDemand = entry.Phase.OnDemand,
            Signal = entry.Item.Signal,
            Behaviour = entry.Item.Behaviour,
            DueAt = entry.Phase.OnDemand ? null : DueTime(release, entry.Item.Due),
        }).ToList();
    }

    /// <summary>Re-plans every open item of scheduled phases after the release moved; settled items keep their history.</summary>
    public static IReadOnlyList<DueTimeMoved> Replan(Release moved, IEnumerable<ChecklistItem> items)
    {
        var changes = new List<DueTimeMoved>();
        foreach (var item in items)
        {
            if (item.IsSettled || item.OnDemand || item.DueAt is not { } from)
            {
                continue;
            }

            var to = DueTime(moved, item.Offset);
            if (to != from)
            {
                changes.Add(new DueTimeMoved(item with { DueAt = to }, from, to));
            }
        }

        return changes;
    }

    /// <summary>
    /// T + offset, where whole days are calendar days in the release's time zone (a T-14d item keeps the window's
    /// wall-clock time across a daylight-saving change) and hours and minutes are elapsed time.
    /// </summary>
    public static DateTimeOffset DueTime(Release release, DueOffset offset)
    {
        var days = offset.Value.Days;
        var rest = offset.Value - TimeSpan.FromDays(days);
        return Release.ToInstant(release.ReleaseDate.AddDays(days), release.Window.Start, release.TimeZone) + rest;
    }

    /// <summary>Starts an on-demand phase (Rollback): its items become due counted from now.</summary>
    public static IReadOnlyList<ChecklistItem> Trigger(string phaseId, IEnumerable<ChecklistItem> items, DateTimeOffset now) =>
        items.Where(i => i.PhaseId == phaseId && i.DueAt is null).Select(i => i with { DueAt = now + i.Offset.Value }).ToList();
}
