using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Bot;

/// <summary>What the bot's endpoint and dispatcher log (event ids 1000–1099).</summary>
internal static partial class BotLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Rejected a malformed activity: {Reason}")]
    public static partial void Malformed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Rejected a request before reading its body: {Reason}")]
    public static partial void UnauthorizedShape(ILogger logger, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Rejected a request body over {MaxBytes} bytes")]
    public static partial void BodyTooLarge(ILogger logger, int maxBytes);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Release {Version} refused a change: its row would outgrow Table Storage's property limit")]
    public static partial void TooLarge(ILogger logger, string version);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Installed in tenant {TenantId}, team {TeamId}, channel {ChannelId}")]
    public static partial void Installed(ILogger logger, string tenantId, string teamId, string channelId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Installation in tenant {TenantId}, conversation {ConversationId} was already welcomed")]
    public static partial void AlreadyWelcomed(ILogger logger, string tenantId, string conversationId);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Command {Command} ({Operation}) in team {TeamId}")]
    public static partial void Command(ILogger logger, string operation, string command, string teamId);
}
