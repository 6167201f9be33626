using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseTeamsApp.BotProtocol;

/// <summary>Validates channel (Bot Framework) and single-tenant Entra tokens per digest §1.</summary>
internal sealed class BotAuthenticator : IBotAuthenticator, IDisposable
{
    internal const string BotFrameworkIssuer = "https://api.botframework.com";
    internal const string AnonymousAuthenticationType = "anonymous";
    internal const string ServiceUrlClaim = "serviceurl";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly BotAuthenticationOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BotAuthenticator> _logger;
    private readonly OpenIdSigningKeyCache _channelKeys;
    private readonly OpenIdSigningKeyCache? _entraKeys;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public BotAuthenticator(IOptions<BotAuthenticationOptions> options, IHttpClientFactory httpClientFactory, [FromKeyedServices(TokenClock.ServiceKey)] TimeProvider timeProvider, ILogger<BotAuthenticator> logger)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _channelKeys = new OpenIdSigningKeyCache(httpClientFactory, _options.OpenIdMetadataUrl, timeProvider, logger);
        var entraUrl = _options.ResolvedEntraOpenIdMetadataUrl;
        _entraKeys = entraUrl is null ? null : new OpenIdSigningKeyCache(httpClientFactory, entraUrl, timeProvider, logger);
    }

    public bool IsAnonymous => _options.IsAnonymous;

    public void Dispose()
    {
        _channelKeys.Dispose();
        _entraKeys?.Dispose();
    }

    public async Task<ClaimsIdentity> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            if (IsAnonymous)
            {
                return new ClaimsIdentity([], AnonymousAuthenticationType);
            }

            throw Reject("no Authorization header");
        }

        var parts = authorizationHeader.Split(' ');
        if (parts.Length != 2)
        {
            throw Reject("Authorization header is not '<scheme> <token>'");
        }

        if (!string.Equals(parts[0], "Bearer", StringComparison.Ordinal))
        {
            throw Reject("Authorization scheme is not Bearer");
        }

        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(parts[1]);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            throw Reject("token is not a well-formed JWT");
        }

        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            throw Reject($"token algorithm '{token.Alg}' is not allowed");
        }

        if (IsAnonymous)
        {
            throw Reject("a token was presented but no MicrosoftAppId is configured to validate its audience");
        }

        // Issuer is checked before any key lookup, as the SDK does, so foreign tokens cost no metadata fetch.
        if (string.Equals(token.Issuer, BotFrameworkIssuer, StringComparison.Ordinal))
        {
            return await ValidateChannelTokenAsync(parts[1], token, activity, cancellationToken);
        }

        if (_entraKeys is not null && EntraIssuers().Contains(token.Issuer, StringComparer.Ordinal))
        {
            return await ValidateEntraTokenAsync(parts[1], token, cancellationToken);
        }

        throw Reject($"issuer '{token.Issuer}' is not trusted");
    }

    private async Task<ClaimsIdentity> ValidateChannelTokenAsync(string rawToken, JsonWebToken token, Activity activity, CancellationToken cancellationToken)
    {
        var key = await FindKeyAsync(_channelKeys, token, cancellationToken);
        var identity = await ValidateSignatureAndClaimsAsync(rawToken, key, [BotFrameworkIssuer], [_options.MicrosoftAppId!]);

        if (key.Endorsements.Count == 0)
        {
            throw Reject($"signing key '{token.Kid}' has no endorsements");
        }

        if (string.IsNullOrEmpty(activity.ChannelId) || !key.Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            throw Reject($"signing key '{token.Kid}' is not endorsed for channel '{activity.ChannelId}'");
        }

        var serviceUrl = identity.FindFirst(ServiceUrlClaim)?.Value;
        if (string.IsNullOrEmpty(serviceUrl))
        {
            throw Reject("token has no serviceurl claim");
        }

        if (!string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject("serviceurl claim does not match the activity's serviceUrl");
        }

        return identity;
    }

    private async Task<ClaimsIdentity> ValidateEntraTokenAsync(string rawToken, JsonWebToken token, CancellationToken cancellationToken)
    {
        var key = await FindKeyAsync(_entraKeys!, token, cancellationToken);
        var appId = _options.MicrosoftAppId!;
        var identity = await ValidateSignatureAndClaimsAsync(rawToken, key, EntraIssuers(), [appId, $"api://{appId}"]);

        // v1 tokens name the caller in appid, v2 tokens in azp.
        var version = identity.FindFirst("ver")?.Value;
        var callerClaim = version switch
        {
            "1.0" => "appid",
            "2.0" => "azp",
            null => throw Reject("Entra token has no ver claim"),
            _ => throw Reject($"Entra token version '{version}' is not supported"),
        };
        var caller = identity.FindFirst(callerClaim)?.Value;
        if (!string.Equals(caller, appId, StringComparison.Ordinal))
        {
            throw Reject($"Entra token {callerClaim} claim is not this bot's app id");
        }

        return identity;
    }

    private async Task<EndorsedSigningKey> FindKeyAsync(OpenIdSigningKeyCache cache, JsonWebToken token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token.Kid))
        {
            throw Reject("token has no kid");
        }

        return await cache.GetKeyAsync(token.Kid, cancellationToken)
            ?? throw Reject($"signing key '{token.Kid}' is unknown after refreshing the key set");
    }

    private async Task<ClaimsIdentity> ValidateSignatureAndClaimsAsync(string rawToken, EndorsedSigningKey key, IEnumerable<string> issuers, IEnumerable<string> audiences)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudiences = audiences,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = key.Key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = AllowedAlgorithms,
            ClockSkew = ClockSkew,
            LifetimeValidator = ValidateLifetime,
            SaveSigninToken = false,
        };

        var result = await _handler.ValidateTokenAsync(rawToken, parameters);
        if (!result.IsValid)
        {
            throw Reject($"token validation failed: {result.Exception?.GetType().Name}", result.Exception);
        }

        return result.ClaimsIdentity;
    }

    // The handler's own lifetime check reads the wall clock; this one reads the injected TimeProvider.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp.Add(ClockSkew) >= now && (notBefore is not { } nbf || nbf <= now.Add(ClockSkew));
    }

    private string[] EntraIssuers()
    {
        var tenantId = _options.MicrosoftAppTenantId;
        return [$"https://sts.windows.net/{tenantId}/", $"https://login.microsoftonline.com/{tenantId}/v2.0"];
    }

    private BotAuthenticationException Reject(string reason, Exception? innerException = null)
    {
        Log.AuthenticationRejected(_logger, reason);
        return innerException is null ? new BotAuthenticationException(reason) : new BotAuthenticationException(reason, innerException);
    }
}
