using Azure.Core;
using Azure.Core.Pipeline;

namespace ReleaseTeamsApp.Benchmarks.Infrastructure;

/// <summary>Counts the requests the app's Table Storage clients send (one per round trip; a batch transaction is one).</summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
