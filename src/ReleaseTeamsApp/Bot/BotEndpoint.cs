using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ReleaseTeamsApp.BotProtocol;

namespace ReleaseTeamsApp.Bot;

/// <summary>POST /api/messages: authenticates the Bot Framework request, hands the activity to the bot, writes its answer.</summary>
public sealed partial class BotEndpoint(IBotAuthenticator authenticator, ReleaseBot bot, ILogger<BotEndpoint> logger)
{
    /// <summary>Teams activities are far smaller (a card action is a few KB); anything bigger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>A Bot Framework token is 1–3 KB; a longer header is not one.</summary>
    private const int MaxAuthorizationLength = 16 * 1024;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            return new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }

        // The cheap checks come before the body is read: a request that cannot be authenticated costs no parsing.
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0 ? !IsBearerJwt(header) : !authenticator.IsAnonymous)
        {
            BotLog.UnauthorizedShape(logger, header.Length == 0 ? "no Authorization header" : "Authorization is not 'Bearer <header>.<payload>.<signature>'");
            return new UnauthorizedResult();
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        Activity? activity;
        try
        {
            // A chunked body has no Content-Length: read at most one byte more than the cap, whatever the sender claims.
            var length = await ReadAtMostAsync(request.Body, buffer.AsMemory(0, MaxBodyBytes + 1), cancellationToken);
            if (length > MaxBodyBytes)
            {
                BotLog.BodyTooLarge(logger, MaxBodyBytes);
                return new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
            }

            activity = JsonSerializer.Deserialize<Activity>(buffer.AsSpan(0, length), BotJson.Options);
        }
        catch (JsonException ex)
        {
            BotLog.Malformed(logger, ex.Message);
            return new BadRequestObjectResult(new RefusedBody("The body is not a Bot Framework activity (invalid JSON)."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (activity?.Type is not { Length: > 0 })
        {
            return new BadRequestObjectResult(new RefusedBody("The body is not a Bot Framework activity (no type)."));
        }

        try
        {
            await authenticator.AuthenticateAsync(header.Length > 0 ? header : null, activity, cancellationToken);
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

    /// <summary>"Bearer " and a compact JWS: three base64url segments (header, payload, non-empty signature).</summary>
    internal static bool IsBearerJwt(string header) => header.Length <= MaxAuthorizationLength && BearerJwt().IsMatch(header);

    private static async Task<int> ReadAtMostAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await body.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    [GeneratedRegex(@"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex BearerJwt();

    /// <summary>The JSON body of a refused request: one sentence saying what was wrong.</summary>
    private sealed record RefusedBody([property: JsonPropertyName("error")] string Error);
}
