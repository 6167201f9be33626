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
public sealed record ReleaseChange(ChangeKind Kind, string Message, ReleaseWrite Write)
{
    public static ReleaseChange Refused(string message) => new(ChangeKind.Refused, message, ReleaseWrite.Nothing);

    public static ReleaseChange Unchanged(string message) => new(ChangeKind.Unchanged, message, ReleaseWrite.Nothing);

    public static ReleaseChange To(string message, Release? release, IReadOnlyList<ChecklistItem> items, IReadOnlyList<AuditEvent> audit) =>
        new(ChangeKind.Applied, message, new ReleaseWrite(release, items, audit));

    public bool Applied => Kind == ChangeKind.Applied;

    /// <summary>The release row as it is after the change, when the change writes it.</summary>
    public Release? Release => Write.Release;

    public IReadOnlyList<ChecklistItem> Items => Write.Items;

    public IReadOnlyList<AuditEvent> Audit => Write.Audit;
}

/// <summary>What a change writes: all of it commits in one transaction, or none of it. Empty unless the change applied.</summary>
public sealed record ReleaseWrite(Release? Release, IReadOnlyList<ChecklistItem> Items, IReadOnlyList<AuditEvent> Audit)
{
    public static ReleaseWrite Nothing { get; } = new(null, [], []);

    public bool IsEmpty => Release is null && Items.Count == 0 && Audit.Count == 0;
}

/// <summary>A decision taken on fresh state, as the store's update takes it: the change's write (possibly nothing) and what to tell the caller.</summary>
public sealed record Decision<T>(ReleaseWrite Write, T Result)
{
    public Decision(ReleaseChange change, T result)
        : this(change?.Write ?? throw new ArgumentNullException(nameof(change)), result)
    {
    }
}
