using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Graph;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Bot;

/// <summary>The release bot: installation events, channel commands, and the actions on its cards.</summary>
public sealed partial class ReleaseBot(
    IReleaseStore store,
    ChannelRegistry channels,
    ReleaseThreadPublisher publisher,
    ReleaseCards cards,
    CardActions cardActions,
    ReleaseFlowCommands flow,
    PeopleDirectory people,
    TeamRoster roster,
    ReleaseCreation creation,
    StartActions start,
    TimeProvider time,
    ILogger<ReleaseBot> logger)
{
    public async Task<BotTurnResult> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (TurnContext.From(activity) is not { } turn)
        {
            return activity.Type == ActivityTypes.Invoke
                ? BotTurnResult.Invoke(AdaptiveCardInvokeResponse.BadRequest("The request is missing who sent it or where it came from."))
                : new BotTurnResult(400, null);
        }

        // What this turn sends (replies, card updates) is interactive traffic of the caller's tenant.
        using var traffic = ConnectorTraffic.Begin(turn.Channel.TenantId, SendPriority.Interactive);
        try
        {
            return await HandleTurnAsync(turn, activity, cancellationToken);
        }
        catch (ReleaseTooLargeException ex)
        {
            LogTooLarge(logger, ex.Version);
            if (activity.Type == ActivityTypes.Invoke)
            {
                return BotTurnResult.Invoke(AdaptiveCardInvokeResponse.BadRequest(ex.Message));
            }

            await ReplyTextAsync(turn, ex.Message, cancellationToken);
            return BotTurnResult.Ok;
        }
    }

    private async Task<BotTurnResult> HandleTurnAsync(TurnContext turn, Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction && StartActions.VerbOf(activity) is { } verb && StartActions.Handles(verb):
                return BotTurnResult.Invoke(Shown(await start.HandleInvokeAsync(turn, verb, cancellationToken)));
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return BotTurnResult.Invoke(Shown(await cardActions.HandleInvokeAsync(turn, cancellationToken)));
            case ActivityTypes.Invoke:
                return new BotTurnResult(501, null);
            case ActivityTypes.Message when activity.Value is not null && string.IsNullOrWhiteSpace(activity.Text) && StartActions.VerbOf(activity) is { } verb && StartActions.Handles(verb):
                await start.HandleSubmitAsync(turn, verb, cancellationToken);
                return BotTurnResult.Ok;
            case ActivityTypes.Message when activity.Value is not null && string.IsNullOrWhiteSpace(activity.Text):
                await cardActions.HandleSubmitAsync(turn, cancellationToken);
                return BotTurnResult.Ok;
            case ActivityTypes.Message:
                await HandleCommandAsync(turn, cancellationToken);
                return BotTurnResult.Ok;
            case ActivityTypes.ConversationUpdate when activity.MembersAddedIncludesBot():
            case ActivityTypes.InstallationUpdate when activity.Action is "add" or "add-upgrade":
                await InstalledAsync(turn, cancellationToken);
                return BotTurnResult.Ok;
            case ActivityTypes.InstallationUpdate when activity.Action is "remove" or "remove-upgrade":
            case ActivityTypes.ConversationUpdate when activity.MembersRemovedIncludesBot():
                await channels.ForgetAsync(turn.Channel.TenantId, turn.ConversationId, cancellationToken);
                await channels.ReleaseWelcomeAsync(turn.Channel.TenantId, turn.ConversationId, cancellationToken);
                return BotTurnResult.Ok;
            default:
                return BotTurnResult.Ok;
        }
    }

    /// <summary>An error or message shown to the person who clicked quotes what the card sent (verb, item) as text, never as markup.</summary>
    private static AdaptiveCardInvokeResponse Shown(AdaptiveCardInvokeResponse response) => response.Value switch
    {
        InvokeError error => response with { Value = error with { Message = TeamsText.NeutralizeTags(error.Message) } },
        string message => response with { Value = TeamsText.NeutralizeTags(message) },
        _ => response,
    };

    private async Task InstalledAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var channelData = turn.Activity.GetTeamsChannelData();
        await channels.RememberAsync(turn.Channel, turn.ServiceUrl, turn.ConversationId, channelData?.Team?.Name, turn.Activity.Recipient?.Id, turn.Activity.Recipient?.Name, turn.Actor.AadObjectId, time.GetUtcNow(), cancellationToken);
        LogInstalled(logger, turn.Channel.TenantId, turn.Channel.TeamId, turn.Channel.ChannelId);
        if (!await channels.ClaimWelcomeAsync(turn.Channel.TenantId, turn.ConversationId, turn.Activity.Id ?? "", time.GetUtcNow(), cancellationToken))
        {
            LogAlreadyWelcomed(logger, turn.Channel.TenantId, turn.ConversationId);
            return;
        }

        try
        {
            await PostWelcomeAsync(turn, cancellationToken);
        }
        catch
        {
            // Nobody saw a welcome: give the claim back so the installation's other event (or a retry) can post it.
            await channels.ReleaseWelcomeAsync(turn.Channel.TenantId, turn.ConversationId, CancellationToken.None);
            throw;
        }
    }

    private async Task PostWelcomeAsync(TurnContext turn, CancellationToken cancellationToken) =>
        await ReplyAsync(turn, Activity.CreateCardMessage(StartCards.Welcome(AppManifest.ShortName, turn.Activity.Recipient?.Name ?? AppManifest.ShortName), $"{AppManifest.ShortName} is here"), cancellationToken);

    private async Task HandleCommandAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var botId = turn.Activity.Recipient?.Id;
        var mentions = turn.Activity.GetMentions()
            .Where(m => m.Mentioned?.Id is { } id && id != botId)
            .Select(m => new Person(m.Mentioned!.Id!, TextLimits.ClipName(m.Mentioned.Name ?? m.Mentioned.Id!), m.Mentioned.AadObjectId))
            .ToList();
        var command = BotCommandParser.Parse(turn.Activity.RemoveRecipientMention(), mentions);
        LogCommand(logger, command.GetType().Name, turn.Channel.TeamId);
        switch (command)
        {
            case BotCommand.Help:
                await ReplyAsync(turn, Activity.CreateCardMessage(StartCards.Help(AppManifest.ShortName, BotCommandParser.Commands), "What I can do"), cancellationToken);
                break;
            case BotCommand.Invalid invalid:
                await ReplyTextAsync(turn, $"{invalid.Problem}\n\nTry: **{invalid.Usage}**", cancellationToken);
                break;
            case BotCommand.NewRelease create:
                if (await creation.CreateAsync(turn, create, cancellationToken) is { Error: { } refused })
                {
                    await ReplyTextAsync(turn, refused, cancellationToken);
                }

                break;
            case BotCommand.ListReleases:
                await ListReleasesAsync(turn, cancellationToken);
                break;
            case BotCommand.ListTemplates:
                await ReplyTextAsync(turn, await creation.TemplateListTextAsync(turn, cancellationToken), cancellationToken);
                break;
            case BotCommand.Status status:
                if (await ResolveAsync(turn, status.Version, cancellationToken) is { } state)
                {
                    await ReplyAsync(turn, Activity.CreateCardMessage(cards.Summary(state), $"Release {state.Release.Version}"), cancellationToken);
                }

                break;
            case BotCommand.MyItems:
                await MyItemsAsync(turn, cancellationToken);
                break;
            case BotCommand.Assign assign:
                await AssignAsync(turn, assign, cancellationToken);
                break;
            case BotCommand.MoveRelease move:
                await MoveAsync(turn, move, cancellationToken);
                break;
            case BotCommand.Flow step:
                if (await flow.HandleWithoutReleaseAsync(turn, step, cancellationToken))
                {
                    break;
                }

                if (await ResolveAsync(turn, step.Version, cancellationToken) is { } target)
                {
                    await flow.HandleAsync(turn, step, target, cancellationToken);
                }

                break;
        }
    }

    private async Task ListReleasesAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var summaries = (await store.ListAsync(turn.Channel.TenantId, turn.Channel.TeamId, cancellationToken)).Where(s => s.ChannelId == turn.Channel.ChannelId).ToList();
        if (summaries.Count == 0)
        {
            await ReplyTextAsync(turn, $"No releases in this channel yet. Start one with: **{BotCommandParser.NewReleaseUsage}**", cancellationToken);
            return;
        }

        var text = new StringBuilder("Releases in this channel:\n\n");
        foreach (var summary in summaries)
        {
            if (await store.GetAsync(summary.ReleaseId, cancellationToken) is { } state)
            {
                var settled = state.Items.Count(i => i.IsSettled);
                text.Append(CultureInfo.InvariantCulture, $"- **{state.Release.Version}** · {state.Release.ReleaseDate:yyyy-MM-dd} · {state.Release.Status} · {settled}/{state.Items.Count} items settled\n");
            }
        }

        await ReplyTextAsync(turn, text.ToString(), cancellationToken);
    }

    private async Task MyItemsAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var states = await ActiveReleasesAsync(turn, cancellationToken);
        await ReplyAsync(turn, Activity.CreateCardMessage(cards.MyItems(turn.Actor, states), "Your open items"), cancellationToken);
    }

    private async Task AssignAsync(TurnContext turn, BotCommand.Assign command, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(turn, command.Version, cancellationToken) is not { } target)
        {
            return;
        }

        var person = command.Person is { } mentioned ? await roster.CompleteAsync(turn, mentioned, cancellationToken) : null;
        if (person is null)
        {
            switch (await people.ResolveAsync(command.Email ?? "", cancellationToken))
            {
                case UnknownAddress unknown:
                    await ReplyTextAsync(turn, $"I can't assign {command.Role.DisplayName()} to {unknown.Address}: {unknown.Message}", cancellationToken);
                    return;
                case ResolvedPerson found:
                    // Teams user ids (29:…) are only learned from an activity; until then the Entra id stands in, prefixed so it never collides with one.
                    var known = target.Release.Roles.Everyone.Append(turn.Actor).FirstOrDefault(p => string.Equals(p.AadObjectId, found.Id, StringComparison.OrdinalIgnoreCase));
                    person = new Person(known?.Id ?? "aad:" + found.Id, found.DisplayName, found.Id, found.Mail ?? command.Email);
                    break;
                default:
                    return;
            }
        }

        var now = time.GetUtcNow();
        var result = await store.UpdateAsync(target.Release.Id, state =>
        {
            var release = state.Release;
            if (!release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
            {
                return new Decision<string>(ReleaseWrite.Nothing, $"Only the Release Manager of {release.Version} ({string.Join(", ", release.Roles[ReleaseRole.ReleaseManager].Select(p => p.Name))}) can assign roles.");
            }

            if (release.Roles.Holds(person, command.Role))
            {
                return new Decision<string>(ReleaseWrite.Nothing, $"{person.Name} already holds {command.Role.DisplayName()} on {release.Version}.");
            }

            var before = string.Join(", ", release.Roles[command.Role].Select(p => p.Name));
            var updated = release with { Roles = release.Roles.Add(command.Role, person) };
            var audit = new AuditEvent(release.Id, now, turn.Actor, AuditActions.RoleAssigned, Before: before, After: $"{command.Role.DisplayName()}: {string.Join(", ", updated.Roles[command.Role].Select(p => p.Name))}");
            return new Decision<string>(new ReleaseWrite(updated, [], [audit]), "");
        }, turn.Activity.Id, cancellationToken);

        if (result.Length > 0)
        {
            await ReplyTextAsync(turn, result, cancellationToken);
            return;
        }

        var fresh = await store.GetAsync(target.Release.Id, cancellationToken);
        if (fresh is not null)
        {
            await publisher.RefreshAsync(fresh, ReleaseCards.PhasesOf(fresh).Select(p => p.Id), cancellationToken);
            var owned = fresh.Items.Count(i => i.Owner == command.Role);
            var reply = Activity.CreateMessage(null, TextFormatTypes.Markdown);
            var at = reply.AddMentionEntity(new ChannelAccount(person.Id, person.Name));
            reply.Text = $"{at} is now {command.Role.DisplayName()} on release {fresh.Release.Version}: {owned} checklist items are yours. Your items are highlighted on the cards.";
            await ReplyInThreadAsync(turn, fresh.Release, reply, cancellationToken);
        }
    }

    private async Task MoveAsync(TurnContext turn, BotCommand.MoveRelease command, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(turn, command.Version, cancellationToken) is not { } target)
        {
            return;
        }

        var now = time.GetUtcNow();
        var outcome = await store.UpdateAsync(target.Release.Id, state =>
        {
            var release = state.Release;
            if (!release.Roles.Holds(turn.Actor, ReleaseRole.ReleaseManager))
            {
                return new Decision<MoveOutcome>(ReleaseWrite.Nothing, new MoveOutcome($"Only the Release Manager of {release.Version} can move it.", []));
            }

            if (release.ReleaseDate == command.Date)
            {
                return new Decision<MoveOutcome>(ReleaseWrite.Nothing, new MoveOutcome($"Release {release.Version} is already on {command.Date:yyyy-MM-dd}.", []));
            }

            var moved = release with { ReleaseDate = command.Date };
            var changes = ReleasePlanner.Replan(moved, state.Items);
            var audit = new AuditEvent(release.Id, now, turn.Actor, AuditActions.ReleaseMoved, Before: release.ReleaseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), After: command.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Note: $"{changes.Count} open items re-planned");
            return new Decision<MoveOutcome>(new ReleaseWrite(moved, changes.Select(c => c.Item).ToList(), [audit]), new MoveOutcome("", changes));
        }, turn.Activity.Id, cancellationToken);

        if (outcome.Error.Length > 0)
        {
            await ReplyTextAsync(turn, outcome.Error, cancellationToken);
            return;
        }

        if (await store.GetAsync(target.Release.Id, cancellationToken) is not { } fresh)
        {
            return;
        }

        await publisher.RefreshAsync(fresh, ReleaseCards.PhasesOf(fresh).Select(p => p.Id), cancellationToken);

        // Each affected owner is told once, with their moved items (bounded, so a 90-item move still fits one message).
        var reply = Activity.CreateMessage("", TextFormatTypes.Markdown);
        reply.Text = ReleaseMovedNotice.Text(
            $"Release {fresh.Release.Version} moved to {command.Date:ddd d MMM yyyy} by {turn.Actor.Name}. {outcome.Moved.Count} open items have new due times ({fresh.Release.TimeZoneId}).",
            outcome.Moved.Select(m => (m.Item, ReleaseCards.DueText(fresh.Release, m.Item, now))).ToList(),
            role => fresh.Release.Roles[role] is { Count: > 0 } holders
                ? string.Join(" ", holders.Select(h => reply.AddMentionEntity(new ChannelAccount(h.Id, h.Name))))
                : $"{role.DisplayName()} (unassigned)");
        await ReplyInThreadAsync(turn, fresh.Release, reply, cancellationToken);
    }

    /// <summary>
    /// Finds the release a command is about: the named version, else the release whose thread the command was sent in,
    /// else the only active release of the channel. Otherwise the person is told what to name.
    /// </summary>
    public async Task<ReleaseState?> ResolveAsync(TurnContext turn, string? version, CancellationToken cancellationToken)
    {
        if (version is not null)
        {
            var id = await store.FindIdAsync(turn.Channel, version, cancellationToken);
            if (id is not null && await store.GetAsync(id, cancellationToken) is { } named)
            {
                return named;
            }

            var known = await ActiveReleasesAsync(turn, cancellationToken);
            await ReplyTextAsync(turn, $"There is no release {ReleaseCards.Shorten(version, TextLimits.Version)} in this channel." + (known.Count > 0 ? $" Releases here: {string.Join(", ", known.Select(k => k.Release.Version))}." : ""), cancellationToken);
            return null;
        }

        var active = await ActiveReleasesAsync(turn, cancellationToken);
        if (active.FirstOrDefault(s => s.Release.Thread?.ConversationId == turn.ConversationId) is { } inThread)
        {
            return inThread;
        }

        switch (active.Count)
        {
            case 1:
                return active[0];
            case 0:
                await ReplyTextAsync(turn, $"There is no active release in this channel. Start one with: **{BotCommandParser.NewReleaseUsage}**", cancellationToken);
                return null;
            default:
                await ReplyTextAsync(turn, $"Which release? This channel has {string.Join(", ", active.Select(a => a.Release.Version))}. Add the version to the command, e.g. **{turn.Activity.RemoveRecipientMention().Trim()} {active[0].Release.Version}**.", cancellationToken);
                return null;
        }
    }

    private Task<IReadOnlyList<ReleaseState>> ActiveReleasesAsync(TurnContext turn, CancellationToken cancellationToken) =>
        store.ActiveInChannelAsync(turn.Channel, cancellationToken);

    private Task ReplyTextAsync(TurnContext turn, string text, CancellationToken cancellationToken) => publisher.ReplyTextAsync(turn, text, cancellationToken);

    private Task ReplyAsync(TurnContext turn, Activity reply, CancellationToken cancellationToken) => publisher.ReplyAsync(turn, reply, cancellationToken);

    private Task ReplyInThreadAsync(TurnContext turn, Release release, Activity reply, CancellationToken cancellationToken) => publisher.PostInThreadAsync(turn, release, reply, cancellationToken);

    private sealed record MoveOutcome(string Error, IReadOnlyList<DueTimeMoved> Moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release {Version} refused a change: its row would outgrow Table Storage's property limit")]
    private static partial void LogTooLarge(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed in tenant {TenantId}, team {TeamId}, channel {ChannelId}")]
    private static partial void LogInstalled(ILogger logger, string tenantId, string teamId, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation in tenant {TenantId}, conversation {ConversationId} was already welcomed")]
    private static partial void LogAlreadyWelcomed(ILogger logger, string tenantId, string conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Command} in team {TeamId}")]
    private static partial void LogCommand(ILogger logger, string command, string teamId);
}
