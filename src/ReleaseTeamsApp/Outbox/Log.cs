using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Outbox;

/// <summary>The Outbox folder's log messages; event ids 4200–4299.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Release {ReleaseId}: retrospective join link of {Key} posted in the thread")]
    internal static partial void JoinLinkPosted(ILogger logger, string releaseId, string key);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Release {ReleaseId}: could not post the outcome of {Key}; retrying on the next run")]
    internal static partial void PostFailed(ILogger logger, Exception exception, string releaseId, string key);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Release {ReleaseId}: the outcome of {Key} could not be handled; the other releases went on and the next run retries")]
    internal static partial void NoticeFailed(ILogger logger, Exception exception, string releaseId, string key);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Release {ReleaseId}: no release thread to post the outcome of {Key} in")]
    internal static partial void NoThread(ILogger logger, string releaseId, string key);
}
