using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Metrics;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>The release-day cards: go/no-go (with the deployment buttons), rollback decision and incident notice.</summary>
internal static class ReleaseDayCards
{
    public const string GoNoGoTemplate = "go-no-go";
    public const string RollbackDecisionTemplate = "rollback-decision";
    public const string IncidentNoticeTemplate = "incident-notice";

    public const string VerbShowGoNoGo = "gonogo.show";
    public const string VerbVoteGo = "gonogo.vote.go";
    public const string VerbVoteNoGo = "gonogo.vote.nogo";
    public const string VerbDecideGo = "gonogo.decide.go";
    public const string VerbDecideNoGo = "gonogo.decide.nogo";
    public const string VerbDecideOverride = "gonogo.decide.override";
    public const string VerbShowDeploy = "deploy.show";
    public const string VerbDeployStart = "deploy.start";
    public const string VerbDeployOverride = "deploy.override";
    public const string VerbDeployDone = "deploy.done";
    public const string VerbRollbackRaise = "rollback.raise";
    public const string VerbRollbackApprove = "rollback.approve";
    public const string VerbRollbackOverride = "rollback.override";
    public const string VerbRollbackRestored = "rollback.restored";

    /// <summary>The shared go/no-go card: readiness, sign-offs, decision, and the buttons for the stage the release is in.</summary>
    public static JsonObject GoNoGo(ReleaseState state, CardNotice? notice = null)
    {
        var release = state.Release;
        var readiness = Readiness.Of(state);
        var decision = release.GoNoGo?.Decision is { } d
            ? $"{(d.Outcome == GoNoGoVote.Go ? "GO" : "NO-GO")} by {d.DecidedBy.Name} at {release.LocalTextWithZone(d.At)} (readiness {d.Score}){(d.OverrideReason is null ? "" : $", override: {TeamsText.Typed(d.OverrideReason)}")}"
            : "no decision yet";
        // Three rows (sign-off votes, the Release Manager's decision, the deployment) so no title is cut at Teams' card width.
        var votes = new List<CardButton>();
        var decisions = new List<CardButton>();
        var buttons = new List<CardButton>();
        if (release.Status != ReleaseStatus.Closed && release.Deployment is null)
        {
            votes.Add(new CardButton("Vote go", VerbVoteGo));
            votes.Add(new CardButton("Vote no-go", VerbVoteNoGo));
            decisions.Add(new CardButton("Record GO", VerbDecideGo));
            decisions.Add(new CardButton("Record NO-GO", VerbDecideNoGo));
            decisions.Add(new CardButton("GO with override", VerbDecideOverride));

            // After a NO-GO the start can only be forced, with the reason in the comment field.
            buttons.Add(release.GoNoGo?.Decision is { Outcome: GoNoGoVote.NoGo }
                ? new CardButton("Start with override", VerbDeployOverride)
                : new CardButton("Start deployment", VerbDeployStart));
        }
        else if (release.Deployment is { FinishedAt: null })
        {
            buttons.Add(new CardButton("Deployment done", VerbDeployDone));
            buttons.Add(new CardButton("Raise rollback", VerbRollbackRaise));
        }
        else if (release.Status == ReleaseStatus.Deployed)
        {
            buttons.Add(new CardButton("Raise rollback", VerbRollbackRaise));
        }

        var deployment = release.Deployment is { } dep
            ? $" · deployment started {release.LocalTextWithZone(dep.StartedAt)}{(dep.FinishedAt is { } f ? $", finished {release.LocalTextWithZone(f)} ({ReleaseDaySteps.Duration(dep.Duration)})" : "")}"
            : "";
        return CardTemplates.Expand(GoNoGoTemplate, new GoNoGoCardData(
            Release: new(release.Id, release.Version, release.Status.ToString()),
            Decision: decision + deployment,
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            Score: readiness.Score,
            ScoreColor: readiness.IsReady ? "Good" : readiness.Vetoes.Count > 0 ? "Attention" : "Warning",
            Parts: string.Create(CultureInfo.InvariantCulture,
                $"= items {readiness.ItemsPart:0.#} of {Readiness.ItemsWeight} + sign-offs {readiness.SignOffsPart:0.#} of {Readiness.SignOffsWeight} + no blockers {readiness.BlockersPart:0} of {Readiness.BlockersWeight}"),
            Items: $"{readiness.RequiredDone} of {readiness.RequiredTotal} settled",
            Blockers: readiness.Blockers.Count == 0 ? "none" : string.Join("; ", readiness.Blockers.Take(8).Select(b => b.Text)) + (readiness.Blockers.Count > 8 ? $"; … ({readiness.Blockers.Count - 8} more, see the Release tab)" : ""),
            HasOpen: readiness.OpenRequired.Count > 0,
            Open: "Open: " + string.Join("; ", readiness.OpenRequired.Take(8).Select(i => i.Text)) + (readiness.OpenRequired.Count > 8 ? $"; … ({readiness.OpenRequired.Count - 8} more)" : ""),
            SignOffs: readiness.SignOffs.Select(s => new GoNoGoSignOffRow(
                Role: s.Role.DisplayName(),
                People: RoleHolders.Names(s.Holders),
                State: s.Vetoed ? "NO-GO (veto)" : s.SignedOff ? "GO" : "waiting",
                Color: s.Vetoed ? "Attention" : s.SignedOff ? "Good" : "Default",
                Comments: s.Votes.Count == 0 ? " " : string.Join(" · ", s.Votes.Select(v => $"{v.Voter.Name}: {ReleaseDaySteps.VoteText(v.Vote)}{(v.Comment is null ? "" : " — " + ReleaseCards.Shorten(v.Comment, 120))}")))).ToList(),
            HasVotes: votes.Count > 0,
            Votes: votes,
            HasDecisions: decisions.Count > 0,
            Decisions: decisions,
            Buttons: buttons));
    }

