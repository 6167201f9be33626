using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.FollowUps;
using ReleaseTeamsApp.Housekeeping;

namespace ReleaseTeamsApp.Functions;

/// <summary>Post-release follow-ups, then (once a day) the cleanup of rows whose purpose has passed.</summary>
public sealed class FollowUps(FollowUpSweep sweep, ExpiredRows expired)
{
    [Function(nameof(FollowUps))]
    public async Task RunAsync([TimerTrigger("%FollowUps:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await sweep.RunAsync(cancellationToken);
        await expired.RunAsync(cancellationToken);
    }
}
