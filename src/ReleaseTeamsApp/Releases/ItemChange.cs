
namespace ReleaseTeamsApp.Releases;

public enum ItemAction
{
    Complete,
    Reopen,
    MarkNotApplicable,
    Block,
    Note,
}

/// <summary>What a person asked to do to an item. Re-applied to fresh state when a concurrent write wins the race.</summary>
public sealed record ItemChange(string ItemId, ItemAction Action, Person Actor, string? Note = null, string? EvidenceUrl = null);

/// <summary>
/// How the item rules read a <see cref="ReleaseChange"/> of one item: applied (the new item and its audit row), unchanged
/// (the item as it is), or refused (the message). A view of the change, not a second decision: <see cref="Change"/> is
/// what is committed and said.
/// </summary>
public abstract record ItemChangeOutcome
{
    private ItemChangeOutcome(ReleaseChange change) => Change = change;

    /// <summary>What to write (the item and its audit row, when applied) and what to tell the person.</summary>
    public ReleaseChange Change { get; }

    /// <summary>The change of <paramref name="item"/> as the item rules see it.</summary>
    public static ItemChangeOutcome Of(ReleaseChange change, ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Kind switch
        {
            ChangeKind.Applied => new Applied(change),
            ChangeKind.Unchanged => new Unchanged(change, item),
            _ => new Refused(change),
        };
    }

    public sealed record Applied : ItemChangeOutcome
    {
        internal Applied(ReleaseChange change)
            : base(change)
        {
        }

        /// <summary>The item as it is after the change.</summary>
        public ChecklistItem Item => Change.Items[0];

        public AuditEvent Audit => Change.Audit[0];
    }

    /// <summary>The item is already in the asked-for state (a double click, a retried invoke).</summary>
    public sealed record Unchanged : ItemChangeOutcome
    {
        internal Unchanged(ReleaseChange change, ChecklistItem item)
            : base(change) => Item = item;

        public ChecklistItem Item { get; }
    }

    public sealed record Refused : ItemChangeOutcome
    {
        internal Refused(ReleaseChange change)
            : base(change)
        {
        }

        public string Message => Change.Message;
    }
}

internal static class ItemChanges
{
    public const int MaxEvidenceUrlLength = TextLimits.EvidenceLink;

    public const int MaxNoteLength = TextLimits.Reason;

    /// <summary>Only a holder of the item's role, or the release's Release Manager, may change an item.</summary>
    public static bool MayChange(this Release release, ChecklistItem item, Person person) =>
        person.IsSignal || release.Roles.Holds(person, item.Owner) || release.Roles.Holds(person, ReleaseRole.ReleaseManager);

