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
        return CardBudget.Fit(Math.Min(rows.Count, MaxMyItemsShown), shown => CardTemplates.Expand(CardTemplates.MyItems, new MyItemsCardData(
            Title: $"Open items for {person.Name}",
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            IsEmpty: rows.Count == 0,
            EmptyText: "Nothing open: either everything you own is done, or you hold no role yet.",
            Items: rows.Take(shown).ToList(),
            HasMore: shown < rows.Count,
            More: CardBudget.More(rows.Count - shown, rows.Count - shown, "open items"),
            Dashboards: states.Select(st => new CardLink(states.Count == 1 ? "Open dashboard" : $"Dashboard {Shorten(st.Release.Version, 12)}", _links?.Dashboard(st.Release)))
                .Where(d => d.Url is not null).Take(3).ToList())));
    }
}
