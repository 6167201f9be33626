using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Reminders;

namespace ReleaseTeamsApp.Functions;

public sealed class Reminders(ReminderSweep sweep)
{
    [Function(nameof(Reminders))]
    public async Task RunAsync([TimerTrigger("%Reminders:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}
