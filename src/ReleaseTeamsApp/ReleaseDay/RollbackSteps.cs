using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>Rollback: raised with a reason, approved by the Product Manager and the Engineering Lead (or overridden), restored.</summary>
internal static partial class ReleaseDaySteps
{
    /// <summary>Any role holder raises a rollback with a reason; one rollback at a time.</summary>
    public static ReleaseChange RaiseRollback(ReleaseState state, Person actor, string? reason, string rollbackId, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!release.Roles.RolesOf(actor).Any())
        {
            return ReleaseChange.Refused($"Only people with a role on {release.Version} can raise a rollback. Ask the Release Manager ({Managers(release)}).");
        }

        if (release.Rollbacks.FirstOrDefault(r => !r.IsRestored) is { } pending)
        {
            return ReleaseChange.Refused($"A rollback of {release.Version} is already under way (raised by {pending.RaisedBy.Name} at {release.LocalTextWithZone(pending.RaisedAt)}: {pending.Reason}); the Product Manager and the Engineering Lead approve it on its card.");
        }

        reason = Clean(reason);
        if (TextLimits.TooLong("The rollback reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
        }

        if (reason is null)
        {
            return ReleaseChange.Refused($"Say why {release.Version} must roll back: **rollback {release.Version} --reason <what is wrong>**, or the reason field on the card.");
        }

        var rollback = new RollbackEvent(rollbackId, actor, now, reason);
        var updated = release with { Rollbacks = [.. release.Rollbacks, rollback] };
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.RollbackRaised, release.Status.ToString(), "rollback requested", reason);
        return ReleaseChange.To($"{actor.Name} raised a rollback of {release.Version}: {reason}. The Product Manager and the Engineering Lead decide.", updated, [], [audit]);
    }

    /// <summary>
    /// The Product Manager and the Engineering Lead each approve; with both (or the Release Manager's override with a
    /// reason) the rollback phase starts: its items become due, incident and decision are ticked, status RolledBack.
    /// </summary>
    public static ReleaseChange ApproveRollback(ReleaseState state, Person actor, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (release.Rollbacks.FirstOrDefault(r => !r.IsRestored) is not { } rollback)
        {
            return ReleaseChange.Refused($"No rollback of {release.Version} is waiting for a decision. Raise one with **rollback {release.Version} --reason <text>**.");
        }

        if (rollback.IsApproved)
        {
            return ReleaseChange.Refused($"The rollback of {release.Version} was already approved at {release.LocalTextWithZone(rollback.ApprovedAt!.Value)}; once the service is back, say **rollback restored {release.Version}**.");
        }

        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
        }

        var roles = new[] { ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.Where(r => release.Roles.Holds(actor, r)).ToList();
        var audit = new List<AuditEvent>();
        var next = rollback;
        if (reason is not null)
        {
            if (!IsManager(release, actor))
            {
                return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) can override the rollback decision.");
            }

            next = next with { OverriddenBy = actor, OverrideReason = reason };
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.RollbackOverridden, After: "rollback approved by override", Note: reason));
        }
        else
        {
            if (roles.Count == 0)
            {
                return ReleaseChange.Refused($"A rollback of {release.Version} needs the Product Manager ({Holders(release, ReleaseRole.ProductManager)}) and the Engineering Lead ({Holders(release, ReleaseRole.EngineeringLead)}) to approve; you are neither. The Release Manager can override with a reason.");
            }

            var fresh = roles.Where(r => !next.Approvals.Any(a => a.Role == r)).ToList();
            if (fresh.Count == 0)
            {
                return ReleaseChange.Refused($"You already approved the rollback of {release.Version}; waiting for {string.Join(" and ", Missing(next).Select(r => r.DisplayName()))}, who approve on the rollback card.");
            }

            next = next with { Approvals = [.. next.Approvals, .. fresh.Select(r => new RollbackApproval(r, actor, now))] };
            audit.AddRange(fresh.Select(r => new AuditEvent(release.Id, now, actor, AuditActions.RollbackApproved, After: $"{r.DisplayName()} approves", Note: rollback.Reason)));
        }

        var approved = next.OverrideReason is not null || Missing(next).Count == 0;
        var items = new List<ChecklistItem>();
        var updated = release;
        string message;
        if (approved)
        {
            next = next with { ApprovedAt = now };
            var phase = ItemBehaviours.RollbackPhase(state);
            items.AddRange(ReleasePlanner.Trigger(phase ?? "", state.Items, now).Select(i => ItemBehaviours.Of(state, i) switch
            {
                ItemBehaviour.RollbackIncident => i with { Status = ItemStatus.Done, ChangedBy = actor, ChangedAt = now, CompletedAt = now, Note = rollback.Reason },
                ItemBehaviour.RollbackDecision => i with { Status = ItemStatus.Done, ChangedBy = actor, ChangedAt = now, CompletedAt = now, Note = Decided(next) },
                _ => i,
            }));
            updated = release with { Status = ReleaseStatus.RolledBack };
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.RollbackStarted, release.Status.ToString(), nameof(ReleaseStatus.RolledBack), $"{items.Count} rollback items due; {Decided(next)}"));
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.PhaseTriggered, After: phase, Note: "rollback approved"));
            message = $"Rollback of {release.Version} approved ({Decided(next)}). The rollback checklist is live: execute the rollback procedure and tick it when the previous version is restored.";
        }
        else
        {
            message = $"{actor.Name} approved the rollback of {release.Version} as {string.Join(", ", roles.Select(r => r.DisplayName()))}; waiting for {string.Join(" and ", Missing(next).Select(r => r.DisplayName()))}.";
        }

        updated = updated with { Rollbacks = release.Rollbacks.Select(r => r.Id == rollback.Id ? next : r).ToList() };
        return ReleaseChange.To(message, updated, items, audit);
    }

    /// <summary>Service restored: stamped when the rollback.restore item ("Rollback procedure executed") is done, or by the rollback restored command.</summary>
    public static ReleaseChange Restore(ReleaseState state, Person actor, DateTimeOffset now)
    {
        var release = state.Release;
        if (OpenApproved(release) is not { } rollback)
        {
            return ReleaseChange.Refused($"No approved rollback of {release.Version} is waiting to be marked restored: a rollback is raised (**rollback {release.Version} --reason <text>**) and approved (**rollback approve {release.Version}**) first.");
        }

        if (!release.Roles.RolesOf(actor).Any())
        {
            return ReleaseChange.Refused($"Only people with a role on {release.Version} can mark the rollback restored: ask the Release Manager ({Managers(release)}).");
        }

        var items = new List<ChecklistItem>();
        if (ItemBehaviours.Find(state, ItemBehaviour.RollbackRestore) is { IsSettled: false } executed)
        {
            items.Add(executed with { Status = ItemStatus.Done, ChangedBy = actor, ChangedAt = now, CompletedAt = now });
        }

        var (updated, audit) = Restored(release, rollback, actor, now);
        return ReleaseChange.To($"Rollback of {release.Version} restored at {release.LocalTextWithZone(now)}: {Duration(now - rollback.RaisedAt)} after it was raised.", updated, items, [audit]);
    }

    /// <summary>
    /// What a committed item change writes: the item and its audit row and, when the template's rollback.restore item
    /// ("Rollback procedure executed") becomes Done while an approved rollback is open, that rollback's restored time and
    /// audit row (the card tick and the rollback restored command agree).
    /// </summary>
    public static ReleaseChange ItemChanged(ReleaseState state, ItemChangeOutcome.Applied applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(applied);
        if (applied.Item is not { Status: ItemStatus.Done } || ItemBehaviours.Of(state, applied.Item) != ItemBehaviour.RollbackRestore || OpenApproved(state.Release) is not { } rollback)
        {
            return applied.Change;
        }

        var (updated, audit) = Restored(state.Release, rollback, applied.Audit.Actor, now);
        return applied.Change.And(release: updated, audit: [audit]);
    }

    /// <summary>The rollback an applied item change just restored (the tick of the rollback.restore item), if any.</summary>
    public static RollbackEvent? RestoredBy(ReleaseState after, ItemChangeOutcome.Applied applied)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(applied);
        return applied.Item is { Status: ItemStatus.Done } && ItemBehaviours.Of(after, applied.Item) == ItemBehaviour.RollbackRestore && after.Release.Rollbacks is [.., { RestoredAt: { } at } last] && at == applied.Audit.At
            ? last
            : null;
    }

    public static IReadOnlyList<ReleaseRole> Missing(RollbackEvent rollback) =>
        new[] { ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.Where(r => !rollback.Approvals.Any(a => a.Role == r)).ToList();

    private static RollbackEvent? OpenApproved(Release release) => release.Rollbacks.FirstOrDefault(r => r.IsApproved && !r.IsRestored);

    private static (Release Release, AuditEvent Audit) Restored(Release release, RollbackEvent rollback, Person actor, DateTimeOffset now) =>
        (release with { Rollbacks = release.Rollbacks.Select(r => r.Id == rollback.Id ? r with { RestoredAt = now } : r).ToList() },
            new AuditEvent(release.Id, now, actor, AuditActions.RollbackRestored, After: "previous version restored", Note: $"time to restore {Duration(now - rollback.RaisedAt)}"));

    private static string Decided(RollbackEvent rollback) => rollback.OverrideReason is { } reason
        ? $"overridden by {rollback.OverriddenBy?.Name}: {reason}"
        : $"approved by {string.Join(" and ", rollback.Approvals.Select(a => $"{a.By.Name} ({a.Role.DisplayName()})"))}";

    private static string Holders(Release release, ReleaseRole role) => release.Roles.HolderNames(role);
}
