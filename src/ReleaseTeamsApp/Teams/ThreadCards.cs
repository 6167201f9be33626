using System.Text.Json.Nodes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Teams;

/// <summary>
/// The checklist cards of a release thread, rendered from stored state: the summary at its root and one card per phase.
/// The checklist feature renders them; the publisher only posts and replaces them.
/// </summary>
public interface IThreadCards
{
    JsonObject Summary(ReleaseState state);

    /// <summary>The read-only card of one phase as the channel shows it (no viewer).</summary>
    JsonObject Phase(ReleaseState state, string phaseId);

    /// <summary>The phases that get a card when the thread starts (on-demand phases are posted when triggered).</summary>
    IEnumerable<ChecklistPhase> ScheduledPhases(ReleaseState state);
}

/// <summary>The release-day cards posted in a thread, rendered from stored state by the release-day feature.</summary>
public interface IReleaseDayThreadCards
{
    JsonObject GoNoGo(ReleaseState state);

    JsonObject RollbackDecision(ReleaseState state, RollbackEvent rollback);
}
