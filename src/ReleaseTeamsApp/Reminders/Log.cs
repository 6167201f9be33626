using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Reminders;

/// <summary>The reminder sweep's log events (ids 6000–6999).</summary>
internal static partial class ReminderLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows in {Releases} releases, {Sent} digests sent, {Postponed} releases in quiet hours, {Unchanged} unchanged, {Stale} stale rows removed, {Failed} failed")]
    public static partial void Swept(ILogger logger, DateTimeOffset now, int dueRows, int releases, int sent, int postponed, int unchanged, int stale, int failed);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueRows} due rows, {Releases} releases with something new put on the reminder-work queue, {Postponed} in quiet hours, {Unchanged} unchanged")]
    public static partial void Dispatched(ILogger logger, DateTimeOffset now, int dueRows, int releases, int postponed, int unchanged);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Reminder sweep skipped release {ReleaseId}: it could not be handled; the other releases went on and the next sweep tries it again")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string releaseId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Reminder for release {Version} to {RecipientId} not sent (attempt {Attempt}); the next sweep retries")]
    public static partial void SendFailed(ILogger logger, Exception exception, string version, string recipientId, int attempt);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Release {ReleaseId}: item {ItemId} snoozed in the reminders of {PersonId} for a day")]
    public static partial void Snoozed(ILogger logger, string releaseId, string itemId, string personId);
}
