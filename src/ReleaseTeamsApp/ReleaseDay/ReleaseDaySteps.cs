using System.Globalization;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>What a release-day step decided: what to write (nothing when refused) and what to tell the person.</summary>
public sealed record StepOutcome(bool Applied, string Message, Release? Release = null, IReadOnlyList<ChecklistItem>? Items = null, IReadOnlyList<AuditEvent>? Audit = null)
{
    public static StepOutcome Refused(string message) => new(false, message);

    public ReleaseWrite Write => Applied ? new ReleaseWrite(Release, Items ?? [], Audit ?? []) : ReleaseWrite.Nothing;
}

/// <summary>
/// The release-day decisions as pure functions of stored state: go/no-go votes and decisions, deployment start and
/// finish, rollback raise/approve/restore and closing. Each re-runs on fresh state when a concurrent write wins.
/// </summary>
public static class ReleaseDaySteps
{
    public static bool IsManager(Release release, Person person) => release.Roles.Holds(person, ReleaseRole.ReleaseManager);

    public static string Managers(Release release) =>
        release.Roles[ReleaseRole.ReleaseManager] is { Count: > 0 } rms ? string.Join(", ", rms.Select(p => p.Name)) : "nobody yet";

    public static StepOutcome Vote(ReleaseState state, Person voter, GoNoGoVote vote, string? comment, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        var roles = Readiness.SignOffRoles.Where(r => release.Roles.Holds(voter, r)).ToList();
        if (roles.Count == 0)
        {
            return StepOutcome.Refused($"Only the {string.Join(", ", Readiness.SignOffRoles.Select(r => r.DisplayName()))} of {release.Version} sign off; you hold none of these roles. The Release Manager records the decision.");
        }

        comment = Clean(comment);
        if (TextLimits.TooLong("The comment", comment, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        var goNoGo = release.GoNoGo ?? GoNoGo.Empty;
        var audit = new List<AuditEvent>();
        foreach (var role in roles)
        {
            var before = goNoGo.SignOffs.FirstOrDefault(s => s.Role == role && s.Voter.IsSame(voter));
            goNoGo = goNoGo.With(new SignOff(role, voter, vote, comment, now));
            audit.Add(new AuditEvent(release.Id, now, voter, AuditActions.GoNoGoVoted, Before: before is null ? null : VoteText(before.Vote), After: $"{role.DisplayName()}: {VoteText(vote)}", Note: comment));
        }

        var updated = release with { GoNoGo = goNoGo };
        var score = Readiness.Of(ReleaseState.Draft(updated, state.Items)).Score;
        return new StepOutcome(true, $"{voter.Name} voted {VoteText(vote)} on {release.Version} as {string.Join(", ", roles.Select(r => r.DisplayName()))}. Readiness {score}/100.", updated, [], audit);
    }

    /// <summary>The Release Manager records GO or NO-GO. A GO against readiness needs an override reason, which is audited.</summary>
    public static StepOutcome Decide(ReleaseState state, Person actor, GoNoGoVote outcome, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return StepOutcome.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) records the go/no-go decision. Vote on the card instead if you hold a sign-off role.");
        }

        if (release.Deployment is not null)
        {
            return StepOutcome.Refused($"Release {release.Version} is already {release.Status}: the go/no-go decision can no longer change.");
        }

        var readiness = Readiness.Of(state);
        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        if (outcome == GoNoGoVote.Go && !readiness.IsReady && reason is null)
        {
            return StepOutcome.Refused($"GO refused for {release.Version} (readiness {readiness.Score}/100): {string.Join(" · ", readiness.Obstacles)}. To go anyway, give an override reason: **go {release.Version} --override <reason>** or the override field on the card.");
        }

        var overridden = outcome == GoNoGoVote.Go && !readiness.IsReady;
        var decision = new GoNoGoDecision(outcome, actor, now, readiness.Score, OverrideReason: overridden ? reason : null, Comment: overridden ? null : reason);
        var updated = release with { GoNoGo = (release.GoNoGo ?? GoNoGo.Empty) with { Decision = decision } };
        var votes = string.Join("; ", readiness.SignOffs.SelectMany(s => s.Votes).Select(v => $"{v.Role.DisplayName()} {v.Voter.Name}: {VoteText(v.Vote)}"));
        var audit = new List<AuditEvent>
        {
            new(release.Id, now, actor, AuditActions.GoNoGoDecided, release.GoNoGo?.Decision is { } previous ? VoteText(previous.Outcome).ToUpperInvariant() : null, VoteText(outcome).ToUpperInvariant(),
                string.Create(CultureInfo.InvariantCulture, $"readiness {readiness.Score}/100 (items {readiness.RequiredDone}/{readiness.RequiredTotal}, sign-offs {readiness.SignOffs.Count(s => s.SignedOff)}/{readiness.SignOffs.Count}, blockers {readiness.Blockers.Count}); votes: {(votes.Length == 0 ? "none" : votes)}")),
        };
        if (overridden)
        {
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.GoNoGoOverridden, After: "GO", Note: $"{reason} (over: {string.Join(" · ", readiness.Obstacles)})"));
        }

        return new StepOutcome(true, $"{actor.Name} recorded **{VoteText(outcome).ToUpperInvariant()}** for {release.Version} at readiness {readiness.Score}/100{(overridden ? $", overriding: {reason}" : "")}.", updated, [], audit);
    }

    /// <summary>Deployment starts after a GO; without one the Release Manager must give a reason.</summary>
    public static StepOutcome StartDeployment(ReleaseState state, Person actor, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return StepOutcome.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) starts the deployment.");
        }

        if (release.Deployment is { } started)
        {
            return StepOutcome.Refused($"The deployment of {release.Version} already started at {release.LocalTextWithZone(started.StartedAt)} by {started.StartedBy.Name}.");
        }

        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        var go = release.GoNoGo?.Decision is { Outcome: GoNoGoVote.Go };
        if (!go && reason is null)
        {
            var decided = release.GoNoGo?.Decision is { } d ? $"the decision is NO-GO ({d.DecidedBy.Name})" : "no go/no-go decision is recorded";
            return StepOutcome.Refused($"Deployment of {release.Version} refused: {decided}. Record a GO first (**go/no-go {release.Version}**), or start anyway with **deploy start {release.Version} --override <reason>**.");
        }

        var updated = release with { Status = ReleaseStatus.Deploying, Deployment = new Deployment(now, actor, OverrideReason: go ? null : reason) };
        var audit = new List<AuditEvent> { new(release.Id, now, actor, AuditActions.DeploymentStarted, release.Status.ToString(), nameof(ReleaseStatus.Deploying)) };
        if (!go)
        {
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.DeploymentOverridden, After: "deploy without GO", Note: reason));
        }

        return new StepOutcome(true, $"Deployment of {release.Version} started at {release.LocalTextWithZone(now)} by {actor.Name}{(go ? "" : $" without a GO: {reason}")}.", updated, [], audit);
    }

    public static StepOutcome FinishDeployment(ReleaseState state, Person actor, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return StepOutcome.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) finishes the deployment.");
        }

        if (release.Deployment is not { } deployment)
        {
            return StepOutcome.Refused($"The deployment of {release.Version} has not started: say **deploy start {release.Version}** first.");
        }

        if (deployment.FinishedAt is { } finished)
        {
            return StepOutcome.Refused($"The deployment of {release.Version} already finished at {release.LocalTextWithZone(finished)} ({Duration(deployment.Duration)}).");
        }

        var done = deployment with { FinishedAt = now, FinishedBy = actor };
        var status = release.Status == ReleaseStatus.RolledBack ? release.Status : ReleaseStatus.Deployed;
        var updated = release with { Status = status, Deployment = done };
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.DeploymentFinished, release.Status.ToString(), status.ToString(), $"duration {Duration(done.Duration)}");
        return new StepOutcome(true, $"Deployment of {release.Version} finished at {release.LocalTextWithZone(now)}: it took {Duration(done.Duration)}.", updated, [], [audit]);
    }

    /// <summary>Any role holder raises a rollback with a reason; one rollback at a time.</summary>
    public static StepOutcome RaiseRollback(ReleaseState state, Person actor, string? reason, string rollbackId, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!release.Roles.RolesOf(actor).Any())
        {
            return StepOutcome.Refused($"Only people with a role on {release.Version} can raise a rollback. Ask the Release Manager ({Managers(release)}).");
        }

        if (release.Rollbacks.FirstOrDefault(r => !r.IsRestored) is { } pending)
        {
            return StepOutcome.Refused($"A rollback of {release.Version} is already under way (raised by {pending.RaisedBy.Name} at {release.LocalTextWithZone(pending.RaisedAt)}: {pending.Reason}).");
        }

        reason = Clean(reason);
        if (TextLimits.TooLong("The rollback reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        if (reason is null)
        {
            return StepOutcome.Refused($"Say why {release.Version} must roll back: **rollback {release.Version} --reason <what is wrong>**, or the reason field on the card.");
        }

        var rollback = new RollbackEvent(rollbackId, actor, now, reason);
        var updated = release with { Rollbacks = [.. release.Rollbacks, rollback] };
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.RollbackRaised, release.Status.ToString(), "rollback requested", reason);
        return new StepOutcome(true, $"{actor.Name} raised a rollback of {release.Version}: {reason}. The Product Manager and the Engineering Lead decide.", updated, [], [audit]);
    }

    /// <summary>
    /// The Product Manager and the Engineering Lead each approve; with both (or the Release Manager's override with a
    /// reason) the rollback phase starts: its items become due, incident and decision are ticked, status RolledBack.
    /// </summary>
    public static StepOutcome ApproveRollback(ReleaseState state, Person actor, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (release.Rollbacks.FirstOrDefault(r => !r.IsRestored) is not { } rollback)
        {
            return StepOutcome.Refused($"No rollback of {release.Version} is waiting for a decision. Raise one with **rollback {release.Version} --reason <text>**.");
        }

        if (rollback.IsApproved)
        {
            return StepOutcome.Refused($"The rollback of {release.Version} was already approved at {release.LocalTextWithZone(rollback.ApprovedAt!.Value)}.");
        }

        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        var roles = new[] { ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.Where(r => release.Roles.Holds(actor, r)).ToList();
        var audit = new List<AuditEvent>();
        var next = rollback;
        if (reason is not null)
        {
            if (!IsManager(release, actor))
            {
                return StepOutcome.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) can override the rollback decision.");
            }

            next = next with { OverriddenBy = actor, OverrideReason = reason };
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.RollbackOverridden, After: "rollback approved by override", Note: reason));
        }
        else
        {
            if (roles.Count == 0)
            {
                return StepOutcome.Refused($"A rollback of {release.Version} needs the Product Manager ({Holders(release, ReleaseRole.ProductManager)}) and the Engineering Lead ({Holders(release, ReleaseRole.EngineeringLead)}) to approve; you are neither. The Release Manager can override with a reason.");
            }

            var fresh = roles.Where(r => !next.Approvals.Any(a => a.Role == r)).ToList();
            if (fresh.Count == 0)
            {
                return StepOutcome.Refused($"You already approved the rollback of {release.Version}; waiting for {string.Join(" and ", Missing(next).Select(r => r.DisplayName()))}.");
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
        return new StepOutcome(true, message, updated, items, audit);
    }

    /// <summary>Service restored: stamped when the rollback.restore item ("Rollback procedure executed") is done, or by the rollback restored command.</summary>
    public static StepOutcome Restore(ReleaseState state, Person actor, DateTimeOffset now)
    {
        var release = state.Release;
        if (OpenApproved(release) is not { } rollback)
        {
            return StepOutcome.Refused($"No approved rollback of {release.Version} is waiting to be marked restored.");
        }

        if (!release.Roles.RolesOf(actor).Any())
        {
            return StepOutcome.Refused($"Only people with a role on {release.Version} can mark the rollback restored.");
        }

        var items = new List<ChecklistItem>();
        if (ItemBehaviours.Find(state, ItemBehaviour.RollbackRestore) is { IsSettled: false } executed)
        {
            items.Add(executed with { Status = ItemStatus.Done, ChangedBy = actor, ChangedAt = now, CompletedAt = now });
        }

        var (updated, audit) = Restored(release, rollback, actor, now);
        return new StepOutcome(true, $"Rollback of {release.Version} restored at {release.LocalTextWithZone(now)}: {Duration(now - rollback.RaisedAt)} after it was raised.", updated, items, [audit]);
    }

    /// <summary>
    /// What a committed item change writes: the item and its audit row and, when the template's rollback.restore item
    /// ("Rollback procedure executed") becomes Done while an approved rollback is open, that rollback's restored time and
    /// audit row (the card tick and the rollback restored command agree).
    /// </summary>
    public static ReleaseWrite ItemChanged(ReleaseState state, ItemChangeOutcome.Applied applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(applied);
        var write = new ReleaseWrite(null, [applied.Item], [applied.Audit]);
        if (applied.Item is not { Status: ItemStatus.Done } || ItemBehaviours.Of(state, applied.Item) != ItemBehaviour.RollbackRestore || OpenApproved(state.Release) is not { } rollback)
        {
            return write;
        }

        var (updated, audit) = Restored(state.Release, rollback, applied.Audit.Actor, now);
        return write with { Release = updated, Audit = [applied.Audit, audit] };
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

    /// <summary>The items that keep a release from closing: required, scheduled or triggered, not settled.</summary>
    public static IReadOnlyList<ChecklistItem> OpenForClose(ReleaseState state) =>
        state.Items.Where(i => i.DueAt is not null && !i.IsSettled && (i.Required || i.Status == ItemStatus.Blocked)).OrderBy(i => i.Order).ToList();

    public static StepOutcome Close(ReleaseState state, Person actor, string? forceReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (release.Status == ReleaseStatus.Closed)
        {
            return StepOutcome.Refused($"Release {release.Version} is already closed.");
        }

        if (!IsManager(release, actor))
        {
            return StepOutcome.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) closes it.");
        }

        var open = OpenForClose(state);
        var reason = Clean(forceReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return StepOutcome.Refused(tooLong + " Nothing was recorded.");
        }

        if (open.Count > 0 && reason is null)
        {
            return StepOutcome.Refused($"Release {release.Version} still has {open.Count} open item(s): {string.Join("; ", open.Take(10).Select(i => $"{i.Text} ({i.Owner.DisplayName()})"))}{(open.Count > 10 ? "; …" : "")}. Settle them, or close anyway with **close {release.Version} --force <reason>**.");
        }

        var updated = release with { Status = ReleaseStatus.Closed, ClosedAt = now, ForcedCloseReason = open.Count > 0 ? reason : null };
        var audit = new List<AuditEvent> { new(release.Id, now, actor, AuditActions.ReleaseClosed, release.Status.ToString(), nameof(ReleaseStatus.Closed), open.Count > 0 ? $"forced with {open.Count} open item(s): {reason}" : null) };
        if (open.Count > 0)
        {
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.ReleaseForceClosed, Note: $"{reason}; open: {string.Join("; ", open.Select(i => i.Id))}"));
        }

        return new StepOutcome(true, $"Release {release.Version} closed by {actor.Name}.", updated, [], audit);
    }

    public static IReadOnlyList<ReleaseRole> Missing(RollbackEvent rollback) =>
        new[] { ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.Where(r => !rollback.Approvals.Any(a => a.Role == r)).ToList();

    public static string VoteText(GoNoGoVote vote) => vote == GoNoGoVote.Go ? "go" : "no-go";

    public static string Duration(TimeSpan? span) => span is { } s ? Checklist.ReleaseCards.Duration(s) : "unknown";


    private static RollbackEvent? OpenApproved(Release release) => release.Rollbacks.FirstOrDefault(r => r.IsApproved && !r.IsRestored);

    private static (Release Release, AuditEvent Audit) Restored(Release release, RollbackEvent rollback, Person actor, DateTimeOffset now) =>
        (release with { Rollbacks = release.Rollbacks.Select(r => r.Id == rollback.Id ? r with { RestoredAt = now } : r).ToList() },
            new AuditEvent(release.Id, now, actor, AuditActions.RollbackRestored, After: "previous version restored", Note: $"time to restore {Duration(now - rollback.RaisedAt)}"));

    private static string Decided(RollbackEvent rollback) => rollback.OverrideReason is { } reason
        ? $"overridden by {rollback.OverriddenBy?.Name}: {reason}"
        : $"approved by {string.Join(" and ", rollback.Approvals.Select(a => $"{a.By.Name} ({a.Role.DisplayName()})"))}";

    private static string Holders(Release release, ReleaseRole role) =>
        release.Roles[role] is { Count: > 0 } people ? string.Join(", ", people.Select(p => p.Name)) : "unassigned";

    private static StepOutcome? Closed(Release release) =>
        release.Status == ReleaseStatus.Closed ? StepOutcome.Refused($"Release {release.Version} is closed.") : null;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
