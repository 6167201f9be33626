using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.FollowUps;

internal static partial class FollowUpLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Follow-up sweep at {Now}: {Tracked} deployed releases, {Sent} follow-ups, {Closed} closed")]
    public static partial void Swept(ILogger logger, DateTimeOffset now, int tracked, int sent, int closed);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Follow-up sweep skipped release {ReleaseId}: it could not be handled; the other releases went on and the next sweep tries it again")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string releaseId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Follow-up {Kind} posted for release {Version} at {Now}")]
    public static partial void Sent(ILogger logger, string kind, string version, DateTimeOffset now);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Follow-up {Kind} of release {ReleaseId} failed (attempt {Attempt}); the next sweep retries")]
    public static partial void Failed(ILogger logger, Exception exception, string kind, string releaseId, int attempt);
}
