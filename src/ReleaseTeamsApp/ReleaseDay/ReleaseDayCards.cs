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
        var votes = new List<object>();
        var decisions = new List<object>();
        var buttons = new List<object>();
        if (release.Status != ReleaseStatus.Closed && release.Deployment is null)
        {
            votes.Add(new { title = "Vote go", verb = VerbVoteGo });
            votes.Add(new { title = "Vote no-go", verb = VerbVoteNoGo });
            decisions.Add(new { title = "Record GO", verb = VerbDecideGo });
            decisions.Add(new { title = "Record NO-GO", verb = VerbDecideNoGo });
            decisions.Add(new { title = "GO with override", verb = VerbDecideOverride });

            // After a NO-GO the start can only be forced, with the reason in the comment field.
            buttons.Add(release.GoNoGo?.Decision is { Outcome: GoNoGoVote.NoGo }
                ? new { title = "Start with override", verb = VerbDeployOverride }
                : new { title = "Start deployment", verb = VerbDeployStart });
        }
        else if (release.Deployment is { FinishedAt: null })
        {
            buttons.Add(new { title = "Deployment done", verb = VerbDeployDone });
            buttons.Add(new { title = "Raise rollback", verb = VerbRollbackRaise });
        }
        else if (release.Status == ReleaseStatus.Deployed)
        {
            buttons.Add(new { title = "Raise rollback", verb = VerbRollbackRaise });
        }

        var deployment = release.Deployment is { } dep
            ? $" · deployment started {release.LocalTextWithZone(dep.StartedAt)}{(dep.FinishedAt is { } f ? $", finished {release.LocalTextWithZone(f)} ({ReleaseDaySteps.Duration(dep.Duration)})" : "")}"
            : "";
        return CardTemplates.Expand(GoNoGoTemplate, new
        {
            release = new { id = release.Id, version = release.Version, status = release.Status.ToString() },
            decision = decision + deployment,
            hasNotice = notice is not null,
            notice = notice is null ? null : new { text = notice.Text, style = Style(notice.Style) },
            score = readiness.Score,
            scoreColor = readiness.IsReady ? "Good" : readiness.Vetoes.Count > 0 ? "Attention" : "Warning",
            parts = string.Create(CultureInfo.InvariantCulture,
                $"= items {readiness.ItemsPart:0.#} of {Readiness.ItemsWeight} + sign-offs {readiness.SignOffsPart:0.#} of {Readiness.SignOffsWeight} + no blockers {readiness.BlockersPart:0} of {Readiness.BlockersWeight}"),
            items = $"{readiness.RequiredDone} of {readiness.RequiredTotal} settled",
            blockers = readiness.Blockers.Count == 0 ? "none" : string.Join("; ", readiness.Blockers.Take(8).Select(b => b.Text)) + (readiness.Blockers.Count > 8 ? $"; … ({readiness.Blockers.Count - 8} more, see the Release tab)" : ""),
            hasOpen = readiness.OpenRequired.Count > 0,
            open = "Open: " + string.Join("; ", readiness.OpenRequired.Take(8).Select(i => i.Text)) + (readiness.OpenRequired.Count > 8 ? $"; … ({readiness.OpenRequired.Count - 8} more)" : ""),
            signOffs = readiness.SignOffs.Select(s => new
            {
                role = s.Role.DisplayName(),
                people = RoleHolders.Names(s.Holders),
                state = s.Vetoed ? "NO-GO (veto)" : s.SignedOff ? "GO" : "waiting",
                color = s.Vetoed ? "Attention" : s.SignedOff ? "Good" : "Default",
                comments = s.Votes.Count == 0 ? " " : string.Join(" · ", s.Votes.Select(v => $"{v.Voter.Name}: {ReleaseDaySteps.VoteText(v.Vote)}{(v.Comment is null ? "" : " — " + ReleaseCards.Shorten(v.Comment, 120))}")),
            }),
            hasVotes = votes.Count > 0,
            votes,
            hasDecisions = decisions.Count > 0,
            decisions,
            buttons,
        });
    }

    public static JsonObject RollbackDecision(ReleaseState state, RollbackEvent rollback, CardNotice? notice = null)
    {
        var release = state.Release;
        string Approval(ReleaseRole role) =>
            rollback.Approvals.FirstOrDefault(a => a.Role == role) is { } a ? $"approved by {a.By.Name} at {release.LocalTextWithZone(a.At)}"
            : release.Roles[role] is { Count: > 0 } ? $"waiting for {release.Roles.HolderNames(role)}" : $"waiting ({RoleHolders.Unassigned})";
        var buttons = new List<object>();
        if (release.Status != ReleaseStatus.Closed && !rollback.IsApproved)
        {
            buttons.Add(new { title = "Approve rollback", verb = VerbRollbackApprove });
            buttons.Add(new { title = "Override (RM)", verb = VerbRollbackOverride });
        }
        else if (release.Status != ReleaseStatus.Closed && !rollback.IsRestored)
        {
            buttons.Add(new { title = "Previous version restored", verb = VerbRollbackRestored });
        }

        return CardTemplates.Expand(RollbackDecisionTemplate, new
        {
            release = new { id = release.Id, version = release.Version },
            hasNotice = notice is not null,
            notice = notice is null ? null : new { text = notice.Text, style = Style(notice.Style) },
            rollback = new
            {
                reason = TeamsText.Typed(rollback.Reason),
                raised = $"{release.LocalTextWithZone(rollback.RaisedAt)} by {rollback.RaisedBy.Name}",
                pm = Approval(ReleaseRole.ProductManager),
                engLead = Approval(ReleaseRole.EngineeringLead),
                state = rollback.OverrideReason is { } reason ? $"approved by override ({rollback.OverriddenBy?.Name}): {TeamsText.Typed(reason)}"
                    : rollback.IsApproved ? "approved: rollback checklist is live" : "waiting for both approvals",
                restored = rollback.RestoredAt is { } at ? $"{release.LocalTextWithZone(at)} ({ReleaseDaySteps.Duration(rollback.TimeToRestore)} after it was raised)" : "not yet",
            },
            canAct = buttons.Count > 0 && !rollback.IsApproved,
            buttons,
        });
    }

    /// <summary>The incident card; the message that carries it @mentions the deciders (mentions live in the message text, not the card).</summary>
    public static JsonObject IncidentNotice(Release release, RollbackEvent rollback)
    {
        var deciders = new[] { ReleaseRole.ReleaseManager, ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }
            .Select(r => $"{r.DisplayName()} {(release.Roles[r] is { Count: > 0 } ? release.Roles.HolderNames(r) : $"({RoleHolders.Unassigned})")}");
        return CardTemplates.Expand(IncidentNoticeTemplate, new
        {
            release = new { version = release.Version },
            reason = TeamsText.Typed(rollback.Reason),
            raisedBy = rollback.RaisedBy.Name,
            raisedAt = release.LocalTextWithZone(rollback.RaisedAt),
            deciders = string.Join(" · ", deciders),
        });
    }

    private static object Fact(string title, string value) => new { title, value };


    private static string Style(NoticeStyle style) => style switch
    {
        NoticeStyle.Good => "good",
        NoticeStyle.Attention => "attention",
        NoticeStyle.Warning => "warning",
        NoticeStyle.Accent => "accent",
        _ => "default",
    };
}
