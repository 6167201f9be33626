using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseTeamsApp.Tab;

/// <summary>
/// Validates the Teams SSO token of a tab request: signature (keys from the OpenID metadata), audience (Tab:AppIdUri),
/// lifetime, and an issuer that belongs to the token's own tenant. The caller's tenant is the token's <c>tid</c>.
/// </summary>
public sealed class TabAuthenticator
{
    internal const string HttpClientName = "TabOpenId";

    /// <summary>The scope the tab's SSO app exposes (webApplicationInfo / the app registration's "Expose an API").</summary>
    public const string AccessAsUserScope = "access_as_user";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private readonly TabOptions _options;
    private readonly IReadOnlyList<string> _audiences;
    private readonly TimeProvider _time;
    private readonly ILogger<TabAuthenticator> _logger;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public TabAuthenticator(IOptions<TabOptions> options, IHttpClientFactory httpClientFactory, [FromKeyedServices(BotProtocol.TokenClock.ServiceKey)] TimeProvider time, ILogger<TabAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options.Value;
        _audiences = _options.Audiences();
        _time = time;
        _logger = logger;
        if (_audiences.Count > 0)
        {
            var url = _options.OpenIdMetadataUrl;
            var retriever = new HttpDocumentRetriever(httpClientFactory.CreateClient(HttpClientName)) { RequireHttps = url.Scheme == Uri.UriSchemeHttps };
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(url.ToString(), new OpenIdConnectConfigurationRetriever(), retriever);
        }
    }

    /// <summary>The caller, or null when the request must be answered 401 (no detail is given to the client).</summary>
    public async Task<TabCaller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_options.AllowDevelopmentBypass)
        {
            // Startup validation guarantees no app id is configured, so this only ever runs locally.
            var tenant = request.Query["tenantId"].ToString();
            return string.IsNullOrWhiteSpace(tenant) ? null : new TabCaller(tenant.Trim(), null, "Development user", IsDevelopment: true);
        }

        var header = request.Headers.Authorization.ToString();
        if (_metadata is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length <= "Bearer ".Length)
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        if (!_handler.CanReadToken(token))
        {
            TabLog.TokenRefused(_logger, "not a JWT");
            return null;
        }

        var configuration = await _metadata.GetConfigurationAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(token, Parameters(configuration.SigningKeys));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The signing keys rolled over: fetch the metadata again (rate-limited by the manager) and retry once.
            _metadata.RequestRefresh();
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(token, Parameters(configuration.SigningKeys));
        }

        if (!result.IsValid)
        {
            var reason = result.Exception?.GetType().Name ?? "invalid";
            TabLog.TokenRefused(_logger, reason);
            return null;
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (DelegatedProblem(jwt) is { } problem)
        {
            TabLog.TokenRefused(_logger, problem);
            return null;
        }

        return new TabCaller(
            jwt.GetPayloadValue<string>("tid"),
            jwt.TryGetPayloadValue<string>("oid", out var oid) ? oid : null,
            jwt.TryGetPayloadValue<string>("name", out var name) ? name : null,
            IsDevelopment: false);
    }

    /// <summary>
    /// The tab's token must be a user's delegated token for this app: the access_as_user scope, a user object id, and not
    /// an app-only token (idtyp=app, or application roles without a scope) that another app obtained for our audience.
    /// </summary>
    internal static string? DelegatedProblem(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<string>("idtyp", out var idtyp) && string.Equals(idtyp, "app", StringComparison.OrdinalIgnoreCase))
        {
            return "app-only token (idtyp=app)";
        }

        var scopes = jwt.TryGetPayloadValue<string>("scp", out var scp) ? scp.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (!scopes.Contains(AccessAsUserScope, StringComparer.Ordinal))
        {
            return scopes.Length == 0 ? "no delegated scope (scp): app-only token" : "scope access_as_user missing";
        }

        return jwt.TryGetPayloadValue<string>("oid", out var oid) && !string.IsNullOrWhiteSpace(oid) ? null : "no user object id (oid)";
    }

    private TokenValidationParameters Parameters(ICollection<SecurityKey> keys) => new()
    {
        ValidAudiences = _audiences,
        ValidateAudience = true,
        ValidateIssuer = true,
        IssuerValidator = ValidateIssuer,
        IssuerSigningKeys = keys,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        LifetimeValidator = ValidateLifetime,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    /// <summary>Lifetime against real time (the token clock), never the local host's simulated clock.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } end && end.ToUniversalTime() >= now - ClockSkew && (notBefore is not { } start || start.ToUniversalTime() <= now + ClockSkew);
    }

    /// <summary>Multi-tenant metadata has no single issuer: the issuer must be Entra's, for the tenant the token itself names.</summary>
    internal static string ValidateIssuer(string issuer, SecurityToken token, TokenValidationParameters parameters)
    {
        if (token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tenant) && Guid.TryParse(tenant, out _))
        {
            string[] expected = [$"https://login.microsoftonline.com/{tenant}/v2.0", $"https://sts.windows.net/{tenant}/"];
            if (expected.Contains(issuer, StringComparer.Ordinal))
            {
                return issuer;
            }
        }

        throw new SecurityTokenInvalidIssuerException("The issuer does not match the token's tenant.") { InvalidIssuer = issuer };
    }
}
