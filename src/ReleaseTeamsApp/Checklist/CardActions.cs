using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;
using ReleaseTeamsApp.Storage;
using ReleaseTeamsApp.Teams;

namespace ReleaseTeamsApp.Checklist;

/// <summary>
/// Handles the actions on release cards: Universal Actions (adaptiveCard/action invokes, answered with the refreshed
/// card for the person who clicked) and legacy Action.Submit messages (answered by updating the posted card).
/// </summary>
public sealed partial class CardActions(IReleaseStore store, ReleaseThreadPublisher publisher, ReleaseCards cards, BotRouter router, CardUpdates cardUpdates, ItemBehaviours behaviours, TimeProvider time, ILogger<CardActions> logger)
{
    public async Task<AdaptiveCardInvokeResponse> HandleInvokeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        CardActionData? data;
        try
        {
            var value = turn.Activity.GetValue<AdaptiveCardInvokeValue>();
            data = Read(value?.Action?.Data) is { } read ? read with { Verb = value?.Action?.Verb ?? read.Verb } : null;
        }
        catch (JsonException)
        {
            data = null;
        }

        if (data?.Verb is not { Length: > 0 } || data.Release is not { Length: > 0 })
        {
            return AdaptiveCardInvokeResponse.BadRequest("This card action is incomplete (no release or action). Say \"status\" to get a fresh card.");
        }

