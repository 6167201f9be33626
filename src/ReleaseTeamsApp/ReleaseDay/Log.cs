using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Announcements;

namespace ReleaseTeamsApp.ReleaseDay;

internal static partial class ReleaseDayLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Release {ReleaseId}: release-day step {Step}")]
    public static partial void Step(ILogger logger, string releaseId, ReleaseDayFlow.Step step);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Release {ReleaseId}: {Kind} announcement {Outcome}")]
    public static partial void Announcement(ILogger logger, string releaseId, AnnouncementKind kind, AnnouncementOutcome outcome);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Release {ReleaseId}: rollback {RollbackId} approved, rollback phase started")]
    public static partial void RollbackStarted(ILogger logger, string releaseId, string rollbackId);
}
