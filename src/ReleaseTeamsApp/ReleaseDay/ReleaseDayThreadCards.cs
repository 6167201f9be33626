using System.Text.Json.Nodes;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>The go/no-go and rollback decision cards, for the card updates that replace them after a click.</summary>
internal sealed class ReleaseDayThreadCards : IReleaseDayThreadCards
{
    public JsonObject GoNoGo(ReleaseState state) => ReleaseDayCards.GoNoGo(state);

    public JsonObject RollbackDecision(ReleaseState state, RollbackEvent rollback) => ReleaseDayCards.RollbackDecision(state, rollback);
}
