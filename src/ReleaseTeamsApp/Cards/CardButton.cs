namespace ReleaseTeamsApp.Cards;

/// <summary>A button that sends <paramref name="Verb"/> (an Action.Execute's verb) with the card's inputs.</summary>
internal sealed record CardButton(string Title, string Verb);
