using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Cards;
using ReleaseTeamsApp.Checklist;
using ReleaseTeamsApp.Planning;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Bot;

/// <summary>
/// The release bot's dispatcher: an installation is remembered and welcomed, a message goes to the operation the router
/// reads from it, a card action to the operation that owns its verb (release cards through <see cref="CardActions"/>).
/// </summary>
public sealed class ReleaseBot(
    BotRouter router,
    CardActions cardActions,
    ChannelRegistry channels,
    ReleaseThreadPublisher publisher,
    TimeProvider time,
    ILogger<ReleaseBot> logger)
{
    public async Task<BotTurnResult> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
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
            BotLog.TooLarge(logger, ex.Version);
            if (activity.Type == ActivityTypes.Invoke)
            {
                return BotTurnResult.Invoke(AdaptiveCardInvokeResponse.BadRequest(ex.Message));
            }

            await publisher.ReplyTextAsync(turn, ex.Message, cancellationToken);
            return BotTurnResult.Ok;
        }
    }

    private async Task<BotTurnResult> HandleTurnAsync(TurnContext turn, Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return BotTurnResult.Invoke(Shown(await router.InvokeWithoutReleaseAsync(turn, cancellationToken) ?? await cardActions.HandleInvokeAsync(turn, cancellationToken)));
            case ActivityTypes.Invoke:
                return new BotTurnResult(501, null);
            case ActivityTypes.Message when IsCardSubmit(activity):
                if (!await router.SubmitWithoutReleaseAsync(turn, cancellationToken))
                {
                    await cardActions.HandleSubmitAsync(turn, cancellationToken);
                }

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

    /// <summary>An Action.Submit from a client without Universal Actions: a message with the card's data and no text.</summary>
    private static bool IsCardSubmit(Activity activity) => activity.Value is not null && string.IsNullOrWhiteSpace(activity.Text);

    /// <summary>An error or message shown to the person who clicked quotes what the card sent (verb, item) as text, never as markup.</summary>
    private static AdaptiveCardInvokeResponse Shown(AdaptiveCardInvokeResponse response) => response.Value switch
    {
        InvokeError error => response with { Value = error with { Message = TeamsText.NeutralizeTags(error.Message) } },
        string message => response with { Value = TeamsText.NeutralizeTags(message) },
        _ => response,
    };

    private async Task HandleCommandAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var botId = turn.Activity.Recipient?.Id;
        var mentions = turn.Activity.GetMentions()
            .Where(m => m.Mentioned?.Id is { } id && id != botId)
            .Select(m => new Person(m.Mentioned!.Id!, TextLimits.ClipName(m.Mentioned.Name ?? m.Mentioned.Id!), m.Mentioned.AadObjectId))
            .ToList();
        var (operation, command) = router.Parse(turn.Activity.RemoveRecipientMention(), mentions);
        BotLog.Command(logger, operation?.GetType().Name ?? "unknown", command.GetType().Name, turn.Channel.TeamId);
        await router.RunAsync(turn, operation, command, cancellationToken);
    }

    private async Task InstalledAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var channelData = turn.Activity.GetTeamsChannelData();
        await channels.RememberAsync(turn.Channel, turn.ServiceUrl, turn.ConversationId, channelData?.Team?.Name, turn.Activity.Recipient?.Id, turn.Activity.Recipient?.Name, turn.Actor.AadObjectId, time.GetUtcNow(), cancellationToken);
        BotLog.Installed(logger, turn.Channel.TenantId, turn.Channel.TeamId, turn.Channel.ChannelId);
        if (!await channels.ClaimWelcomeAsync(turn.Channel.TenantId, turn.ConversationId, turn.Activity.Id ?? "", time.GetUtcNow(), cancellationToken))
        {
            BotLog.AlreadyWelcomed(logger, turn.Channel.TenantId, turn.ConversationId);
            return;
        }

        try
        {
            var botName = turn.Activity.Recipient?.Name ?? AppManifest.ShortName;
            await publisher.ReplyAsync(turn, Activity.CreateCardMessage(StartCards.Welcome(AppManifest.ShortName, botName), $"{AppManifest.ShortName} is here"), cancellationToken);
        }
        catch
        {
            // Nobody saw a welcome: give the claim back so the installation's other event (or a retry) can post it.
            await channels.ReleaseWelcomeAsync(turn.Channel.TenantId, turn.ConversationId, CancellationToken.None);
            throw;
        }
    }
}
