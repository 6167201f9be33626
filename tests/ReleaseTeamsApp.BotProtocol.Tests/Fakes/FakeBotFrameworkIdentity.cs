using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseTeamsApp.BotProtocol.Tests.Fakes;

/// <summary>A fake login.botframework.com: OpenID metadata plus a JWKS whose keys carry endorsements, and a token signer.</summary>
internal sealed class FakeBotFrameworkIdentity : IAsyncDisposable
{
    public const string AppId = "6f1c2a4e-0000-4000-8000-00000000b07a";
    public const string ServiceUrl = "https://smba.trafficmanager.net/teams/";
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";

    private readonly Dictionary<string, (RSA Rsa, string[]? Endorsements)> _published = [];
    private readonly Lock _gate = new();
    private int _keysRequests;

    private FakeBotFrameworkIdentity(FakeHttpServer server) => Server = server;

    public FakeHttpServer Server { get; }

    public string MetadataUrl => new Uri(Server.BaseAddress, MetadataPath).ToString();

    public int KeysRequests => Volatile.Read(ref _keysRequests);

    public static async Task<FakeBotFrameworkIdentity> StartAsync()
    {
        var server = await FakeHttpServer.StartAsync();
        var identity = new FakeBotFrameworkIdentity(server);
        server.Handler = identity.HandleAsync;
        return identity;
    }

    /// <summary>Publishes a new RSA key under <paramref name="kid"/>; null endorsements omits the field.</summary>
    public RSA PublishKey(string kid, params string[]? endorsements)
    {
        var rsa = RSA.Create(2048);
        lock (_gate)
        {
            _published[kid] = (rsa, endorsements);
        }

        return rsa;
    }

    public void UnpublishKey(string kid)
    {
        lock (_gate)
        {
            _published.Remove(kid);
        }
    }

    public RSA GetKey(string kid)
    {
        lock (_gate)
        {
            return _published[kid].Rsa;
        }
    }

    /// <summary>Signs a channel token; every claim can be overridden or dropped (null) by <paramref name="claims"/>.</summary>
    public static string CreateToken(
        RSA rsa,
        string kid,
        DateTimeOffset now,
        string issuer = "https://api.botframework.com",
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        TimeSpan? lifetime = null,
        IDictionary<string, object>? extraClaims = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var claims = new Dictionary<string, object>(extraClaims ?? new Dictionary<string, object>());
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (expires < now ? expires - TimeSpan.FromHours(1) : now).UtcDateTime,
            NotBefore = (expires < now ? expires - TimeSpan.FromHours(1) : now).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, algorithm),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An HS256 token whose header claims a published kid (algorithm-confusion attempt).</summary>
    public static string CreateSymmetricToken(string kid, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "https://api.botframework.com",
            Audience = AppId,
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (request.RawTarget == MetadataPath)
        {
            var metadata = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = "https://api.botframework.com",
                ["jwks_uri"] = new Uri(Server.BaseAddress, KeysPath).ToString(),
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
            return FakeHttpServer.WriteJsonAsync(context, 200, metadata);
        }

        if (request.RawTarget == KeysPath)
        {
            Interlocked.Increment(ref _keysRequests);
            return FakeHttpServer.WriteJsonAsync(context, 200, BuildJwks());
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private string BuildJwks()
    {
        lock (_gate)
        {
            var keys = _published.Select(entry =>
            {
                var parameters = entry.Value.Rsa.ExportParameters(includePrivateParameters: false);
                var key = new Dictionary<string, object>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = entry.Key,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
                if (entry.Value.Endorsements is not null)
                {
                    key["endorsements"] = entry.Value.Endorsements;
                }

                return key;
            });
            return JsonSerializer.Serialize(new { keys });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        lock (_gate)
        {
            foreach (var (rsa, _) in _published.Values)
            {
                rsa.Dispose();
            }
        }
    }
}
