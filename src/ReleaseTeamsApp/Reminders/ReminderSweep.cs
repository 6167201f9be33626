using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Reminders;

/// <summary>Finds items that are due soon or overdue and tells their owners.</summary>
public sealed partial class ReminderSweep(IReleaseStore store, TimeProvider time, ILogger<ReminderSweep> logger)
{
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(24);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.GetDueAsync(now - TimeSpan.FromDays(30), now + DueSoonWindow, cancellationToken);
        LogSwept(logger, due.Count, now);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder sweep at {Now}: {DueCount} due entries")]
    private static partial void LogSwept(ILogger logger, int dueCount, DateTimeOffset now);
}