    public static JsonObject RollbackDecision(ReleaseState state, RollbackEvent rollback, CardNotice? notice = null)
    {
        var release = state.Release;
        string Approval(ReleaseRole role) =>
            rollback.Approvals.FirstOrDefault(a => a.Role == role) is { } a ? $"approved by {a.By.Name} at {release.LocalTextWithZone(a.At)}"
            : release.Roles[role] is { Count: > 0 } ? $"waiting for {release.Roles.HolderNames(role)}" : $"waiting ({RoleHolders.Unassigned})";
        var buttons = new List<CardButton>();
        if (release.Status != ReleaseStatus.Closed && !rollback.IsApproved)
        {
            buttons.Add(new CardButton("Approve rollback", VerbRollbackApprove));
            buttons.Add(new CardButton("Override (RM)", VerbRollbackOverride));
        }
        else if (release.Status != ReleaseStatus.Closed && !rollback.IsRestored)
        {
            buttons.Add(new CardButton("Previous version restored", VerbRollbackRestored));
        }

        return CardTemplates.Expand(RollbackDecisionTemplate, new RollbackDecisionCardData(
            Release: new(release.Id, release.Version),
            HasNotice: notice is not null,
            Notice: NoticeBanner.Of(notice),
            Rollback: new(
                Reason: TeamsText.Typed(rollback.Reason),
                Raised: $"{release.LocalTextWithZone(rollback.RaisedAt)} by {rollback.RaisedBy.Name}",
                Pm: Approval(ReleaseRole.ProductManager),
                EngLead: Approval(ReleaseRole.EngineeringLead),
                State: rollback.OverrideReason is { } reason ? $"approved by override ({rollback.OverriddenBy?.Name}): {TeamsText.Typed(reason)}"
                    : rollback.IsApproved ? "approved: rollback checklist is live" : "waiting for both approvals",
                Restored: rollback.RestoredAt is { } at ? $"{release.LocalTextWithZone(at)} ({ReleaseDaySteps.Duration(rollback.TimeToRestore)} after it was raised)" : "not yet"),
            CanAct: buttons.Count > 0 && !rollback.IsApproved,
            Buttons: buttons));
    }

    /// <summary>The incident card; the message that carries it @mentions the deciders (mentions live in the message text, not the card).</summary>
    public static JsonObject IncidentNotice(Release release, RollbackEvent rollback)
    {
        var deciders = new[] { ReleaseRole.ReleaseManager, ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }
            .Select(r => $"{r.DisplayName()} {(release.Roles[r] is { Count: > 0 } ? release.Roles.HolderNames(r) : $"({RoleHolders.Unassigned})")}");
        return CardTemplates.Expand(IncidentNoticeTemplate, new IncidentNoticeCardData(
            Release: new(release.Version),
            Reason: TeamsText.Typed(rollback.Reason),
            RaisedBy: rollback.RaisedBy.Name,
            RaisedAt: release.LocalTextWithZone(rollback.RaisedAt),
            Deciders: string.Join(" · ", deciders)));
    }
}
