using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Templates;

namespace ReleaseTeamsApp.Checklist;

public enum NoticeStyle
{
    Default,
    Good,
    Attention,
    Warning,
    Accent,
}

/// <summary>A message shown on top of a card, e.g. why a click was refused.</summary>
public sealed record CardNotice(string Text, NoticeStyle Style = NoticeStyle.Attention);

/// <summary>Builds every card the release flow posts, always from stored state, through the JSON templates.</summary>
public sealed class ReleaseCards(TimeProvider time, Teams.ReleaseLinks? links = null) : Teams.IThreadCards
{
    /// <summary>Teams refreshes a card automatically for at most 60 listed users; beyond that people use the refresh button.</summary>
    public const int MaxRefreshUsers = 60;

    public const int MaxNoteOnCard = 60;

    /// <summary>People of the release offered in each role's people picker besides its holders.</summary>
    public const int MaxQuickPicks = 4;

    public const int MaxNamesPerRole = 6;

    private const string AssignHint = "assign qa @person";

    /// <summary>Rows of the "my items" card (soonest due first); the rest are counted and the Release tab lists them.</summary>
    public const int MaxMyItemsShown = 12;

    /// <summary>Rows of a phase card that carry their own buttons for one viewer; the card's form reaches every other item.</summary>
    public const int MaxRowsWithButtons = 8;

    public const string VerbComplete = "item.complete";
    public const string VerbReopen = "item.reopen";
    public const string VerbNotApplicable = "item.na";
    public const string VerbBlock = "item.block";
    public const string VerbNote = "item.note";
    public const string VerbRefreshPhase = "card.refresh";
    public const string VerbRefreshSummary = "release.refresh";

