using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>Deployment: started after a GO (or with the Release Manager's override reason) and finished with its duration.</summary>
internal static partial class ReleaseDaySteps
{
    /// <summary>Deployment starts after a GO; without one the Release Manager must give a reason.</summary>
    public static ReleaseChange StartDeployment(ReleaseState state, Person actor, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) starts the deployment: ask them to say **deploy start {release.Version}**.");
        }

        if (release.Deployment is { } started)
        {
            return ReleaseChange.Refused($"The deployment of {release.Version} already started at {release.LocalTextWithZone(started.StartedAt)} by {started.StartedBy.Name}; say **deploy done {release.Version}** when it has finished.");
        }

        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
        }

        var go = release.GoNoGo?.Decision is { Outcome: GoNoGoVote.Go };
        if (!go && reason is null)
        {
            var decided = release.GoNoGo?.Decision is { } d ? $"the decision is NO-GO ({d.DecidedBy.Name})" : "no go/no-go decision is recorded";
            return ReleaseChange.Refused($"Deployment of {release.Version} refused: {decided}. Record a GO first (**go/no-go {release.Version}**), or start anyway with **deploy start {release.Version} --override <reason>**.");
        }

        var updated = release with { Status = ReleaseStatus.Deploying, Deployment = new Deployment(now, actor, OverrideReason: go ? null : reason) };
        var audit = new List<AuditEvent> { new(release.Id, now, actor, AuditActions.DeploymentStarted, release.Status.ToString(), nameof(ReleaseStatus.Deploying)) };
        if (!go)
        {
            audit.Add(new AuditEvent(release.Id, now, actor, AuditActions.DeploymentOverridden, After: "deploy without GO", Note: reason));
        }

        return ReleaseChange.To($"Deployment of {release.Version} started at {release.LocalTextWithZone(now)} by {actor.Name}{(go ? "" : $" without a GO: {reason}")}.", updated, [], audit);
    }

    public static ReleaseChange FinishDeployment(ReleaseState state, Person actor, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) finishes the deployment: ask them to say **deploy done {release.Version}**.");
        }

        if (release.Deployment is not { } deployment)
        {
            return ReleaseChange.Refused($"The deployment of {release.Version} has not started: say **deploy start {release.Version}** first.");
        }

        if (deployment.FinishedAt is { } finished)
        {
            return ReleaseChange.Refused($"The deployment of {release.Version} already finished at {release.LocalTextWithZone(finished)} ({Duration(deployment.Duration)}); nothing more to record, the post-release items are next.");
        }

        var done = deployment with { FinishedAt = now, FinishedBy = actor };
        var status = release.Status == ReleaseStatus.RolledBack ? release.Status : ReleaseStatus.Deployed;
        var updated = release with { Status = status, Deployment = done };
        var audit = new AuditEvent(release.Id, now, actor, AuditActions.DeploymentFinished, release.Status.ToString(), status.ToString(), $"duration {Duration(done.Duration)}");
        return ReleaseChange.To($"Deployment of {release.Version} finished at {release.LocalTextWithZone(now)}: it took {Duration(done.Duration)}.", updated, [], [audit]);
    }
}
