using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Announcements;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Closing;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.ReleaseDay;

/// <summary>
/// The release day in the channel: go/no-go (votes, decision, readiness), deployment start/finish, rollback
/// (incident, two approvals, rollback checklist, retrospective) and closing with the report. Commands and card verbs;
/// each runs one operation (ReleaseDaySteps, ReleaseClosing) as one change, then what follows it (ReleaseDayThread).
/// </summary>
internal sealed class ReleaseDayFlow(
    IReleaseStore store,
    ReleaseThreadPublisher publisher,
    ReleaseCards cards,
    ReleaseDayThread thread,
    ReleaseClosing closing,
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
            return new Result(await thread.PostGoNoGoAsync(current, cancellationToken), false, $"Go/no-go card for {current.Release.Version} posted in the release thread.");
        }

        ReleaseChange change;
        ReleaseState state;
        if (step == Step.Close)
        {
            (change, state) = await closing.CloseAsync(releaseId, new Closer.Manager(actor, text), turn, turn.Activity.Id, cancellationToken);
        }
        else
        {
            var now = time.GetUtcNow();
            var rollbackId = Guid.NewGuid().ToString("N");
            (change, state) = await store.ChangeAsync(releaseId, s => s.IsDuplicate ? ReleaseChange.Unchanged("") : Decide(s, step, actor, text, rollbackId, now), turn.Activity.Id, cancellationToken);
        }

        if (!change.Applied)
        {
            return new Result(state, false, change.Message.Length == 0 ? null : change.Message);
        }

        ReleaseDayLog.Step(logger, releaseId, step);
        state = await AfterAsync(turn, state, step, cancellationToken);
        return new Result(state, true, change.Message);
    }

    private static ReleaseChange Decide(ReleaseState state, Step step, Person actor, string? text, string rollbackId, DateTimeOffset now) => step switch
    {
        Step.VoteGo => ReleaseDaySteps.Vote(state, actor, GoNoGoVote.Go, text, now),
        Step.VoteNoGo => ReleaseDaySteps.Vote(state, actor, GoNoGoVote.NoGo, text, now),
        Step.DecideGo => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.Go, text, now),
        Step.DecideOverride when string.IsNullOrWhiteSpace(text) => ReleaseChange.Refused("Write the override reason in the comment field first: a GO against readiness is audited with its reason."),
        Step.DecideOverride => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.Go, text, now),
        Step.DecideNoGo => ReleaseDaySteps.Decide(state, actor, GoNoGoVote.NoGo, text, now),
        Step.DeployStart => ReleaseDaySteps.StartDeployment(state, actor, text, now),
        Step.DeployOverride when string.IsNullOrWhiteSpace(text) => ReleaseChange.Refused("Write why the deployment starts without a GO in the comment field first."),
        Step.DeployOverride => ReleaseDaySteps.StartDeployment(state, actor, text, now),
        Step.DeployDone => ReleaseDaySteps.FinishDeployment(state, actor, now),
        Step.RollbackRaise => ReleaseDaySteps.RaiseRollback(state, actor, text, rollbackId, now),
        Step.RollbackApprove => ReleaseDaySteps.ApproveRollback(state, actor, text, now),
        Step.RollbackOverride when string.IsNullOrWhiteSpace(text) => ReleaseChange.Refused("Write the override reason first: approving a rollback alone is audited with its reason."),
        Step.RollbackOverride => ReleaseDaySteps.ApproveRollback(state, actor, text, now),
        Step.RollbackRestored => ReleaseDaySteps.Restore(state, actor, now),
        _ => ReleaseChange.Refused("This button is from a card the app no longer knows; say **status** for fresh cards."),
    };

    /// <summary>What follows a committed step: announcements, the rollback cards and retrospective, and everyone's cards.</summary>
    private async Task<ReleaseState> AfterAsync(TurnContext turn, ReleaseState state, Step step, CancellationToken cancellationToken)
    {
        var release = state.Release;
        switch (step)
        {
            case Step.DeployStart or Step.DeployOverride:
                await thread.AnnounceAsync(turn, state, AnnouncementKind.Deployment, cancellationToken);
                break;
            case Step.DeployDone:
                await thread.AnnounceAsync(turn, state, AnnouncementKind.Release, cancellationToken);
                break;
            case Step.RollbackRaise when Last(release.Rollbacks) is { } raised:
                state = await thread.RaisedAsync(turn, state, raised, cancellationToken);
                break;
            case Step.RollbackApprove or Step.RollbackOverride when Last(release.Rollbacks) is { IsApproved: true } approved:
                state = await thread.ApprovedAsync(turn, state, approved, cancellationToken);
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

    private static RollbackEvent? Last(IReadOnlyList<RollbackEvent> rollbacks) => rollbacks.Count == 0 ? null : rollbacks[^1];

    internal enum Step
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
}
