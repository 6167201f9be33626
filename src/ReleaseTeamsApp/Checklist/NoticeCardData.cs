namespace ReleaseTeamsApp.Checklist;

/// <summary>What template notice binds: a titled message (e.g. why a click was refused) with an optional hint.</summary>
internal sealed record NoticeCardData(string Title, string Message, string Style, bool HasHint, string? Hint);
