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

/// <summary>
/// Builds every card the release flow posts, always from stored state, through the JSON templates: the summary
/// (ReleaseCards.Summary.cs), a phase (ReleaseCards.Phase.cs), my items (ReleaseCards.MyItems.cs); here what they share.
/// </summary>
public sealed partial class ReleaseCards(TimeProvider time, Teams.ReleaseLinks? links = null) : Teams.IThreadCards
{
    private readonly TimeProvider _time = time;
    private readonly Teams.ReleaseLinks? _links = links;

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

    JsonObject Teams.IThreadCards.Summary(ReleaseState state) => Summary(state);

    JsonObject Teams.IThreadCards.Phase(ReleaseState state, string phaseId) => Phase(state, phaseId, null);

    IEnumerable<ChecklistPhase> Teams.IThreadCards.ScheduledPhases(ReleaseState state) => PhasesOf(state).Where(p => !p.OnDemand);

    /// <summary>The card's size as Teams receives it (UTF-8 JSON as the connector client sends it).</summary>

    public static JsonObject Notice(string title, string message, NoticeStyle style = NoticeStyle.Default, string? hint = null) =>
        CardTemplates.Expand(CardTemplates.Notice, new NoticeCardData(title, message, StyleName(style), hint is not null, hint));

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
            return $"due {local}, done {DurationText.Of(late)} late";
        }

        return item.IsOverdue(now) ? $"overdue by {DurationText.Of(now - due)} (due {local})" : $"due {local}";
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
