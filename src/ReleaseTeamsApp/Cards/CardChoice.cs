namespace ReleaseTeamsApp.Cards;

/// <summary>One choice of an Input.ChoiceSet: what people see and the value the card sends.</summary>
internal sealed record CardChoice(string Title, string Value);
