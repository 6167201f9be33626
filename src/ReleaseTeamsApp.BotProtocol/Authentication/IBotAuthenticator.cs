using System.Security.Claims;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Authenticates inbound POST /api/messages requests (the SDK's <c>JwtTokenValidation</c>).</summary>
public interface IBotAuthenticator
{
    /// <summary>True when no MicrosoftAppId is configured and unauthenticated requests are accepted; the host should warn loudly.</summary>
    bool IsAnonymous { get; }

    /// <summary>Validates the <c>Authorization</c> header for <paramref name="activity"/>.</summary>
    /// <exception cref="BotAuthenticationException">The request must be rejected with 401.</exception>
    /// <exception cref="HttpRequestException">Signing keys could not be fetched and none are cached; answer 5xx so the channel retries.</exception>
    Task<ClaimsIdentity> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken);
}
