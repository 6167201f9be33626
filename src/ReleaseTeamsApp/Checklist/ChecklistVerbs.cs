using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Checklist;

/// <summary>
/// The verbs of the checklist cards: tick, reopen, N/A, block and note an item, and refresh a phase or the summary.
/// <see cref="CardActions"/> handles them (one read and one transaction per tick); declaring them here puts them in the router's table.
/// </summary>
internal sealed class ChecklistVerbs : BotOperation
{
    private static readonly Dictionary<string, ItemAction> ItemActions = new(StringComparer.Ordinal)
    {
        [ReleaseCards.VerbComplete] = ItemAction.Complete,
        [ReleaseCards.VerbReopen] = ItemAction.Reopen,
        [ReleaseCards.VerbNotApplicable] = ItemAction.MarkNotApplicable,
        [ReleaseCards.VerbBlock] = ItemAction.Block,
        [ReleaseCards.VerbNote] = ItemAction.Note,
    };

    public override IReadOnlyCollection<string> Verbs => [.. ItemActions.Keys, ReleaseCards.VerbRefreshPhase, ReleaseCards.VerbRefreshSummary];

    /// <summary>The change an item verb asks for; false for the refresh verbs.</summary>
    public static bool TryGetAction(string verb, out ItemAction action) => ItemActions.TryGetValue(verb, out action);
}
