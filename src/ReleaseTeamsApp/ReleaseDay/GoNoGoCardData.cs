using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>What template go-no-go binds: readiness and how it adds up, sign-offs, the decision, and the buttons of the release's stage.</summary>
internal sealed record GoNoGoCardData(
    GoNoGoCardRelease Release,
    string Decision,
    bool HasNotice,
    NoticeBanner? Notice,
    int Score,
    string ScoreColor,
    string Parts,
    string Items,
    string Blockers,
    bool HasOpen,
    string Open,
    IReadOnlyList<GoNoGoSignOffRow> SignOffs,
    bool HasVotes,
    IReadOnlyList<CardButton> Votes,
    bool HasDecisions,
    IReadOnlyList<CardButton> Decisions,
    IReadOnlyList<CardButton> Buttons);

internal sealed record GoNoGoCardRelease(string Id, string Version, string Status);

/// <summary>A signing role's row: who holds it, its state (GO, NO-GO (veto), waiting) and the votes' comments.</summary>
internal sealed record GoNoGoSignOffRow(string Role, string People, string State, string Color, string Comments);
