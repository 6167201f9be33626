using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Checklist;

public sealed partial class ReleaseCards
{
    /// <summary>
    /// One phase of the checklist. Without a viewer: the read-only card posted to the channel. With a viewer: their own
    /// view, with their items highlighted and buttons only where they may act.
    /// </summary>
    public JsonObject Phase(ReleaseState state, string phaseId, Person? viewer, CardNotice? notice = null)
    {
        var release = state.Release;
        var now = _time.GetUtcNow();
        var phase = PhasesOf(state).FirstOrDefault(p => p.Id == phaseId)
            ?? throw new ArgumentException($"Release {release.Version} has no phase '{phaseId}'.", nameof(phaseId));
        var items = state.Phase(phaseId).ToList();
        var viewerRoles = viewer is null ? [] : release.Roles.RolesOf(viewer).ToList();
        var isManager = viewerRoles.Contains(ReleaseRole.ReleaseManager);

        // One-tap buttons on at most a handful of rows (the viewer's own first, soonest due); every other item they may
        // change is in the form below. That bounds the card's size whoever looks at it, the RM included.
        var withButtons = viewer is null
            ? []
            : items.Where(i => release.MayChange(i, viewer))
                .OrderByDescending(i => release.Roles.Holds(viewer, i.Owner))
                .ThenBy(i => i.IsSettled)
                .ThenBy(i => i.DueAt ?? DateTimeOffset.MaxValue)
                .Take(MaxRowsWithButtons)
                .Select(i => i.Id)
                .ToHashSet(StringComparer.Ordinal);
        var rows = items.Select(item => (item, row: ItemRow(release, item, viewer, withButtons.Contains(item.Id), now))).ToList();

        List<CardChoice> choices = viewer is null
            ? []
            : items.Where(i => release.MayChange(i, viewer)).Select(i => new CardChoice($"{Icon(i, now)} {Shorten(i.Text, 60)}", i.Id)).ToList();
        var settled = items.Count(i => i.IsSettled);
        var hint = viewer is null
            ? null
            : viewerRoles.Count == 0
                ? $"{viewer.Name}, you have no role in release {release.Version}: this is a read-only view. The Release Manager can assign you a role."
                : $"{viewer.Name}: {string.Join(", ", viewerRoles.Select(r => r.DisplayName()))}. " + (isManager ? "You can change every item." : "Your items are highlighted.");

        // A phase of a large custom template cannot list every item within Teams' card size: the card lists as many as fit
        // (the form still reaches every item the viewer may change) and points to the tab for the rest.
        return CardBudget.Fit(rows.Count, shown => CardTemplates.Expand(CardTemplates.PhaseChecklist, new PhaseCardData(
            Release: new(release.Id, release.Version, release.TimeZoneId),
            Phase: new(phase.Id, phase.Title, $"{settled} of {items.Count} done"),
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            HasViewer: hint is not null,
            Viewer: new(hint),
            Sections: rows.Take(shown).GroupBy(r => r.item.SectionId).Select(group => new PhaseCardSection(
                phase.Sections.FirstOrDefault(s => s.Id == group.Key)?.Title ?? group.Key,
                group.Select(r => r.row).ToList())).ToList(),
            HasMore: shown < rows.Count,
            More: CardBudget.More(rows.Count - shown, rows.Skip(shown).Count(r => !r.item.IsSettled), "items"),
            HasChoices: choices.Count > 0,
            Choices: choices,
            FormButtons: FormButtons,
            RefreshUserIds: RefreshUserIds(release),
            RefreshTitle: viewer is null ? "Show my items" : "Refresh")));
    }

    private static readonly CardButton[] FormButtons =
    [
        new("Done", VerbComplete),
        new("N/A", VerbNotApplicable),
        new("Reopen", VerbReopen),
        new("Block", VerbBlock),
        new("Save note", VerbNote),
    ];

    private static PhaseItemRow ItemRow(Release release, ChecklistItem item, Person? viewer, bool showButtons, DateTimeOffset now)
    {
        var mine = viewer is not null && release.Roles.Holds(viewer, item.Owner);
        var canAct = showButtons && viewer is not null && release.MayChange(item, viewer) && release.Status != ReleaseStatus.Closed;
        var buttons = new List<RowButton>();
        if (canAct)
        {
            if (item.IsSettled)
            {
                buttons.Add(new("Reopen", VerbReopen, item.Id));
            }
            else
            {
                buttons.Add(new("Done", VerbComplete, item.Id));
                if (!item.Required && item.Status == ItemStatus.Open)
                {
                    buttons.Add(new("N/A", VerbNotApplicable, item.Id));
                }
            }
        }

        // The card shows the start of a note (the tab shows it whole) so the largest phase stays far below Teams' card size limit.
        var note = string.Join(" ", new[] { item.Note is null ? null : TeamsText.Typed(Shorten(item.Note, MaxNoteOnCard)), item.EvidenceUrl is null ? null : $"[evidence]({item.EvidenceUrl})" }.Where(s => s is not null));
        var detail = string.Join(" · ", new[]
        {
            item.Status.Label(),
            OwnerText(release, item),
            DueText(release, item, now),
            item.Required ? null : "optional",
        }.Where(s => s is not null));
        return new PhaseItemRow(
            Icon(item, now),
            item.Text,
            note.Length > 0 ? $"{detail}\n\n📝 {note}" : detail,
            item.IsOverdue(now) ? "Attention" : item.IsSettled ? "Good" : "Default",
            mine ? "emphasis" : "default",
            buttons.Count > 0,
            buttons);
    }

    private static string OwnerText(Release release, ChecklistItem item) => release.Roles.RoleAndHolders(item.Owner);
}
