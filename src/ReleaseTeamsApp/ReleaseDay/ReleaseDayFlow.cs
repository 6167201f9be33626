using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Retrospective;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>
/// The release day in the channel: go/no-go (votes, decision, readiness), deployment start/finish, rollback
/// (incident, two approvals, rollback checklist, retrospective) and closing with the report. Commands and card verbs.
/// </summary>
public sealed partial class ReleaseDayFlow(
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    ReleaseCards cards,
    StakeholderAnnouncements announcements,
    RetrospectiveBooking retrospective,
    CardUpdates cardUpdates,
    TimeProvider time,
    ILogger<ReleaseDayFlow> logger) : ReleaseFlowHandler
{
    public const string DeployUsage = "deploy start, deploy done (add 2.5.0 to name the release)";

    public override IReadOnlyList<CommandWord> Commands =>
        [new("go/no-go"), new("gonogo", "go/no-go"), new("go-no-go", "go/no-go"), new("go"), new("no-go"), new("deploy"), new("rollback"), new("close")];

    public override IReadOnlyList<CommandHelp> Help =>
    [
        new("go/no-go, or go/no-go 2.5.0", "readiness, sign-offs and the go / no-go decision", 90),
        new(DeployUsage, "record the deployment start or finish", 100),
        new("rollback, or rollback 2.5.0", "raise a rollback: incident notice, decision, rollback checklist", 110),
        new("close, or close 2.5.0", "close the release and post its report", 160),
    ];

    /// <summary>deploy start|done [2.5.0], rollback approve|restored [2.5.0]; otherwise the common form (version, --override/--reason).</summary>
    public override BotCommand Parse(CommandText text)
    {
        var (words, reason) = Arguments(text);
        return text.Name switch
        {
            "rollback" when words.Length > 0 && words[0].ToLowerInvariant() is "approve" or "restored" or "restore" =>
                new BotCommand.Flow(text.Name, words[0].ToLowerInvariant(), words.ElementAtOrDefault(1), reason),
            "deploy" when words.Length > 0 => new BotCommand.Flow(text.Name, words[0].ToLowerInvariant(), words.ElementAtOrDefault(1), reason),
            "deploy" when reason is null => new BotCommand.Invalid("'deploy' needs what to do.", DeployUsage),
            _ => base.Parse(text),
        };
    }

    public override IReadOnlyCollection<string> Verbs =>
    [
        ReleaseDayCards.VerbShowGoNoGo, ReleaseDayCards.VerbVoteGo, ReleaseDayCards.VerbVoteNoGo, ReleaseDayCards.VerbDecideGo, ReleaseDayCards.VerbDecideNoGo,
        ReleaseDayCards.VerbDecideOverride, ReleaseDayCards.VerbShowDeploy, ReleaseDayCards.VerbDeployStart, ReleaseDayCards.VerbDeployOverride, ReleaseDayCards.VerbDeployDone,
        ReleaseDayCards.VerbRollbackRaise, ReleaseDayCards.VerbRollbackApprove, ReleaseDayCards.VerbRollbackOverride, ReleaseDayCards.VerbRollbackRestored,
    ];

    public override async Task HandleCommandAsync(TurnContext turn, BotCommand.Flow command, ReleaseState release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(release);
        var reason = command.Reason;
        var step = (command.Name, command.Argument) switch
        {
            ("go/no-go", _) => Step.ShowGoNoGo,
            ("go", _) => Step.DecideGo,
            ("no-go", _) => Step.DecideNoGo,
            ("deploy", "start") => Step.DeployStart,
            ("deploy", "done" or "finish" or "finished") => Step.DeployDone,
            ("rollback", "approve") => Step.RollbackApprove,
            ("rollback", "restored" or "restore") => Step.RollbackRestored,
            ("rollback", _) => Step.RollbackRaise,
            ("close", _) => Step.Close,
            _ => Step.Unknown,
        };
        if (step == Step.Unknown)
        {
            await publisher.ReplyTextAsync(turn, $"I don't know **{command.Name} {command.Argument}**. Try **deploy start**, **deploy done**, **rollback --reason <text>**, **rollback approve** or **rollback restored**.", cancellationToken);
            return;
        }

        var result = await RunAsync(turn, release.Release.Id, step, reason, cancellationToken);
        if (result.Message is { } message)
        {
            await publisher.ReplyTextAsync(turn, message, cancellationToken);
        }
    }

    public override async Task<AdaptiveCardInvokeResponse> HandleVerbAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        var step = data.Verb switch
        {
            ReleaseDayCards.VerbShowGoNoGo or ReleaseDayCards.VerbShowDeploy => Step.ShowGoNoGo,
            ReleaseDayCards.VerbVoteGo => Step.VoteGo,
            ReleaseDayCards.VerbVoteNoGo => Step.VoteNoGo,
            ReleaseDayCards.VerbDecideGo => Step.DecideGo,
            ReleaseDayCards.VerbDecideNoGo => Step.DecideNoGo,
            ReleaseDayCards.VerbDecideOverride => Step.DecideOverride,
            ReleaseDayCards.VerbDeployStart => Step.DeployStart,
            ReleaseDayCards.VerbDeployOverride => Step.DeployOverride,
            ReleaseDayCards.VerbDeployDone => Step.DeployDone,
            ReleaseDayCards.VerbRollbackRaise => Step.RollbackRaise,
            ReleaseDayCards.VerbRollbackApprove => Step.RollbackApprove,
            ReleaseDayCards.VerbRollbackOverride => Step.RollbackOverride,
            ReleaseDayCards.VerbRollbackRestored => Step.RollbackRestored,
            _ => Step.Unknown,
        };
        if (step == Step.Unknown)
        {
            return AdaptiveCardInvokeResponse.BadRequest($"\"{data.Verb}\" is not a release-day action.");
        }

        Result result;
        try
        {
            result = await RunAsync(turn, data.Release!, step, data.Note, cancellationToken);
        }
        catch (ReleaseNotFoundException)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", $"This release ({data.Release}) no longer exists.");
        }

        var notice = result.Message is null ? null : new CardNotice(result.Message, result.Applied ? NoticeStyle.Good : NoticeStyle.Attention);
        return data.View switch
        {
            "rollback" when Last(result.State.Release.Rollbacks) is { } rollback => AdaptiveCardInvokeResponse.Card(ReleaseDayCards.RollbackDecision(result.State, rollback, notice)),
            "summary" when result.Applied || result.Message is null => AdaptiveCardInvokeResponse.Card(cards.Summary(result.State)),
            "summary" => AdaptiveCardInvokeResponse.Message(result.Message!),
            _ => AdaptiveCardInvokeResponse.Card(ReleaseDayCards.GoNoGo(result.State, notice)),
        };
    }

    private async Task<Result> RunAsync(TurnContext turn, string releaseId, Step step, string? text, CancellationToken cancellationToken)
    {
        var actor = turn.Actor;
        if (step == Step.ShowGoNoGo)
        {
            var current = await store.GetAsync(releaseId, cancellationToken) ?? throw new ReleaseNotFoundException(releaseId);
            return new Result(await PostGoNoGoAsync(current, cancellationToken), false, $"Go/no-go card for {current.Release.Version} posted in the release thread.");
        }

        var now = time.GetUtcNow();
        var rollbackId = Guid.NewGuid().ToString("N");
        var outcome = await store.UpdateAsync(releaseId, state =>
        {
            var result = step switch
            {
                Step.VoteGo => ReleaseDaySteps.Vote(state, actor, GoNoGoVote.Go, text, now),
                Step.VoteNoGo => ReleaseDaySteps.Vote(state, actor, GoNoGoVote.NoGo, text, now),
                Step.DecideGo => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.Go, text, now),
                Step.DecideOverride when string.IsNullOrWhiteSpace(text) => StepOutcome.Refused("Write the override reason in the comment field first: a GO against readiness is audited with its reason."),
                Step.DecideOverride => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.Go, text, now),
                Step.DecideNoGo => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.NoGo, text, now),
                Step.DeployStart => ReleaseDaySteps.StartDeployment(state, actor, text, now),
                Step.DeployOverride when string.IsNullOrWhiteSpace(text) => StepOutcome.Refused("Write why the deployment starts without a GO in the comment field first."),
                Step.DeployOverride => ReleaseDaySteps.StartDeployment(state, actor, text, now),
                Step.DeployDone => ReleaseDaySteps.FinishDeployment(state, actor, now),
                Step.RollbackRaise => ReleaseDaySteps.RaiseRollback(state, actor, text, rollbackId, now),
                Step.RollbackApprove => ReleaseDaySteps.ApproveRollback(state, actor, text, now),
                Step.RollbackOverride when string.IsNullOrWhiteSpace(text) => StepOutcome.Refused("Write the override reason first: approving a rollback alone is audited with its reason."),
                Step.RollbackOverride => ReleaseDaySteps.ApproveRollback(state, actor, text, now),
                Step.RollbackRestored => ReleaseDaySteps.Restore(state, actor, now),
                Step.Close => ReleaseDaySteps.Close(state, actor, text, now),
                _ => StepOutcome.Refused("Unknown step."),
            };
            return new Decision<StepOutcome>(state.IsDuplicate ? ReleaseWrite.Nothing : result.Write, state.IsDuplicate ? result with { Applied = false, Message = "" } : result);
        }, turn.Activity.Id, cancellationToken);

        var fresh = await store.GetAsync(releaseId, cancellationToken) ?? throw new ReleaseNotFoundException(releaseId);
        if (!outcome.Applied)
        {
            return new Result(fresh, false, outcome.Message.Length == 0 ? null : outcome.Message);
        }

        LogStep(logger, releaseId, step);
        fresh = await AfterAsync(turn, fresh, step, cancellationToken);
        return new Result(fresh, true, outcome.Message);
    }

    /// <summary>What follows a committed step: cards updated for everyone, announcements, the retrospective, the report.</summary>
    private async Task<ReleaseState> AfterAsync(TurnContext turn, ReleaseState state, Step step, CancellationToken cancellationToken)
    {
        var release = state.Release;
        switch (step)
        {
            case Step.DeployStart or Step.DeployOverride:
                await AnnounceAsync(turn, state, AnnouncementKind.Deployment, cancellationToken);
                break;
            case Step.DeployDone:
                await AnnounceAsync(turn, state, AnnouncementKind.Release, cancellationToken);
                break;
            case Step.RollbackRaise when Last(release.Rollbacks) is { } raised:
                state = await RaisedAsync(turn, state, raised, cancellationToken);
                break;
            case Step.RollbackApprove or Step.RollbackOverride when Last(release.Rollbacks) is { IsApproved: true } approved:
                state = await ApprovedAsync(turn, state, approved, cancellationToken);
                break;
            case Step.Close:
                await ClosedAsync(turn, state, cancellationToken);
                break;
        }

        release = state.Release;
        // Everyone's cards (summary, go/no-go, rollback) follow from the card-updates queue; the caller answers now.
        var rollbackStep = step is Step.RollbackApprove or Step.RollbackOverride or Step.RollbackRestored;
        await cardUpdates.RequestAsync(
            new CardUpdateRequest(release.Id, release.Channel.TenantId, rollbackStep && ItemBehaviours.RollbackPhase(state) is { } phase ? [phase] : [], GoNoGo: true, RollbackDecision: rollbackStep),
            cancellationToken);

        return state;
    }

    private async Task<ReleaseState> PostGoNoGoAsync(ReleaseState state, CancellationToken cancellationToken)
    {
        if (state.Release.Thread is not { } thread)
        {
            return state;
        }

        var id = await publisher.PostAsync(thread, ReleaseDayCards.GoNoGo(state), $"Go/no-go {state.Release.Version}", cancellationToken);
        await store.UpdateAsync(state.Release.Id, s => new Decision<bool>(
            new ReleaseWrite(s.Release with { GoNoGo = (s.Release.GoNoGo ?? GoNoGo.Empty) with { CardActivityId = id } }, [], []), true), null, cancellationToken);
        return await store.GetAsync(state.Release.Id, cancellationToken) ?? state;
    }

    private async Task<ReleaseState> RaisedAsync(TurnContext turn, ReleaseState state, RollbackEvent rollback, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var mentioned = new[] { ReleaseRole.ReleaseManager, ReleaseRole.ProductManager, ReleaseRole.EngineeringLead }.SelectMany(r => release.Roles[r]).DistinctBy(p => p.Id).ToList();
        var notice = Activity.CreateCardMessage(ReleaseDayCards.IncidentNotice(release, rollback), $"Rollback of {release.Version} raised");
        notice.TextFormat = TextFormatTypes.Markdown;
        notice.Text = $"🚨 Rollback of {release.Version} raised by {rollback.RaisedBy.Name}: " + string.Join(" ", mentioned.Select(p => notice.AddMentionEntity(new ChannelAccount(p.Id, p.Name))));
        await publisher.PostInThreadAsync(turn, release, notice, cancellationToken);
        if (release.Thread is not { } thread)
        {
            return state;
        }

        var id = await publisher.PostAsync(thread, ReleaseDayCards.RollbackDecision(state, rollback), $"Rollback decision {release.Version}", cancellationToken);
        await store.UpdateAsync(release.Id, s => new Decision<bool>(
            new ReleaseWrite(s.Release with { Rollbacks = s.Release.Rollbacks.Select(r => r.Id == rollback.Id ? r with { CardActivityId = id } : r).ToList() }, [], []), true), null, cancellationToken);
        return await store.GetAsync(release.Id, cancellationToken) ?? state;
    }

    private async Task<ReleaseState> ApprovedAsync(TurnContext turn, ReleaseState state, RollbackEvent rollback, CancellationToken cancellationToken)
    {
        var release = state.Release;
        if (release.Thread is { } thread && ItemBehaviours.RollbackPhase(state) is { } phase && !thread.PhaseCardActivityIds.ContainsKey(phase))
        {
            var id = await publisher.PostAsync(thread, cards.Phase(state, phase, null), $"Rollback checklist {release.Version}", cancellationToken);
            await store.UpdateAsync(release.Id, s => new Decision<bool>(
                new ReleaseWrite(s.Release with { Thread = s.Release.Thread!.WithPhaseCard(phase, id) }, [], []), true), null, cancellationToken);
            state = await store.GetAsync(release.Id, cancellationToken) ?? state;
        }

        await AnnounceAsync(turn, state, AnnouncementKind.Rollback, cancellationToken);
        var audit = await store.GetAuditAsync(release.Id, cancellationToken);
        await retrospective.RequestAsync(state, audit, release.Deployment?.Duration, cancellationToken);
        LogRollback(logger, release.Id, rollback.Id);
        return state;
    }

    private async Task ClosedAsync(TurnContext turn, ReleaseState state, CancellationToken cancellationToken)
    {
        var release = state.Release;
        var audit = await store.GetAuditAsync(release.Id, cancellationToken);
        await store.SaveReportAsync(release.Id, ReleaseReportFormat.Markdown, ReleaseReport.Markdown(state, audit), cancellationToken);
        await store.SaveReportAsync(release.Id, ReleaseReportFormat.Csv, ReleaseReport.Csv(state, audit), cancellationToken);
        var downloads = $"/api/releases/{release.Id}/report.md and /api/releases/{release.Id}/report.csv";
        await publisher.PostInThreadAsync(turn, release, Activity.CreateCardMessage(ReleaseDayCards.Report(state, turn.Actor, downloads), $"Release {release.Version} closed"), cancellationToken);
    }

    private async Task AnnounceAsync(TurnContext turn, ReleaseState state, AnnouncementKind kind, CancellationToken cancellationToken)
    {
        var result = await announcements.EnqueueAsync(state, kind, turn.Actor, turn.IsChannel, cancellationToken);
        LogAnnouncement(logger, state.Release.Id, kind, result.Outcome);
        // A refused automatic announcement is said in the conversation, so the Release Manager knows stakeholders heard nothing.
        if (result.Outcome is AnnouncementOutcome.DailyLimitReached or AnnouncementOutcome.NotFromTeamChannel
            || (result.Outcome == AnnouncementOutcome.NoStakeholders && result.Preview.LeftOut.Count > 0))
        {
            await publisher.ReplyTextAsync(turn, result.Message, cancellationToken);
        }
    }

    private static RollbackEvent? Last(IReadOnlyList<RollbackEvent> rollbacks) => rollbacks.Count == 0 ? null : rollbacks[^1];

    private enum Step
    {
        Unknown,
        ShowGoNoGo,
        VoteGo,
        VoteNoGo,
        DecideGo,
        DecideNoGo,
        DecideOverride,
        DeployStart,
        DeployOverride,
        DeployDone,
        RollbackRaise,
        RollbackApprove,
        RollbackOverride,
        RollbackRestored,
        Close,
    }

    private sealed record Result(ReleaseState State, bool Applied, string? Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {ReleaseId}: release-day step {Step}")]
    private static partial void LogStep(ILogger logger, string releaseId, Step step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {ReleaseId}: {Kind} announcement {Outcome}")]
    private static partial void LogAnnouncement(ILogger logger, string releaseId, AnnouncementKind kind, AnnouncementOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release {ReleaseId}: rollback {RollbackId} approved, rollback phase started")]
    private static partial void LogRollback(ILogger logger, string releaseId, string rollbackId);
}
