using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Checklist;

public sealed partial class ReleaseCards
{
    /// <summary>The root card of the release thread: dates, status, progress per phase, roles and the RM's duties.</summary>
    public JsonObject Summary(ReleaseState state, CardNotice? notice = null)
    {
        var release = state.Release;
        var now = _time.GetUtcNow();
        var phases = PhasesOf(state).Select(p =>
        {
            var items = state.Phase(p.Id).ToList();
            var settled = items.Count(i => i.IsSettled);
            var triggered = items.Any(i => i.DueAt is not null);
            return new SummaryPhaseRow(
                p.Title,
                Bar(settled, items.Count),
                p.OnDemand && !triggered ? "on demand" : $"{settled}/{items.Count}",
                settled == items.Count && items.Count > 0 ? "Good" : items.Any(i => i.IsOverdue(now)) ? "Attention" : "Default");
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
            if (CardBudget.Bytes(card) <= CardBudget.MaxBytes)
            {
                break;
            }
        }

        return card!;

        JsonObject Render(List<PeoplePicker> pickers) => CardTemplates.Expand(CardTemplates.ReleaseSummary, new SummaryCardData(
            Release: new(
                release.Id,
                release.Version,
                release.ReleaseDate.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture),
                $"{release.Window} ({release.TimeZoneId})",
                release.Status.ToString(),
                release.Scope is null ? null : TeamsText.Typed(release.Scope),
                $"{release.TemplateId} v{release.TemplateVersion}"),
            HasScope: !string.IsNullOrWhiteSpace(release.Scope),
            Phases: phases,
            HasAttention: attention.Length > 0,
            Attention: attention,
            Roles: ReleaseRoles.All.Select(r => new SummaryRole(r.DisplayName(), People(release.Roles[r]))).ToList(),
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            HasPickers: pickers.Count > 0,
            Pickers: pickers,
            HasDashboard: _links?.Dashboard(release) is not null,
            Dashboard: _links?.Dashboard(release),
            HasNoPickers: pickers.Count == 0,
            NoPickers: $"To assign people, say **{AssignHint}**.",
            Duties: new(
                duties?.Title ?? "Release Manager responsibilities",
                duties is null ? "" : string.Join("\n", duties.Duties.Select(d => "- " + d)))));
    }

    /// <summary>The input id of a role's people picker on the summary card (its value: Entra object ids, comma-separated).</summary>
    public static string PickerId(ReleaseRole role) => "role-" + role;

    /// <summary>
    /// One Teams people picker per role, prefilled with its holders. The release's other people are offered as quick picks
    /// (at most <see cref="MaxQuickPicks"/> per role; Teams searches the directory for anyone else). Only people with an Entra
    /// object id can be picked, so a release whose people all lack one gets no pickers.
    /// </summary>
    private static List<PeoplePicker> PeoplePickers(Release release, int quickPicks)
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
                .Select(p => new PickerChoice(Shorten(p.Name, 40), p.AadObjectId))
                .ToList();
            return new PeoplePicker(PickerId(role), role.DisplayName(), string.Join(",", holders.Select(h => h.AadObjectId)), choices);
        }).ToList();
    }

    /// <summary>
    /// One phase of the checklist. Without a viewer: the read-only card posted to the channel. With a viewer: their own
    /// view, with their items highlighted and buttons only where they may act.

    /// <summary>The holders of a role as the summary lists them: at most <see cref="MaxNamesPerRole"/> names, the rest counted.</summary>
    private static string People(IReadOnlyList<Person> people) => RoleHolders.Names(people, name: p => Shorten(p.Name, 40), most: MaxNamesPerRole);

    private static string Bar(int done, int total)
    {
        const int Width = 10;
        var filled = total == 0 ? 0 : (int)Math.Round(Width * (double)done / total);
        return new string('■', filled) + new string('□', Width - filled);
    }
}