    public static ItemChangeOutcome Apply(Release release, ChecklistItem item, ItemChange change, DateTimeOffset now)
    {
        if (!release.MayChange(item, change.Actor))
        {
            var who = RoleHolders.Names(release.Roles[item.Owner], RoleHolders.NobodyAssignedYet(item.Owner));
            return Refused(
                $"Only {who} or the Release Manager can change \"{item.Text}\". Ask the Release Manager to assign you the {item.Owner.DisplayName()} role if this is yours.");
        }

        if (release.Status == ReleaseStatus.Closed)
        {
            return Refused($"Release {release.Version} is closed; its checklist can no longer change. Its report is on the closing card in the release thread.");
        }

        var note = Clean(change.Note);
        var evidence = Clean(change.EvidenceUrl);
        if (evidence is not null && !IsLink(evidence))
        {
            return Refused($"\"{evidence}\" is not a link: evidence is an http(s) address. Paste the whole address, starting with https://.");
        }

        if (evidence is { Length: > MaxEvidenceUrlLength })
        {
            return Refused($"That link is {evidence.Length} characters; evidence links can be at most {MaxEvidenceUrlLength}. Use a shorter link (e.g. the build or wiki page itself).");
        }

        if (TextLimits.TooLong(change.Action == ItemAction.Block ? "The reason" : "The note", note, MaxNoteLength) is { } tooLong)
        {
            return Refused($"{tooLong} Put longer text behind an evidence link.");
        }

        // A person may overrule what a signal settled, but says why: the reason is audited with the change.
        var overridesSignal = item.ChangedBy is { IsSignal: true } && !change.Actor.IsSignal && change.Action is not ItemAction.Note;
        if (overridesSignal && note is null && Target(change.Action) is { } target && target != item.Status)
        {
            return Refused(
                $"{item.ChangedBy!.Name} set \"{item.Text}\" to {item.Status.Label()}{(item.EvidenceUrl is { } link ? $" ({link})" : "")}. To override it, write the reason in the note field and try again.");
        }

        ChecklistItem Changed(ItemStatus status) => item with
        {
            Status = status,
            Note = note ?? item.Note,
            EvidenceUrl = evidence ?? item.EvidenceUrl,
            ChangedBy = change.Actor,
            ChangedAt = now,
            CompletedAt = status is ItemStatus.Done or ItemStatus.NotApplicable ? now : null,
        };

        static (ChecklistItem? Next, string Action, string? Refusal) Same() => (null, "", null);
        static (ChecklistItem? Next, string Action, string? Refusal) Refuse(string message) => (null, "", message);
        (ChecklistItem? Next, string Action, string? Refusal) To(ChecklistItem next, string action) => (next, action, null);

        var (next, action, refusal) = change.Action switch
        {
            ItemAction.Complete when item.Status == ItemStatus.Done => Same(),
            ItemAction.Complete => To(Changed(ItemStatus.Done), AuditActions.ItemCompleted),
            ItemAction.Reopen when item.Status == ItemStatus.Open => Same(),
            ItemAction.Reopen => To(Changed(ItemStatus.Open), AuditActions.ItemReopened),
            ItemAction.MarkNotApplicable when item.Required => Refuse($"\"{item.Text}\" is required, so it cannot be marked N/A. Complete it, or block it with a reason."),
            ItemAction.MarkNotApplicable when item.Status == ItemStatus.NotApplicable => Same(),
            ItemAction.MarkNotApplicable => To(Changed(ItemStatus.NotApplicable), AuditActions.ItemNotApplicable),
            ItemAction.Block when note is null => Refuse("Say what blocks the item: a blocker needs a reason."),
            ItemAction.Block when item.Status == ItemStatus.Blocked && item.Note == note => Same(),
            ItemAction.Block => To(Changed(ItemStatus.Blocked), AuditActions.ItemBlocked),
            ItemAction.Note when note is null && evidence is null => Refuse("The note is empty: write a note or paste an evidence link."),
            ItemAction.Note when note == item.Note && (evidence is null || evidence == item.EvidenceUrl) => Same(),
            ItemAction.Note => To(item with { Note = note ?? item.Note, EvidenceUrl = evidence ?? item.EvidenceUrl, ChangedBy = change.Actor, ChangedAt = now }, AuditActions.ItemNoted),
            _ => Refuse($"Unknown action {change.Action}."),
        };

        if (refusal is not null)
        {
            return Refused(refusal);
        }

        if (next is null)
        {
            return AlreadySo(item);
        }

        var auditNote = overridesSignal && note is not null ? $"overrides {item.ChangedBy!.Name}: {note}"
            : change.Actor.IsSignal ? string.Join(" · ", new[] { note, evidence }.OfType<string>())
            : note ?? evidence;
        var audit = new AuditEvent(release.Id, now, change.Actor, action, item.Id, item.Status.Label(), next.Status.Label(), auditNote);
        return ItemChangeOutcome.Of(ReleaseChange.To($"{next.Status.Label()}: {next.Text}", null, [next], [audit]), next);
    }

    /// <summary>No change: the item is already as asked (also what a redelivered invoke hears).</summary>
    public static ItemChangeOutcome AlreadySo(ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ItemChangeOutcome.Of(ReleaseChange.Unchanged($"No change: \"{item.Text}\" is already {item.Status.Label()}."), item);
    }

    private static ItemChangeOutcome.Refused Refused(string message) => new(ReleaseChange.Refused(message));

    private static ItemStatus? Target(ItemAction action) => action switch
    {
        ItemAction.Complete => ItemStatus.Done,
        ItemAction.Reopen => ItemStatus.Open,
        ItemAction.MarkNotApplicable => ItemStatus.NotApplicable,
        ItemAction.Block => ItemStatus.Blocked,
        _ => null,
    };

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsLink(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
