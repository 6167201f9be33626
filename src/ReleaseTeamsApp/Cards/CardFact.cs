namespace ReleaseTeamsApp.Cards;

/// <summary>A label and value on a card (a FactSet's fact).</summary>
internal sealed record CardFact(string Title, string Value);
