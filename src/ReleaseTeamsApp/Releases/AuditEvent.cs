namespace ReleaseTeamsApp.Releases;

/// <summary>One recorded change: who, what, before → after, an optional note, when. Written with the change it describes.</summary>
public sealed record AuditEvent(
    string ReleaseId,
    DateTimeOffset At,
    Person Actor,
    string Action,
    string? ItemId = null,
    string? Before = null,
    string? After = null,
    string? Note = null);

/// <summary>The audit trail's vocabulary.</summary>
public static class AuditActions
{
    public const string ReleaseCreated = "release.created";
    public const string ReleaseMoved = "release.moved";
    public const string ReleaseClosed = "release.closed";
    public const string RoleAssigned = "role.assigned";
    public const string ItemCompleted = "item.completed";
    public const string ItemReopened = "item.reopened";
    public const string ItemNotApplicable = "item.not-applicable";
    public const string ItemBlocked = "item.blocked";
    public const string ItemNoted = "item.noted";
    public const string PhaseTriggered = "phase.triggered";
}
