using ReleaseTeamsApp.Cards;

namespace ReleaseTeamsApp.Checklist;

/// <summary>What template my-items binds: a person's open items across releases and a dashboard link per release.</summary>
internal sealed record MyItemsCardData(
    string Title,
    bool HasNotice,
    NoticeBanner? Notice,
    bool IsEmpty,
    string EmptyText,
    IReadOnlyList<MyItemRow> Items,
    bool HasMore,
    string More,
    IReadOnlyList<CardLink> Dashboards);

/// <summary>One open item on the "my items" card (template my-items, items[]).</summary>
internal sealed record MyItemRow(string Icon, string Text, string Detail, string Color, bool CanComplete, string Release, string Item);
