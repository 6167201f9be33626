namespace ReleaseTeamsApp.Releases;

public enum ChangeKind
{
    Applied,

    /// <summary>Nothing to do: the release is already as asked (a double click, a retried invoke).</summary>
    Unchanged,

    Refused,
}

/// <summary>
/// What one operation decided on fresh state: what to write (nothing unless applied) and what to tell the person.
/// Operations re-run on fresh state when a concurrent write wins, so they decide without I/O.
/// </summary>
public sealed record ReleaseChange(ChangeKind Kind, string Message, Release? Release = null, IReadOnlyList<ChecklistItem>? ChangedItems = null, IReadOnlyList<AuditEvent>? AuditRows = null)
{
    public static ReleaseChange Refused(string message) => new(ChangeKind.Refused, message);

    public static ReleaseChange Unchanged(string message) => new(ChangeKind.Unchanged, message);

    public static ReleaseChange To(string message, Release? release, IReadOnlyList<ChecklistItem> items, IReadOnlyList<AuditEvent> audit) =>
        new(ChangeKind.Applied, message, release, items, audit);

    public bool Applied => Kind == ChangeKind.Applied;

    public IReadOnlyList<ChecklistItem> Items => Applied ? ChangedItems ?? [] : [];

    public IReadOnlyList<AuditEvent> Audit => Applied ? AuditRows ?? [] : [];
}
