using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Closing;

/// <summary>The close decision on fresh state, for the close command and for the follow-up sweep.</summary>
internal static class ReleaseClose
{
    /// <summary>The items that keep a release from closing by command: required, scheduled or triggered, not settled.</summary>
    public static IReadOnlyList<ChecklistItem> OpenForClose(ReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Items.Where(i => i.DueAt is not null && !i.IsSettled && (i.Required || i.Status == ItemStatus.Blocked)).OrderBy(i => i.Order).ToList();
    }

    public static ReleaseChange Decide(ReleaseState state, Closer closer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return closer switch
        {
            Closer.Manager manager => ByManager(state, manager.Actor, manager.ForceReason, now),
            _ => AllSettled(state, now),
        };
    }

    /// <summary>The Release Manager closes; open items need a force reason, which is audited.</summary>
    public static ReleaseChange ByManager(ReleaseState state, Person actor, string? forceReason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(actor);
        var release = state.Release;
        if (release.Status == ReleaseStatus.Closed)
        {
            return ReleaseChange.Refused($"Release {release.Version} is already closed: nothing more to do; its report is on the closing card in the release thread and on the release tab.");
        }

        if (!release.Roles.Holds(actor, ReleaseRole.ReleaseManager))
        {
            return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({release.Roles.HolderNames(ReleaseRole.ReleaseManager)}) closes it: ask them to say **close {release.Version}**.");
        }

        var open = OpenForClose(state);
        var reason = string.IsNullOrWhiteSpace(forceReason) ? null : forceReason.Trim();
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
        }

        if (open.Count > 0 && reason is null)
        {
            return ReleaseChange.Refused($"Release {release.Version} still has {open.Count} open item(s): {string.Join("; ", open.Take(10).Select(i => $"{i.Text} ({i.Owner.DisplayName()})"))}{(open.Count > 10 ? "; …" : "")}. Settle them, or close anyway with **close {release.Version} --force <reason>**.");
        }

        var updated = release with { Status = ReleaseStatus.Closed, ClosedAt = now, ForcedCloseReason = open.Count > 0 ? reason : null };
        var audit = new List<AuditEvent> { new(release.Id, now, actor, AuditActions.ReleaseClosed, release.Status.ToString(), nameof(ReleaseStatus.Closed), open.Count > 0 ? $"forced with {open.Count} open item(s): {reason}" : null) };
        if (open.Count > 0)
        {
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.ReleaseForceClosed, Note: $"{reason}; open: {string.Join("; ", open.Select(i => i.Id))}"));
        }

        return ReleaseChange.To($"Release {release.Version} closed by {actor.Name}.", updated, [], audit);
    }

    /// <summary>The follow-up sweep closes once every post-release item is settled (it checked that before asking).</summary>
    public static ReleaseChange AllSettled(ReleaseState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var release = state.Release;
        if (release.Status == ReleaseStatus.Closed)
        {
            return ReleaseChange.Unchanged($"Release {release.Version} is already closed.");
        }

        var closed = release with { Status = ReleaseStatus.Closed, ClosedAt = now };
        var audit = new AuditEvent(release.Id, now, Closer.App, AuditActions.ReleaseClosed, Before: release.Status.ToString(), After: nameof(ReleaseStatus.Closed), Note: "every post-release item is done or n/a");
        return ReleaseChange.To($"Release {release.Version} closed: every post-release item is done or n/a.", closed, [], [audit]);
    }
}
