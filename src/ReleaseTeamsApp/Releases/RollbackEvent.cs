
namespace ReleaseTeamsApp.Releases;

/// <summary>An approval of a rollback by a Product Manager or Engineering Lead.</summary>
public sealed record RollbackApproval(ReleaseRole Role, Person By, DateTimeOffset At);

/// <summary>
/// One rollback of a release: raised (with a reason), approved by both the Product Manager and the Engineering Lead
/// (or forced by the Release Manager with a reason), and restored when the previous version is live again.
/// </summary>
public sealed record RollbackEvent(string Id, Person RaisedBy, DateTimeOffset RaisedAt, string Reason)
{
    public IReadOnlyList<RollbackApproval> Approvals { get; init; } = [];

    public DateTimeOffset? ApprovedAt { get; init; }

    public Person? OverriddenBy { get; init; }

    public string? OverrideReason { get; init; }

    public DateTimeOffset? RestoredAt { get; init; }

    /// <summary>The decision card in the thread, updated after every approval.</summary>
    public string? CardActivityId { get; init; }

    public bool IsApproved => ApprovedAt is not null;

    public bool IsRestored => RestoredAt is not null;

    /// <summary>Raised → restored: the time to restore service.</summary>
    public TimeSpan? TimeToRestore => RestoredAt - RaisedAt;
}
