using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Teams;

/// <summary>POST /api/messages: authenticates the Bot Framework request, hands the activity to the bot, writes its answer.</summary>
public sealed partial class BotEndpoint(IBotAuthenticator authenticator, ReleaseBot bot, ILogger<BotEndpoint> logger)
{
    private const int MaxBodyBytes = 256 * 1024;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(request.Body, BotJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            LogMalformed(logger, ex.Message);
            return new BadRequestObjectResult(new { error = "The body is not a Bot Framework activity (invalid JSON)." });
        }

        if (activity?.Type is not { Length: > 0 })
        {
            return new BadRequestObjectResult(new { error = "The body is not a Bot Framework activity (no type)." });
        }

        try
        {
            await authenticator.AuthenticateAsync(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, activity, cancellationToken);
        }
        catch (BotAuthenticationException)
        {
            // The authenticator logged the reason; the caller learns nothing about why.
            return new UnauthorizedResult();
        }

        var result = await bot.HandleAsync(activity, cancellationToken);
        return result.Body is null
            ? new StatusCodeResult(result.Status)
            : new ContentResult { StatusCode = result.Status, ContentType = "application/json; charset=utf-8", Content = JsonSerializer.Serialize(result.Body, BotJson.Options) };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a malformed activity: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
