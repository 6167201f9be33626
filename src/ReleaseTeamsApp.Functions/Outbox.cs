using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Graph;

namespace ReleaseTeamsApp.Functions;

public sealed class Outbox(OutboxWorker worker)
{
    [Function(nameof(Outbox))]
    public async Task RunAsync([TimerTrigger("%Outbox:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) => await worker.RunAsync(cancellationToken);
}
