namespace ReleaseTeamsApp.Teams;

/// <summary>The data an action on a release card carries, merged with the card's inputs (item, note, evidence).</summary>
public sealed record CardActionData(string? Verb, string? Release, string? Item, string? Phase, string? Note, string? Evidence, string? View);
