using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Checklist;

public sealed partial class ReleaseCards
{
    /// <summary>The open items a person owns, across the given releases, soonest due first; at most <see cref="MaxMyItemsShown"/>, the rest counted. <paramref name="notice"/> says what their click did.</summary>
    public JsonObject MyItems(Person person, IEnumerable<ReleaseState> releases, CardNotice? notice = null)
    {
        var now = _time.GetUtcNow();
        var states = releases.ToList();
        var rows = states
            .SelectMany(state => state.Items
                .Where(i => !i.IsSettled && i.DueAt is not null && state.Release.Roles.Holds(person, i.Owner))
                .Select(i => (state.Release, Item: i)))
            .OrderBy(x => x.Item.DueAt)
            .Select(x => new MyItemRow(
                Icon(x.Item, now),
                x.Item.Text,
                $"{x.Release.Version} · {x.Item.Owner.DisplayName()} · {DueText(x.Release, x.Item, now)}",
                x.Item.IsOverdue(now) ? "Attention" : "Default",
                x.Item.Status is ItemStatus.Open or ItemStatus.Blocked,
                x.Release.Id,
                x.Item.Id))
            .ToList();
        return CardBudget.Fit(Math.Min(rows.Count, MaxMyItemsShown), shown => CardTemplates.Expand(CardTemplates.MyItems, new
        {
            title = $"Open items for {person.Name}",
            hasNotice = notice is not null,
            notice = notice is null ? null : new { text = notice.Text, style = StyleName(notice.Style) },
            isEmpty = rows.Count == 0,
            emptyText = "Nothing open: either everything you own is done, or you hold no role yet.",
            items = rows.Take(shown).ToList(),
            hasMore = shown < rows.Count,
            more = CardBudget.More(rows.Count - shown, rows.Count - shown, "open items"),
            dashboards = states.Select(st => new { title = states.Count == 1 ? "Open dashboard" : $"Dashboard {Shorten(st.Release.Version, 12)}", url = _links?.Dashboard(st.Release) })
                .Where(d => d.url is not null).Take(3).ToList(),
        }));
    }
}

/// <summary>One open item on the "my items" card (template my-items, items[]).</summary>
internal sealed record MyItemRow(string Icon, string Text, string Detail, string Color, bool CanComplete, string Release, string Item);
