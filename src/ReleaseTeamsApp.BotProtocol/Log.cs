using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.BotProtocol;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Bot request rejected: {Reason}")]
    public static partial void AuthenticationRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Loaded {KeyCount} signing keys from {MetadataUrl} (forced: {Forced})")]
    public static partial void SigningKeysRefreshed(ILogger logger, string metadataUrl, int keyCount, bool forced);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Refreshing signing keys from {MetadataUrl} failed; keeping the cached keys")]
    public static partial void SigningKeysRefreshFailed(ILogger logger, Exception exception, string metadataUrl);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Connector {Operation} returned {StatusCode}; retry {Attempt} in {Delay} (correlation {CorrelationId})")]
    public static partial void ConnectorRetrying(ILogger logger, string operation, int statusCode, int attempt, TimeSpan delay, string? correlationId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Connector {Operation} request failed; retry {Attempt} in {Delay}")]
    public static partial void ConnectorTransportRetrying(ILogger logger, Exception exception, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Connector {Operation} refused: service host {Host} is not allowed to receive the bot's token")]
    public static partial void ConnectorHostRefused(ILogger logger, string operation, string host);
}
