using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ReleaseTeamsApp.Storage;

namespace ReleaseTeamsApp.Functions;

public sealed class Health(ReleaseTables tables, TimeProvider time)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        await tables.ProbeAsync(cancellationToken);
        return new OkObjectResult(new { status = "ok", storage = "reachable", now = time.GetUtcNow() });
    }
}
