namespace ReleaseTeamsApp.Releases;

public enum ChangeKind
{
    Applied,

    /// <summary>Nothing to do: the release is already as asked (a double click, a retried invoke).</summary>
    Unchanged,

    Refused,
}

/// <summary>
/// What one operation decided on fresh state: applied, unchanged or refused, what to tell the person, and what to write
/// (nothing unless applied). Every operation decides through this type; only its factories and the store build the write.
/// Operations re-run on fresh state when a concurrent write wins, so they decide without I/O.
/// </summary>
public sealed record ReleaseChange
{
    private ReleaseChange(ChangeKind kind, string message, ReleaseWrite write)
    {
        Kind = kind;
        Message = message;
        Write = write;
    }

    public ChangeKind Kind { get; }

    public string Message { get; }

    /// <summary>What the store commits in one transaction.</summary>
    public ReleaseWrite Write { get; }

    public bool Applied => Kind == ChangeKind.Applied;

    /// <summary>The release row as it is after the change, when the change writes it.</summary>
    public Release? Release => Write.Release;

    public IReadOnlyList<ChecklistItem> Items => Write.Items;

    public IReadOnlyList<AuditEvent> Audit => Write.Audit;

    public static ReleaseChange Refused(string message) => new(ChangeKind.Refused, message, ReleaseWrite.Nothing);

    public static ReleaseChange Unchanged(string message) => new(ChangeKind.Unchanged, message, ReleaseWrite.Nothing);

    public static ReleaseChange To(string message, Release? release, IReadOnlyList<ChecklistItem> items, IReadOnlyList<AuditEvent> audit) =>
        new(ChangeKind.Applied, message, new ReleaseWrite(release, items, audit));

    /// <summary>A change the app keeps without telling anyone: a posted card's id, what a digest said, an audit row.</summary>
    public static ReleaseChange Record(Release? release = null, IReadOnlyList<ChecklistItem>? items = null, IReadOnlyList<AuditEvent>? audit = null) =>
        To("", release, items ?? [], audit ?? []);

    /// <summary>
    /// This change and more in the same transaction (e.g. what an item's behaviour adds to its tick): <paramref name="release"/>
    /// replaces the release row it writes, <paramref name="items"/> replace written items of the same id, audit rows follow.
    /// </summary>
    public ReleaseChange And(Release? release = null, IReadOnlyList<ChecklistItem>? items = null, IReadOnlyList<AuditEvent>? audit = null)
    {
        var more = items ?? [];
        var written = Items.Where(i => more.All(m => m.Id != i.Id)).Concat(more).ToList();
        return new(ChangeKind.Applied, Message, new ReleaseWrite(release ?? Release, written, [.. Audit, .. audit ?? []]));
    }

    /// <summary>The change with what its caller needs besides (see <c>IReleaseStore.UpdateAsync</c>).</summary>
    public ReleaseChange<T> Returning<T>(T result) => new(this, result);
}

/// <summary>A change and what the operation tells its caller besides (e.g. the moved items, the people newly staffed).</summary>
public sealed record ReleaseChange<T>(ReleaseChange Change, T Result);

/// <summary>
/// What a change writes: all of it commits in one transaction, or none of it. Empty unless the change applied. Built only
/// by <see cref="ReleaseChange"/>'s factories (and read by the store).
/// </summary>
public sealed record ReleaseWrite(Release? Release, IReadOnlyList<ChecklistItem> Items, IReadOnlyList<AuditEvent> Audit)
{
    public static ReleaseWrite Nothing { get; } = new(null, [], []);

    public bool IsEmpty => Release is null && Items.Count == 0 && Audit.Count == 0;
}
