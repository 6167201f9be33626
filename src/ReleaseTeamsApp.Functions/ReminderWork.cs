using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Reminders;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Functions;

/// <summary>One release's reminders, when the reminder timer fans out (Reminders:FanOut): the platform scales these out.</summary>
public sealed class ReminderWork(ReminderSweep sweep)
{
    [Function(nameof(ReminderWork))]
    public async Task RunAsync([QueueTrigger(ReleaseQueues.ReminderWorkName)] string message, CancellationToken cancellationToken) =>
        await sweep.RunReleaseAsync(message, cancellationToken);
}
