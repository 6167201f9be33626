using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.FollowUps;

namespace ReleaseTeamsApp.Functions;

public sealed class FollowUps(FollowUpSweep sweep)
{
    [Function(nameof(FollowUps))]
    public async Task RunAsync([TimerTrigger("%FollowUps:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}
