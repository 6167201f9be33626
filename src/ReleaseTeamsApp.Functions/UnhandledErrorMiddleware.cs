using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.Hosting;

namespace ReleaseTeamsApp.Functions;

/// <summary>Every unhandled failure of a function ends here: HTTP callers get a short answer with a correlation id.</summary>
internal sealed class UnhandledErrorMiddleware(ILogger<UnhandledErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http)
        {
            await UnhandledErrors.WriteAsync(http, ex, logger);
        }
    }
}
