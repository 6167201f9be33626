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
internal static class AuditActions
{
    public const string ReleaseCreated = "release.created";
    public const string ReleaseMoved = "release.moved";
    public const string ReleaseClosed = "release.closed";
    public const string RoleAssigned = "role.assigned";
    public const string RemindersMuted = "reminders.muted";
    public const string RemindersUnmuted = "reminders.unmuted";
    public const string ItemSnoozed = "item.snoozed";
    public const string ItemCompleted = "item.completed";
    public const string ItemReopened = "item.reopened";
    public const string ItemNotApplicable = "item.not-applicable";
    public const string ItemBlocked = "item.blocked";
    public const string ItemNoted = "item.noted";
    public const string PhaseTriggered = "phase.triggered";
    public const string GoNoGoVoted = "gonogo.voted";
    public const string GoNoGoDecided = "gonogo.decided";
    public const string GoNoGoOverridden = "gonogo.overridden";
    public const string DeploymentStarted = "deployment.started";
    public const string DeploymentOverridden = "deployment.overridden";
    public const string DeploymentFinished = "deployment.finished";

    // Rollback actions start with "rollback": the retrospective agenda lists them.
    public const string RollbackRaised = "rollback.raised";
    public const string RollbackApproved = "rollback.approved";
    public const string RollbackOverridden = "rollback.overridden";
    public const string RollbackStarted = "rollback.started";
    public const string RollbackRestored = "rollback.restored";
    public const string ReleaseForceClosed = "release.force-closed";
}
