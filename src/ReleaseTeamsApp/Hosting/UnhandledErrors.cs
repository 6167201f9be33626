using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Hosting;

/// <summary>
/// The one place an unexpected failure becomes an HTTP answer: logged once with its correlation id, answered with
/// a short message and that id, never a stack trace. Used by the Functions worker middleware and the local host.
/// </summary>
internal static partial class UnhandledErrors
{
    public static async Task WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        LogUnhandled(logger, exception, context.Request.Path, correlationId);
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await context.Response.WriteAsJsonAsync(new FailureBody(
            "Something went wrong on our side. Nothing you sent was half-applied: try again, and if it keeps failing give this id to your admin.",
            correlationId));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Path} (correlation {CorrelationId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path, string correlationId);

    /// <summary>The answer's JSON body: what to do next and the id to give the admin.</summary>
    private sealed record FailureBody(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("correlationId")] string CorrelationId);
}
