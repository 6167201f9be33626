using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Functions;

public sealed class CardUpdates(Teams.CardUpdates updates)
{
    [Function(nameof(CardUpdates))]
    public async Task RunAsync([QueueTrigger(ReleaseQueues.CardUpdatesName)] string message, CancellationToken cancellationToken) =>
        await updates.ApplyAsync(message, cancellationToken);
}
