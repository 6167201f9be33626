namespace ReleaseTeamsApp.Cards;

/// <summary>A button that opens <paramref name="Url"/> (an Action.OpenUrl).</summary>
internal sealed record CardLink(string Title, string? Url);
