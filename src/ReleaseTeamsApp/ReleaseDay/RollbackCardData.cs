using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>What template rollback-decision binds: the raised rollback, its two approvals and the buttons still open.</summary>
internal sealed record RollbackDecisionCardData(
    RollbackCardRelease Release,
    bool HasNotice,
    NoticeBanner? Notice,
    RollbackCardState Rollback,
    bool CanAct,
    IReadOnlyList<CardButton> Buttons);

internal sealed record RollbackCardRelease(string Id, string Version);

/// <summary>A rollback as its card states it: reason, who raised it, each approval, and when the previous version was restored.</summary>
internal sealed record RollbackCardState(string Reason, string Raised, string Pm, string EngLead, string State, string Restored);

/// <summary>What template incident-notice binds: the rollback just raised and who decides on it.</summary>
internal sealed record IncidentNoticeCardData(IncidentCardRelease Release, string Reason, string RaisedBy, string RaisedAt, string Deciders);

internal sealed record IncidentCardRelease(string Version);
