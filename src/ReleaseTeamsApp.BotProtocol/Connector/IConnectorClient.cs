namespace ReleaseTeamsApp.BotProtocol;

/// <summary>The Bot Connector REST API v3 (the SDK's <c>ConnectorClient.Conversations</c>).</summary>
/// <remarks>Every method throws <see cref="ConnectorException"/> when the connector answers with an error after retries.</remarks>
public interface IConnectorClient
{
    /// <summary>POST /v3/conversations/{conversationId}/activities/{replyToId}.</summary>
    Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken);

    /// <summary>POST /v3/conversations/{conversationId}/activities.</summary>
    Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken);

    /// <summary>POST /v3/conversations; for a new channel thread use <see cref="ConversationParameters.ForChannelThread"/>.</summary>
    Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken);

    /// <summary>PUT /v3/conversations/{conversationId}/activities/{activityId}: replaces the activity (e.g. a card) for everyone.</summary>
    Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken);

    /// <summary>DELETE /v3/conversations/{conversationId}/activities/{activityId}.</summary>
    Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken);

    /// <summary>
    /// GET /v3/conversations/{conversationId}/members/{memberId}: one member with their Teams profile (email, UPN).
    /// For a channel, the conversation is the team (the SDK's TeamsInfo.GetTeamMemberAsync).
    /// </summary>
    Task<TeamsChannelAccount> GetConversationMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken);
}

/// <summary>Overloads that take a stored <see cref="ConversationReference"/>.</summary>
public static class ConnectorClientExtensions
{
    /// <summary>Replies to the referenced activity in the referenced conversation.</summary>
    public static Task<ResourceResponse> ReplyToActivityAsync(this IConnectorClient client, ConversationReference reference, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (serviceUrl, conversationId) = Require(reference);
        var replyToId = reference.ActivityId ?? throw new ArgumentException("The conversation reference has no activityId to reply to.", nameof(reference));
        return client.ReplyToActivityAsync(serviceUrl, conversationId, replyToId, activity, cancellationToken);
    }

    /// <summary>Posts a new activity to the referenced conversation.</summary>
    public static Task<ResourceResponse> SendToConversationAsync(this IConnectorClient client, ConversationReference reference, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (serviceUrl, conversationId) = Require(reference);
        return client.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken);
    }

    private static (string ServiceUrl, string ConversationId) Require(ConversationReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var serviceUrl = reference.ServiceUrl ?? throw new ArgumentException("The conversation reference has no serviceUrl.", nameof(reference));
        var conversationId = reference.Conversation?.Id ?? throw new ArgumentException("The conversation reference has no conversation id.", nameof(reference));
        return (serviceUrl, conversationId);
    }
}
