using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Outbox;

namespace ReleaseTeamsApp.Functions;

/// <summary>Drains the Graph outbox and tells the release threads what came of it (join links, failures).</summary>
public sealed class Outbox(OutboxDispatcher dispatcher)
{
    [Function(nameof(Outbox))]
    public async Task RunAsync([TimerTrigger("%Outbox:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) => await dispatcher.RunAsync(cancellationToken);
}
