using System.Globalization;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>Go/no-go: sign-off votes and the Release Manager's decision against readiness.</summary>
internal static partial class ReleaseDaySteps
{
    public static ReleaseChange Vote(ReleaseState state, Person voter, GoNoGoVote vote, string? comment, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        var roles = Readiness.SignOffRoles.Where(r => release.Roles.Holds(voter, r)).ToList();
        if (roles.Count == 0)
        {
            return ReleaseChange.Refused($"Only the {string.Join(", ", Readiness.SignOffRoles.Select(r => r.DisplayName()))} of {release.Version} sign off; you hold none of these roles. The Release Manager records the decision.");
        }

        comment = Clean(comment);
        if (TextLimits.TooLong("The comment", comment, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
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
        return ReleaseChange.To($"{voter.Name} voted {VoteText(vote)} on {release.Version} as {string.Join(", ", roles.Select(r => r.DisplayName()))}. Readiness {score}/100.", updated, [], audit);
    }

    /// <summary>The Release Manager records GO or NO-GO. A GO against readiness needs an override reason, which is audited.</summary>
    public static ReleaseChange Decide(ReleaseState state, Person actor, GoNoGoVote outcome, string? overrideReason, DateTimeOffset now)
    {
        var release = state.Release;
        if (Closed(release) is { } closed)
        {
            return closed;
        }

        if (!IsManager(release, actor))
        {
            return ReleaseChange.Refused($"Only the Release Manager of {release.Version} ({Managers(release)}) records the go/no-go decision. Vote on the card instead if you hold a sign-off role.");
        }

        if (release.Deployment is not null)
        {
            return ReleaseChange.Refused($"Release {release.Version} is already {release.Status}: the go/no-go decision can no longer change. If something is wrong with the release now, raise a rollback with **rollback {release.Version} --reason <what is wrong>**.");
        }

        var readiness = Readiness.Of(state);
        var reason = Clean(overrideReason);
        if (TextLimits.TooLong("The reason", reason, TextLimits.Reason) is { } tooLong)
        {
            return ReleaseChange.Refused(tooLong + " Nothing was recorded.");
        }

        if (outcome == GoNoGoVote.Go && !readiness.IsReady && reason is null)
        {
            return ReleaseChange.Refused($"GO refused for {release.Version} (readiness {readiness.Score}/100): {string.Join(" · ", readiness.Obstacles)}. To go anyway, give an override reason: **go {release.Version} --override <reason>** or the override field on the card.");
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

        return ReleaseChange.To($"{actor.Name} recorded **{VoteText(outcome).ToUpperInvariant()}** for {release.Version} at readiness {readiness.Score}/100{(overridden ? $", overriding: {reason}" : "")}.", updated, [], audit);
    }
}
