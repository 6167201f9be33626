using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Teams;

/// <summary>The Teams folder's log messages; event ids 4000–4099.</summary>
internal static partial class TeamsLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Critical, Message = "BOT ENDPOINT IS ANONYMOUS (MicrosoftAppId is empty): /api/messages accepts activities WITHOUT a Bot Framework token and sends none. Only for local runs — set MicrosoftAppId in any deployed environment.")]
    internal static partial void BotEndpointAnonymous(ILogger logger);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Card updates of release {ReleaseId} could not be queued; updating them now")]
    internal static partial void QueueUnavailable(ILogger logger, Exception exception, string releaseId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Could not update card {ActivityId} ({Status} {Code}); viewers see stored state on refresh")]
    internal static partial void UpdateFailed(ILogger logger, Exception exception, string activityId, int status, string? code);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not remove card {ActivityId} of a release that was not created")]
    internal static partial void RetractFailed(ILogger logger, Exception exception, string activityId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not read the Teams profile of {UserId}; assigned without an email address")]
    internal static partial void ProfileLookupFailed(ILogger logger, Exception exception, string userId);
}