    /// <summary>The root card of the release thread: dates, status, progress per phase, roles and the RM's duties.</summary>
    public JsonObject Summary(ReleaseState state, CardNotice? notice = null)
    {
        var release = state.Release;
        var now = time.GetUtcNow();
        var phases = PhasesOf(state).Select(p =>
        {
            var items = state.Phase(p.Id).ToList();
            var settled = items.Count(i => i.IsSettled);
            var triggered = items.Any(i => i.DueAt is not null);
            return new
            {
                title = p.Title,
                bar = Bar(settled, items.Count),
                counts = p.OnDemand && !triggered ? "on demand" : $"{settled}/{items.Count}",
                color = settled == items.Count && items.Count > 0 ? "Good" : items.Any(i => i.IsOverdue(now)) ? "Attention" : "Default",
            };
        }).ToList();

        var blocked = state.Items.Count(i => i.Status == ItemStatus.Blocked);
        var overdue = state.Items.Count(i => i.IsOverdue(now));
        var attention = string.Join(" · ", new[] { blocked > 0 ? $"⛔ {blocked} blocked" : null, overdue > 0 ? $"⏰ {overdue} overdue" : null }.Where(s => s is not null));
        var duties = DutiesOf(state);

        // The pickers fit as they are, or without quick picks; a release with more people than that uses the assign command.
        JsonObject? card = null;
        foreach (var quickPicks in new int?[] { MaxQuickPicks, 0, null })
        {
            card = Render(quickPicks is { } picks ? PeoplePickers(release, picks) : []);
            if (Bytes(card) <= CardBudget.MaxBytes)
            {
                break;
            }
        }

        return card!;

        JsonObject Render(List<object> pickers) => CardTemplates.Expand(CardTemplates.ReleaseSummary, new
        {
            release = new
            {
                id = release.Id,
                version = release.Version,
                date = release.ReleaseDate.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture),
                window = $"{release.Window} ({release.TimeZoneId})",
                status = release.Status.ToString(),
                scope = release.Scope is null ? null : TeamsText.Typed(release.Scope),
                template = $"{release.TemplateId} v{release.TemplateVersion}",
            },
            hasScope = !string.IsNullOrWhiteSpace(release.Scope),
            phases,
            hasAttention = attention.Length > 0,
            attention,
            roles = ReleaseRoles.All.Select(r => new { role = r.DisplayName(), people = People(release.Roles[r]) }),
            hasNotice = notice is not null,
            notice = notice is null ? null : new { text = notice.Text, style = StyleName(notice.Style) },
            hasPickers = pickers.Count > 0,
            pickers,
            hasDashboard = links?.Dashboard(release) is not null,
            dashboard = links?.Dashboard(release),
            hasNoPickers = pickers.Count == 0,
            noPickers = $"To assign people, say **{AssignHint}**.",
            duties = new
            {
                title = duties?.Title ?? "Release Manager responsibilities",
                text = duties is null ? "" : string.Join("\n", duties.Duties.Select(d => "- " + d)),
            },
        });
    }

    JsonObject Teams.IThreadCards.Summary(ReleaseState state) => Summary(state);

    JsonObject Teams.IThreadCards.Phase(ReleaseState state, string phaseId) => Phase(state, phaseId, null);

    IEnumerable<ChecklistPhase> Teams.IThreadCards.ScheduledPhases(ReleaseState state) => PhasesOf(state).Where(p => !p.OnDemand);

    /// <summary>The input id of a role's people picker on the summary card (its value: Entra object ids, comma-separated).</summary>
    public static string PickerId(ReleaseRole role) => "role-" + role;

    /// <summary>
    /// One Teams people picker per role, prefilled with its holders. The release's other people are offered as quick picks
    /// (at most <see cref="MaxQuickPicks"/> per role; Teams searches the directory for anyone else). Only people with an Entra
    /// object id can be picked, so a release whose people all lack one gets no pickers.
    /// </summary>
    private static List<object> PeoplePickers(Release release, int quickPicks)
    {
        var known = release.Roles.Everyone.Where(p => p.AadObjectId is { Length: > 0 }).DistinctBy(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase).ToList();
        if (known.Count == 0)
        {
            return [];
        }

        return ReleaseRoles.All.Select(role =>
        {
            var holders = release.Roles[role].Where(p => p.AadObjectId is { Length: > 0 }).ToList();
            var choices = holders.Concat(known.Where(k => !holders.Any(h => string.Equals(h.AadObjectId, k.AadObjectId, StringComparison.OrdinalIgnoreCase))))
                .Take(holders.Count + quickPicks)
                .Select(p => new { title = Shorten(p.Name, 40), value = p.AadObjectId })
                .ToList();
            return (object)new { id = PickerId(role), role = role.DisplayName(), value = string.Join(",", holders.Select(h => h.AadObjectId)), choices };
        }).ToList();
    }

    /// <summary>
    /// One phase of the checklist. Without a viewer: the read-only card posted to the channel. With a viewer: their own
    /// view, with their items highlighted and buttons only where they may act.
    /// </summary>
    public JsonObject Phase(ReleaseState state, string phaseId, Person? viewer, CardNotice? notice = null)
    {
        var release = state.Release;
        var now = time.GetUtcNow();
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

        var choices = viewer is null
            ? []
            : items.Where(i => release.MayChange(i, viewer)).Select(i => new { title = $"{Icon(i, now)} {Shorten(i.Text, 60)}", value = i.Id }).ToList();
        var settled = items.Count(i => i.IsSettled);
        var hint = viewer is null
            ? null
            : viewerRoles.Count == 0
                ? $"{viewer.Name}, you have no role in release {release.Version}: this is a read-only view. The Release Manager can assign you a role."
                : $"{viewer.Name}: {string.Join(", ", viewerRoles.Select(r => r.DisplayName()))}. " + (isManager ? "You can change every item." : "Your items are highlighted.");

        // A phase of a large custom template cannot list every item within Teams' card size: the card lists as many as fit
        // (the form still reaches every item the viewer may change) and points to the tab for the rest.
        return CardBudget.Fit(rows.Count, shown => CardTemplates.Expand(CardTemplates.PhaseChecklist, new
        {
            release = new { id = release.Id, version = release.Version, timeZone = release.TimeZoneId },
            phase = new { id = phase.Id, title = phase.Title, progress = $"{settled} of {items.Count} done" },
            hasNotice = notice is not null,
            notice = notice is null ? null : new { text = notice.Text, style = StyleName(notice.Style) },
            hasViewer = hint is not null,
            viewer = new { hint },
            sections = rows.Take(shown).GroupBy(r => r.item.SectionId).Select(group => new
            {
                title = phase.Sections.FirstOrDefault(s => s.Id == group.Key)?.Title ?? group.Key,
                items = group.Select(r => r.row).ToList(),
            }).ToList(),
            hasMore = shown < rows.Count,
            more = CardBudget.More(rows.Count - shown, rows.Skip(shown).Count(r => !r.item.IsSettled), "items"),
            hasChoices = choices.Count > 0,
            choices,
            formButtons = FormButtons,
            refreshUserIds = RefreshUserIds(release),
            refreshTitle = viewer is null ? "Show my items" : "Refresh",
        }));
    }

    /// <summary>The card's size as Teams receives it (UTF-8 JSON as the connector client sends it).</summary>
    public static int Bytes(JsonObject card) => CardBudget.Bytes(card);

    public static JsonObject Notice(string title, string message, NoticeStyle style = NoticeStyle.Default, string? hint = null) =>
        CardTemplates.Expand(CardTemplates.Notice, new { title, message, style = StyleName(style), hasHint = hint is not null, hint });

    /// <summary>The open items a person owns, across the given releases, soonest due first; at most <see cref="MaxMyItemsShown"/>, the rest counted. <paramref name="notice"/> says what their click did.</summary>
    public JsonObject MyItems(Person person, IEnumerable<ReleaseState> releases, CardNotice? notice = null)
    {
        var now = time.GetUtcNow();
        var states = releases.ToList();
        var rows = states
            .SelectMany(state => state.Items
                .Where(i => !i.IsSettled && i.DueAt is not null && state.Release.Roles.Holds(person, i.Owner))
                .Select(i => (state.Release, Item: i)))
            .OrderBy(x => x.Item.DueAt)
            .Select(x => new
            {
                icon = Icon(x.Item, now),
                text = x.Item.Text,
                detail = $"{x.Release.Version} · {x.Item.Owner.DisplayName()} · {DueText(x.Release, x.Item, now)}",
                color = x.Item.IsOverdue(now) ? "Attention" : "Default",
                canComplete = x.Item.Status is ItemStatus.Open or ItemStatus.Blocked,
                release = x.Release.Id,
                item = x.Item.Id,
            })
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
            dashboards = states.Select(st => new { title = states.Count == 1 ? "Open dashboard" : $"Dashboard {Shorten(st.Release.Version, 12)}", url = links?.Dashboard(st.Release) })
                .Where(d => d.url is not null).Take(3).ToList(),
        }));
    }

    private static readonly object[] FormButtons =
    [
        new { title = "Done", verb = VerbComplete },
        new { title = "N/A", verb = VerbNotApplicable },
        new { title = "Reopen", verb = VerbReopen },
        new { title = "Block", verb = VerbBlock },
        new { title = "Save note", verb = VerbNote },
    ];

    public static IReadOnlyList<string> RefreshUserIds(Release release)
    {
        var ids = release.Roles.Everyone.Where(p => p.HasTeamsId).Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count <= MaxRefreshUsers ? ids : [];
    }

    /// <summary>The phases of the template version the release started with (its stored outline), scheduled and on-demand ones.</summary>
    public static IReadOnlyList<ChecklistPhase> PhasesOf(ReleaseState state) =>
        state.Release.Outline is { } outline
            ? outline.ToPhases()
            : ChecklistTemplateLoader.Default.Id == state.Release.TemplateId
            ? ChecklistTemplateLoader.Default.Phases
            : state.Items.GroupBy(i => i.PhaseId).Select(g => new ChecklistPhase(g.Key, g.Key, PhaseKind.PreRelease, g.All(i => i.DueAt is null), null,
                g.GroupBy(i => i.SectionId).Select(s => new ChecklistSection(s.Key, s.Key, [])).ToList())).ToList();

    /// <summary>The Release Manager duties of the template version the release started with (its stored outline).</summary>
    public static ReleaseManagerDuties? DutiesOf(ReleaseState state) =>
        state.Release.Outline is { } outline
            ? outline.Duties
            : ChecklistTemplateLoader.Default.Id == state.Release.TemplateId
            ? ChecklistTemplateLoader.Default.ReleaseManagerDuties
            : null;

    private static object ItemRow(Release release, ChecklistItem item, Person? viewer, bool showButtons, DateTimeOffset now)
    {
        var mine = viewer is not null && release.Roles.Holds(viewer, item.Owner);
        var canAct = showButtons && viewer is not null && release.MayChange(item, viewer) && release.Status != ReleaseStatus.Closed;
        var buttons = new List<object>();
        if (canAct)
        {
            if (item.IsSettled)
            {
                buttons.Add(new { title = "Reopen", verb = VerbReopen, item = item.Id });
            }
            else
            {
                buttons.Add(new { title = "Done", verb = VerbComplete, item = item.Id });
                if (!item.Required && item.Status == ItemStatus.Open)
                {
                    buttons.Add(new { title = "N/A", verb = VerbNotApplicable, item = item.Id });
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
        return new
        {
            icon = Icon(item, now),
            text = item.Text,
            detail = note.Length > 0 ? $"{detail}\n\n📝 {note}" : detail,
            color = item.IsOverdue(now) ? "Attention" : item.IsSettled ? "Good" : "Default",
            style = mine ? "emphasis" : "default",
            canAct = buttons.Count > 0,
            buttons,
        };
    }

    public static string Icon(ChecklistItem item, DateTimeOffset now) => item.Status switch
    {
        ItemStatus.Done => "✅",
        ItemStatus.NotApplicable => "➖",
        ItemStatus.Blocked => "⛔",
        _ when item.IsOverdue(now) => "⏰",
        _ => "⬜",
    };

    public static string DueText(Release release, ChecklistItem item, DateTimeOffset now)
    {
        if (item.DueAt is not { } due)
        {
            return "when triggered";
        }

        var local = release.LocalText(due);
        if (item.Status == ItemStatus.Done && item.LateBy is { } late)
        {
            return $"due {local}, done {Duration(late)} late";
        }

        return item.IsOverdue(now) ? $"overdue by {Duration(now - due)} (due {local})" : $"due {local}";
    }

    public static string Duration(TimeSpan span) => DurationText.Of(span);

    private static string OwnerText(Release release, ChecklistItem item)
    {
        var holders = release.Roles[item.Owner];
        return holders.Count == 0 ? $"{item.Owner.DisplayName()} (unassigned)" : $"{item.Owner.DisplayName()}: {string.Join(", ", holders.Select(h => h.Name))}";
    }

    /// <summary>The holders of a role as the summary lists them: at most <see cref="MaxNamesPerRole"/> names, the rest counted.</summary>
    private static string People(IReadOnlyList<Person> people) =>
        people.Count == 0 ? "unassigned"
        : string.Join(", ", people.Take(MaxNamesPerRole).Select(p => Shorten(p.Name, 40))) + (people.Count > MaxNamesPerRole ? $" and {people.Count - MaxNamesPerRole} more" : "");

    private static string Bar(int done, int total)
    {
        const int Width = 10;
        var filled = total == 0 ? 0 : (int)Math.Round(Width * (double)done / total);
        return new string('■', filled) + new string('□', Width - filled);
    }

    /// <summary>At most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    internal static string StyleName(NoticeStyle style) => style switch
    {
        NoticeStyle.Good => "good",
        NoticeStyle.Attention => "attention",
        NoticeStyle.Warning => "warning",
        NoticeStyle.Accent => "accent",
        _ => "default",
    };
}