        return (await HandleAsync(turn, data, cancellationToken)).Response;
    }

    /// <summary>Action.Submit from older clients: same actions; the answer is the updated card in the channel, or a reply when refused.</summary>
    public async Task HandleSubmitAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        CardActionData? data;
        try
        {
            data = Read(turn.Activity.Value);
        }
        catch (JsonException)
        {
            data = null;
        }

        if (data?.Verb is not { Length: > 0 } || data.Release is not { Length: > 0 })
        {
            await publisher.ReplyAsync(turn.ServiceUrl, turn.ConversationId, turn.Activity.Id, Activity.CreateMessage("That card action was incomplete. Say **status** to get a fresh card."), cancellationToken);
            return;
        }

        var (response, change) = await HandleAsync(turn, data, cancellationToken);
        // An item change says itself whether it was refused; the release-day verbs answer with their own card and its notice.
        var text = response.Type == ContentTypes.Error ? MessageOf(response)
            : change is not null ? (change.Kind == ChangeKind.Refused ? change.Message : null)
            : response.Value is JsonObject card ? NoticeOf(card) : null;
        if (text is not null)
        {
            var reply = Activity.CreateMessage(null, TextFormatTypes.Markdown);
            reply.Text = $"{reply.AddMentionEntity(new ChannelAccount(turn.Actor.Id, turn.Actor.Name))} {text}";
            await publisher.ReplyAsync(turn.ServiceUrl, turn.ConversationId, turn.Activity.ReplyToId, reply, cancellationToken);
        }
    }

    /// <returns>The answer, and for item verbs the change it made (or refused).</returns>
    private async Task<(AdaptiveCardInvokeResponse Response, ReleaseChange? Change)> HandleAsync(TurnContext turn, CardActionData data, CancellationToken cancellationToken)
    {
        // The release id in action.data is whatever the client sent: every verb acts only on a release of the
        // tenant, team and channel the invoke came from. Item verbs check it on the state their update reads anyway,
        // so a tick costs one read and one transaction.
        var owner = router.OwnerOf(data.Verb);
        if (owner is not (null or ChecklistVerbs) || data.Verb is ReleaseCards.VerbRefreshPhase or ReleaseCards.VerbRefreshSummary)
        {
            var bound = await store.GetAsync(data.Release!, cancellationToken);
            if (bound is not null && !IsIn(bound.Release.Channel, turn.Channel))
            {
                LogOutsideChannel(logger, bound.Release.Id, data.Verb!, turn.Channel.TeamId, turn.Channel.ChannelId);
                return (NotInThisChannel, null);
            }

            if (owner is not (null or ChecklistVerbs))
            {
                return (await owner.HandleVerbAsync(turn, data, cancellationToken), null);
            }

            return (bound is not null
                ? AdaptiveCardInvokeResponse.Card(ViewFor(bound, data, turn.Actor, null))
                : Gone(data.Release!), null);
        }

        if (owner is not ChecklistVerbs || !ChecklistVerbs.TryGetAction(data.Verb!, out var action))
        {
            return (AdaptiveCardInvokeResponse.BadRequest($"This card asks for \"{data.Verb}\", which this version of the app does not know. Say \"status\" to get a fresh card."), null);
        }

        if (data.Item is not { Length: > 0 } itemId)
        {
            return (AdaptiveCardInvokeResponse.BadRequest("Choose the item first."), null);
        }

        var asked = new ItemChange(itemId, action, turn.Actor, data.Note, data.Evidence);
        var now = time.GetUtcNow();
        ItemResult result;
        try
        {
            result = (await store.UpdateAsync(data.Release!, state =>
            {
                if (!IsIn(state.Release.Channel, turn.Channel))
                {
                    return ReleaseChange.Unchanged("").Returning(ItemResult.Outside);
                }

                if (ItemDecision.Decide(state, asked, now, behaviours) is not { } decided)
                {
                    return ReleaseChange.Unchanged("").Returning(ItemResult.NoSuchItem);
                }

                return decided.Change.Returning(new ItemResult(decided.Change, state.With(decided.Change), decided.RollbackDecisionChanged));
            }, turn.Activity.Id, cancellationToken)).Result;
        }
        catch (ReleaseNotFoundException)
        {
            return (Gone(data.Release!), null);
        }

        if (result.IsOutside)
        {
            LogOutsideChannel(logger, data.Release!, data.Verb!, turn.Channel.TeamId, turn.Channel.ChannelId);
            return (NotInThisChannel, null);
        }

        if (result.Change is not { } changed || result.State is not { } fresh)
        {
            return (AdaptiveCardInvokeResponse.BadRequest($"The item \"{itemId}\" is not on this release's checklist. Say \"status\" to get a fresh card."), null);
        }

        var phase = fresh.Item(itemId)?.PhaseId;
        switch (changed.Kind)
        {
            case ChangeKind.Applied:
                LogItemChanged(logger, fresh.Release.Id, itemId, changed.Audit[0].Action);
                // The person gets the refreshed card in the answer; everyone else's cards follow from the queue, so Teams
                // is answered in time even when the connector is slow or throttled. A tick that closed the rollback also
                // updates its decision card (the restore time).
                await cardUpdates.RequestAsync(
                    new CardUpdateRequest(fresh.Release.Id, fresh.Release.Channel.TenantId, [phase!], RollbackDecision: result.RollbackDecisionChanged),
                    cancellationToken);
                break;
            case ChangeKind.Refused:
                LogRefused(logger, fresh.Release.Id, itemId);
                break;
        }

        var notice = ChangeNotices.Of(changed);
        return (AdaptiveCardInvokeResponse.Card(ViewFor(fresh, data with { Phase = data.Phase ?? phase }, turn.Actor, notice)), changed);
    }

    private sealed record ItemResult(ReleaseChange? Change, ReleaseState? State, bool RollbackDecisionChanged, bool IsOutside = false)
    {
        public static ItemResult Outside { get; } = new(null, null, false, IsOutside: true);

        public static ItemResult NoSuchItem { get; } = new(null, null, false);
    }

    /// <summary>The card the person clicked, rebuilt for them: their phase view, the summary, or their item list.</summary>
    private JsonObject ViewFor(ReleaseState state, CardActionData data, Person viewer, CardNotice? notice)
    {
        if (data.View == "my-items")
        {
            return cards.MyItems(viewer, [state], notice);
        }

        if (data.Verb == ReleaseCards.VerbRefreshSummary || data.Phase is null)
        {
            return cards.Summary(state);
        }

        return cards.Phase(state, data.Phase, viewer, notice);
    }

    internal const string NotInThisChannelMessage = "This release isn't in this channel. Use the cards in the release's own channel, or say \"releases\" to see the releases here.";

    private static AdaptiveCardInvokeResponse NotInThisChannel { get; } = AdaptiveCardInvokeResponse.Error(403, "NotInThisChannel", NotInThisChannelMessage);

    private static bool IsIn(ChannelKey release, ChannelKey invoke) =>
        string.Equals(release.TenantId, invoke.TenantId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(release.TeamId, invoke.TeamId, StringComparison.Ordinal)
        && string.Equals(release.ChannelId, invoke.ChannelId, StringComparison.Ordinal);

    private static AdaptiveCardInvokeResponse Gone(string releaseId) =>
        AdaptiveCardInvokeResponse.Error(404, "NotFound", $"This release ({releaseId}) no longer exists. Say \"releases\" to see the releases of this channel.");

    private static CardActionData? Read(object? value) => value is null ? null : BotJson.ConvertTo<CardActionData>(value);

    private static string? NoticeOf(JsonObject card) =>
        card["body"] is JsonArray body && body.OfType<JsonObject>().FirstOrDefault(b => b["type"]?.GetValue<string>() == "Container" && b["style"]?.GetValue<string>() == "attention") is { } container
            ? container["items"]?[0]?["text"]?.GetValue<string>()
            : null;

    private static string MessageOf(AdaptiveCardInvokeResponse response) =>
        response.Value is InvokeError error ? error.Message : response.Value?.ToString() ?? "That action failed.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {ReleaseId}: item {ItemId} {Action}")]
    private static partial void LogItemChanged(ILogger logger, string releaseId, string itemId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release {ReleaseId}: {Verb} refused, the invoke came from team {TeamId} channel {ChannelId}")]
    private static partial void LogOutsideChannel(ILogger logger, string releaseId, string verb, string teamId, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {ReleaseId}: change of item {ItemId} refused")]
    private static partial void LogRefused(ILogger logger, string releaseId, string itemId);
}
