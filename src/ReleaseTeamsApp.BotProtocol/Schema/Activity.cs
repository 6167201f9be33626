using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>A Bot Framework activity (the envelope of every message, event and invoke).</summary>
public sealed record Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public DateTimeOffset? LocalTimestamp { get; set; }
    public string? LocalTimezone { get; set; }
    public string? ChannelId { get; set; }
    public string? ServiceUrl { get; set; }
    public ChannelAccount? From { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public string? Text { get; set; }
    public string? TextFormat { get; set; }
    public string? Speak { get; set; }
    public string? InputHint { get; set; }
    public string? Summary { get; set; }
    public string? AttachmentLayout { get; set; }
    public IList<Attachment>? Attachments { get; set; }
    public IList<Entity>? Entities { get; set; }

    /// <summary>Channel-specific payload; a <see cref="JsonElement"/> when received, any serializable object when sent.</summary>
    public object? ChannelData { get; set; }

    /// <summary>Invoke/event payload; a <see cref="JsonElement"/> when received.</summary>
    public object? Value { get; set; }

    public string? ValueType { get; set; }
    public string? Name { get; set; }
    public string? Action { get; set; }
    public string? ReplyToId { get; set; }
    public string? Label { get; set; }
    public string? Locale { get; set; }
    public IList<ChannelAccount>? MembersAdded { get; set; }
    public IList<ChannelAccount>? MembersRemoved { get; set; }
    public string? TopicName { get; set; }
    public ConversationReference? RelatesTo { get; set; }
    public DateTimeOffset? Expiration { get; set; }
    public string? Importance { get; set; }
    public string? DeliveryMode { get; set; }

    /// <summary>Fields this schema does not model, kept so a round trip does not lose them.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>Creates an outgoing message activity.</summary>
    public static Activity CreateMessage(string? text = null, string textFormat = TextFormatTypes.Plain) =>
        new() { Type = ActivityTypes.Message, Text = text, TextFormat = text is null ? null : textFormat };

    /// <summary>Creates an outgoing message activity carrying one Adaptive Card.</summary>
    public static Activity CreateCardMessage(object card, string? summary = null) =>
        new()
        {
            Type = ActivityTypes.Message,
            Summary = summary,
            Attachments = [new Attachment { ContentType = ContentTypes.AdaptiveCard, Content = card }],
        };
}

/// <summary>A user or bot on a channel.</summary>
public sealed record ChannelAccount
{
    public ChannelAccount()
    {
    }

    public ChannelAccount(string id, string? name = null)
    {
        Id = id;
        Name = name;
    }

    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>A conversation (personal chat, group chat or channel thread).</summary>
public sealed record ConversationAccount
{
    public string? Id { get; set; }
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public bool? IsGroup { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>A file, card or media item attached to an activity.</summary>
public sealed record Attachment
{
    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }

    /// <summary>The card or payload; a <see cref="JsonElement"/> when received.</summary>
    public object? Content { get; set; }

    public string? Name { get; set; }
    public string? ThumbnailUrl { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>Wraps an Adaptive Card as an attachment.</summary>
    public static Attachment AdaptiveCard(object card) => new() { ContentType = ContentTypes.AdaptiveCard, Content = card };
}

/// <summary>Metadata attached to an activity (mention, clientInfo, …); fields beyond <see cref="Type"/> live in <see cref="Properties"/>.</summary>
public sealed record Entity
{
    public string? Type { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>Reads this entity as a typed shape such as <see cref="Mention"/>.</summary>
    public T? GetAs<T>() => BotJson.ConvertTo<T>(this);

    /// <summary>Creates an entity from a typed shape such as <see cref="Mention"/>.</summary>
    public static Entity From(object typedEntity)
    {
        ArgumentNullException.ThrowIfNull(typedEntity);
        return BotJson.ConvertTo<Entity>(typedEntity)!;
    }
}

/// <summary>Identifies a conversation so the bot can message it later (proactively).</summary>
public sealed record ConversationReference
{
    public string? ActivityId { get; set; }
    public ChannelAccount? User { get; set; }
    public ChannelAccount? Bot { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public string? ChannelId { get; set; }
    public string? ServiceUrl { get; set; }
    public string? Locale { get; set; }
}

/// <summary>Body of POST /v3/conversations.</summary>
public sealed record ConversationParameters
{
    public bool? IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public IList<ChannelAccount>? Members { get; set; }
    public string? TopicName { get; set; }
    public string? TenantId { get; set; }
    public Activity? Activity { get; set; }
    public object? ChannelData { get; set; }

    /// <summary>Parameters that start a new thread in a Teams channel (digest §3).</summary>
    public static ConversationParameters ForChannelThread(string channelId, string tenantId, Activity activity, ChannelAccount? bot = null)
    {
        return new ConversationParameters
        {
            IsGroup = true,
            Bot = bot,
            TenantId = tenantId,
            Activity = activity,
            ChannelData = new TeamsChannelData { Channel = new ChannelInfo { Id = channelId }, Tenant = new TenantInfo { Id = tenantId } },
        };
    }

    /// <summary>Parameters that open (or find) a 1:1 chat with a user.</summary>
    public static ConversationParameters ForPersonalChat(string userId, string tenantId, Activity? activity = null, ChannelAccount? bot = null)
    {
        return new ConversationParameters
        {
            IsGroup = false,
            Bot = bot,
            Members = [new ChannelAccount(userId)],
            TenantId = tenantId,
            Activity = activity,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
        };
    }
}

/// <summary>Response of send/reply/update: the id of the activity.</summary>
public sealed record ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>Response of POST /v3/conversations.</summary>
public sealed record ConversationResourceResponse
{
    public string? Id { get; set; }
    public string? ActivityId { get; set; }
    public string? ServiceUrl { get; set; }
}

/// <summary>Error body returned by the connector.</summary>
public sealed record ErrorResponse
{
    public ErrorDetail? Error { get; set; }
}

/// <summary>The code and message of an <see cref="ErrorResponse"/> (the SDK's <c>Error</c>).</summary>
public sealed record ErrorDetail
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public InnerHttpError? InnerHttpError { get; set; }
}

/// <summary>The upstream HTTP error wrapped in an <see cref="ErrorDetail"/>.</summary>
public sealed record InnerHttpError
{
    public int? StatusCode { get; set; }
    public object? Body { get; set; }
}
