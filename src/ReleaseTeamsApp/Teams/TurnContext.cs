using ReleaseTeamsApp.BotProtocol;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Teams;

/// <summary>One incoming activity with what the bot derives from it: who, which channel, where to answer.</summary>
public sealed record TurnContext(Activity Activity, Person Actor, ChannelKey Channel, string ServiceUrl, string ConversationId, bool IsChannel)
{
    public static TurnContext? From(Activity activity)
    {
        if (activity.From?.Id is not { Length: > 0 } fromId || activity.ServiceUrl is not { Length: > 0 } serviceUrl || activity.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return null;
        }

        var channelData = activity.GetTeamsChannelData();
        var tenant = channelData?.Tenant?.Id ?? activity.Conversation.TenantId ?? "";
        var channelId = channelData?.Channel?.Id;
        var baseConversation = conversationId.Split(";messageid=", 2)[0];
        var channel = new ChannelKey(tenant, channelData?.Team?.Id ?? baseConversation, channelId ?? baseConversation);
        // A display name is shown on cards and kept on the release: clipped, never refused.
        var actor = new Person(fromId, TextLimits.ClipName(activity.From.Name ?? fromId), activity.From.AadObjectId);
        return new TurnContext(activity, actor, channel, serviceUrl, conversationId, channelId is not null);
    }

    /// <summary>The root message id when the activity came from a reply thread ("19:…;messageid=123").</summary>
    public string? ThreadRootId => ConversationId.Split(";messageid=", 2) is [_, var id] ? id : null;
}

/// <summary>What the HTTP endpoint answers: 200 for messages, the invoke response for invokes.</summary>
public sealed record BotTurnResult(int Status, object? Body)
{
    public static BotTurnResult Ok { get; } = new(200, null);

    public static BotTurnResult Invoke(AdaptiveCardInvokeResponse response) => new(200, response);
}
